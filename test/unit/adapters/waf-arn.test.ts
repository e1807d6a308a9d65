import { parseWafArn, parseWebAclArn } from '../../../src/adapters/aws/waf-arn';
import { MisconfiguredError } from '../../../src/domain/errors';

describe('parseWebAclArn', () => {
  it('reads name, id and CLOUDFRONT scope from a global ARN', () => {
    expect(
      parseWebAclArn(
        'arn:aws:wafv2:us-east-1:123456789012:global/webacl/waf-maintenance-prod/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
      ),
    ).toEqual({
      name: 'waf-maintenance-prod',
      id: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
      scope: 'CLOUDFRONT',
    });
  });

  it('reads REGIONAL scope', () => {
    expect(
      parseWebAclArn(
        'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/x/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
      ).scope,
    ).toBe('REGIONAL');
  });

  it.each([
    '[object Object]',
    '',
    'arn:aws:wafv2:us-east-1:123456789012:global/ipset/x/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
  ])('refuses %p as misconfiguration', (arn) => {
    expect(() => parseWebAclArn(arn)).toThrow(MisconfiguredError);
  });
});

describe('parseWafArn', () => {
  it('refuses an ARN of the other kind', () => {
    const ipSet = 'arn:aws:wafv2:us-east-1:123456789012:global/ipset/x/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
    expect(() => parseWafArn(ipSet, 'webacl')).toThrow(MisconfiguredError);
    expect(parseWafArn(ipSet, 'ipset')).toMatchObject({ name: 'x', scope: 'CLOUDFRONT' });
  });
});
