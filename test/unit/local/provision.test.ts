import { type ProvisionedStack, resolveIntrinsics, resolveParams } from '../../../scripts/local/provision';
import type { StackDefinition } from '../../../scripts/local/stack-definition';

const attributes = {
  BypassIpv4Set: {
    Ref: 'v4|1111|CLOUDFRONT',
    Arn: 'arn:aws:wafv2:us-east-1:123456789012:global/ipset/v4/1111',
    Id: '1111',
  },
  MaintenanceTable: { Ref: 'table-name', Arn: 'arn:aws:dynamodb:us-east-1:123456789012:table/table-name' },
};

describe('resolveIntrinsics', () => {
  it('resolves Fn::GetAtt to what was provisioned', () => {
    expect(resolveIntrinsics({ 'Fn::GetAtt': ['BypassIpv4Set', 'Arn'] }, attributes)).toBe(
      attributes.BypassIpv4Set.Arn,
    );
    expect(resolveIntrinsics({ 'Fn::GetAtt': ['BypassIpv4Set', 'Id'] }, attributes)).toBe('1111');
  });

  it('resolves Ref to the resource reference', () => {
    expect(resolveIntrinsics({ Ref: 'MaintenanceTable' }, attributes)).toBe('table-name');
  });

  it('substitutes the pseudo parameters in Fn::Sub and leaves other placeholders alone', () => {
    const sub = {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub syntax
      'Fn::Sub': 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${Other}:*',
    };
    expect(resolveIntrinsics(sub, attributes)).toBe(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: an Fn::Sub placeholder left as it is
      'arn:aws:logs:us-east-1:123456789012:log-group:${Other}:*',
    );
  });

  it('renames CloudFormation Arn keys to the API ARN, resolving nested values', () => {
    const statement = {
      OrStatement: {
        Statements: [{ IPSetReferenceStatement: { Arn: { 'Fn::GetAtt': ['BypassIpv4Set', 'Arn'] } } }],
      },
    };
    expect(resolveIntrinsics(statement, attributes)).toEqual({
      OrStatement: { Statements: [{ IPSetReferenceStatement: { ARN: attributes.BypassIpv4Set.Arn } }] },
    });
  });

  it('keeps scalars, arrays and objects without intrinsics as they are', () => {
    const value = {
      Name: 'acl',
      Priority: 0,
      Enabled: true,
      Nothing: null,
      List: ['a', 1],
      Action: { Count: {} },
    };
    expect(resolveIntrinsics(value, attributes)).toEqual(value);
  });

  it('throws when a reference names a resource not provisioned (yet)', () => {
    expect(() => resolveIntrinsics({ 'Fn::GetAtt': ['MaintenanceWebAcl', 'Arn'] }, attributes)).toThrow(
      /MaintenanceWebAcl\.Arn/,
    );
    expect(() => resolveIntrinsics({ Ref: 'Missing' }, attributes)).toThrow(/Ref Missing/);
    expect(() => resolveIntrinsics({ 'Fn::GetAtt': ['MaintenanceTable', 'Id'] }, attributes)).toThrow();
  });
});

describe('resolveParams', () => {
  const stack = {
    attributes: {
      ...attributes,
      MaintenanceRuleGroup: {
        Ref: 'arn:group',
        Arn: 'arn:group',
        Ipv4SetArn: 'arn:v4',
        Ipv6SetArn: 'arn:v6',
      },
      MaintenanceWebAcl: { Ref: 'acl|1|CLOUDFRONT', Arn: 'arn:acl' },
      MaintenanceDistribution: { Ref: 'E2ABC', Id: 'E2ABC', DomainName: 'd111.cloudfront.net' },
    },
  } as unknown as ProvisionedStack;
  /** serverless.yml's params.default as `serverless print` gives them, for a stage with `attachTo`. */
  const definition = (attachTo: string) =>
    ({
      params: {
        attachTo,
        ruleGroupArn: { 'Fn::GetAtt': ['MaintenanceRuleGroup', 'Arn'] },
        bypassIpv4Arn: { 'Fn::GetAtt': ['MaintenanceRuleGroup', 'Ipv4SetArn'] },
        webAclArns: {
          'Fn::If': ['IsManaged', { 'Fn::GetAtt': ['MaintenanceWebAcl', 'Arn'] }, { Ref: 'AttachTo' }],
        },
        maintenancePage: { 'Fn::If': ['IsManaged', 'hosted', 'inline'] },
        distributionId: { 'Fn::If': ['IsManaged', { Ref: 'MaintenanceDistribution' }, ''] },
        sitePageUrl: {
          'Fn::If': [
            'IsManaged',
            // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub syntax
            { 'Fn::Sub': 'https://${MaintenanceDistribution.DomainName}/maintenance/index.html' },
            '',
          ],
        },
        originDomain: 'origin.invalid',
        certificateArn: '',
      },
      parameters: { AttachTo: { Default: attachTo } },
      conditions: { IsManaged: { 'Fn::Equals': [{ Ref: 'AttachTo' }, ''] } },
    }) as unknown as StackDefinition;

  it('resolves the params that hold intrinsics and leaves plain values to the framework', () => {
    expect(resolveParams(definition(''), stack)).toEqual({
      ruleGroupArn: 'arn:group',
      bypassIpv4Arn: 'arn:v4',
      webAclArns: 'arn:acl',
      maintenancePage: 'hosted',
      distributionId: 'E2ABC',
      sitePageUrl: 'https://d111.cloudfront.net/maintenance/index.html',
    });
  });

  it("takes attach mode's branches, spelling an empty value as the space the framework trims", () => {
    expect(resolveParams(definition('arn:a,arn:b'), stack)).toEqual({
      ruleGroupArn: 'arn:group',
      bypassIpv4Arn: 'arn:v4',
      webAclArns: 'arn:a,arn:b',
      maintenancePage: 'inline',
      distributionId: ' ',
      sitePageUrl: ' ',
    });
  });
});
