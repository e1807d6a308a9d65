import { loadConfig } from '../../src/config';

describe('loadConfig', () => {
  it('names every missing key at once', () => {
    expect(() => loadConfig({})).toThrow(
      'Invalid configuration: WEB_ACL_ARN is required; TABLE_NAME is required; BYPASS_IPV4_ARN is required; BYPASS_IPV6_ARN is required',
    );
  });

  const complete = { WEB_ACL_ARN: 'a', TABLE_NAME: 't', BYPASS_IPV4_ARN: '4', BYPASS_IPV6_ARN: '6' };

  it('refuses empty values', () => {
    expect(() => loadConfig({ ...complete, WEB_ACL_ARN: '' })).toThrow('WEB_ACL_ARN is empty');
  });

  it('defaults the region to us-east-1, where CloudFront web ACLs live', () => {
    expect(loadConfig(complete)).toEqual({ ...complete, AWS_REGION: 'us-east-1' });
  });
});
