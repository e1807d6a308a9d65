import {
  evaluateCondition,
  resolveIntrinsics,
  type TemplateContext,
} from '../../../scripts/local/intrinsics';
import { withSearchStringBytes } from '../../../scripts/local/provision';

const attributes = {
  SiteBucket: {
    Ref: 'site-bucket',
    Arn: 'arn:aws:s3:::site-bucket',
    RegionalDomainName: 'site-bucket.s3.us-east-1.amazonaws.com',
  },
  MaintenanceDistribution: { Ref: 'E2ABC', Id: 'E2ABC', DomainName: 'd111.cloudfront.net' },
};

/** The template's certificate switch, as serverless.yml writes it. */
function certificateContext(certificateArn: string, aliases = ''): TemplateContext {
  return {
    parameters: { CertificateArn: { Default: certificateArn }, Aliases: { Default: aliases } },
    conditions: { HasCertificate: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'CertificateArn' }, ''] }] } },
  };
}

const distributionConfig = {
  Aliases: {
    'Fn::If': ['HasCertificate', { 'Fn::Split': [',', { Ref: 'Aliases' }] }, { Ref: 'AWS::NoValue' }],
  },
  ViewerCertificate: {
    'Fn::If': [
      'HasCertificate',
      { AcmCertificateArn: { Ref: 'CertificateArn' }, SslSupportMethod: 'sni-only' },
      { CloudFrontDefaultCertificate: true },
    ],
  },
};

describe('resolveIntrinsics', () => {
  it('substitutes resources and their attributes in Fn::Sub', () => {
    const template =
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub syntax
      'https://${MaintenanceDistribution.DomainName}/x ${SiteBucket.Arn}/* ${MaintenanceDistribution}';
    const sub = { 'Fn::Sub': template };
    expect(resolveIntrinsics(sub, attributes)).toBe(
      'https://d111.cloudfront.net/x arn:aws:s3:::site-bucket/* E2ABC',
    );
  });

  it('substitutes Fn::Sub variables and Parameters, and keeps literal placeholders', () => {
    const context = certificateContext('arn:cert');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub syntax
    const sub = { 'Fn::Sub': ['${Name}:${CertificateArn}:${!Kept}', { Name: { Ref: 'SiteBucket' } }] };
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal Fn::Sub keeps
    expect(resolveIntrinsics(sub, attributes, context)).toBe('site-bucket:arn:cert:${Kept}');
  });

  it('throws for a Fn::Sub attribute of a resource not provisioned yet', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub syntax
    expect(() => resolveIntrinsics({ 'Fn::Sub': '${Later.DomainName}' }, attributes)).toThrow(
      /Later\.DomainName/,
    );
  });

  it('resolves GetAtt of any recorded attribute, also in its dotted form', () => {
    expect(resolveIntrinsics({ 'Fn::GetAtt': ['SiteBucket', 'RegionalDomainName'] }, attributes)).toBe(
      'site-bucket.s3.us-east-1.amazonaws.com',
    );
    expect(resolveIntrinsics({ 'Fn::GetAtt': 'MaintenanceDistribution.DomainName' }, attributes)).toBe(
      'd111.cloudfront.net',
    );
  });

  it('resolves Ref of a Parameter to its default', () => {
    expect(resolveIntrinsics({ Ref: 'CertificateArn' }, attributes, certificateContext('arn:c'))).toBe(
      'arn:c',
    );
  });

  it('takes the false branch of Fn::If without a certificate, dropping AWS::NoValue properties', () => {
    expect(resolveIntrinsics(distributionConfig, attributes, certificateContext(''))).toEqual({
      ViewerCertificate: { CloudFrontDefaultCertificate: true },
    });
  });

  it('takes the true branch with a certificate, splitting the aliases', () => {
    const context = certificateContext(
      'arn:aws:acm:us-east-1:1:certificate/c',
      'a.example.com,b.example.com',
    );
    expect(resolveIntrinsics(distributionConfig, attributes, context)).toEqual({
      Aliases: ['a.example.com', 'b.example.com'],
      ViewerCertificate: {
        AcmCertificateArn: 'arn:aws:acm:us-east-1:1:certificate/c',
        SslSupportMethod: 'sni-only',
      },
    });
  });

  it('drops AWS::NoValue items from lists and joins and selects', () => {
    const value = {
      List: ['a', { Ref: 'AWS::NoValue' }, 'b'],
      Joined: { 'Fn::Join': ['-', ['x', { Ref: 'SiteBucket' }]] },
      Selected: { 'Fn::Select': [1, { 'Fn::Split': [',', 'p,q'] }] },
    };
    expect(resolveIntrinsics(value, attributes)).toEqual({
      List: ['a', 'b'],
      Joined: 'x-site-bucket',
      Selected: 'q',
    });
  });
});

describe('the modes of serverless.yml', () => {
  const mode = (attachTo: string): TemplateContext => ({
    parameters: { AttachTo: { Default: attachTo } },
    conditions: { IsManaged: { 'Fn::Equals': [{ Ref: 'AttachTo' }, ''] } },
  });
  const webAclArns = {
    'Fn::If': ['IsManaged', { 'Fn::GetAtt': ['MaintenanceWebAcl', 'Arn'] }, { Ref: 'AttachTo' }],
  };

  it('never resolves the branch not taken, which names a resource attach mode does not create', () => {
    expect(evaluateCondition('IsManaged', mode('arn:a,arn:b'))).toBe(false);
    expect(resolveIntrinsics(webAclArns, attributes, mode('arn:a,arn:b'))).toBe('arn:a,arn:b');
    expect(() => resolveIntrinsics(webAclArns, attributes, mode(''))).toThrow(/MaintenanceWebAcl\.Arn/);
    const managed = { ...attributes, MaintenanceWebAcl: { Ref: 'acl', Arn: 'arn:acl' } };
    expect(resolveIntrinsics(webAclArns, managed, mode(''))).toBe('arn:acl');
  });
});

describe('evaluateCondition', () => {
  it('evaluates Fn::Not, Fn::Equals, Fn::And, Fn::Or and Condition with Parameter defaults', () => {
    const context: TemplateContext = {
      parameters: { Stage: { Default: 'prod' } },
      conditions: {
        IsProd: { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] },
        IsDev: { 'Fn::Equals': ['dev', { Ref: 'Stage' }] },
        Either: { 'Fn::Or': [{ Condition: 'IsProd' }, { Condition: 'IsDev' }] },
        Both: { 'Fn::And': [{ Condition: 'IsProd' }, { 'Fn::Not': [{ Condition: 'IsDev' }] }] },
      },
    };
    expect(['IsProd', 'IsDev', 'Either', 'Both'].map((c) => evaluateCondition(c, context))).toEqual([
      true,
      false,
      true,
      true,
    ]);
  });

  it('throws for an unknown condition', () => {
    expect(() => evaluateCondition('Missing', {})).toThrow(/Missing/);
  });
});

describe('withSearchStringBytes', () => {
  it('turns every ByteMatchStatement SearchString into UTF-8 bytes, leaving the rest', () => {
    const statement = {
      AndStatement: {
        Statements: [
          { ByteMatchStatement: { SearchString: '/maintenance/', PositionalConstraint: 'STARTS_WITH' } },
          { NotStatement: { Statement: { ByteMatchStatement: { SearchString: 'application/json' } } } },
        ],
      },
    };
    const out = withSearchStringBytes(statement) as typeof statement;
    const [first, second] = out.AndStatement.Statements as [
      { ByteMatchStatement: { SearchString: unknown; PositionalConstraint: string } },
      { NotStatement: { Statement: { ByteMatchStatement: { SearchString: unknown } } } },
    ];
    expect(first.ByteMatchStatement.SearchString).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(first.ByteMatchStatement.SearchString as Uint8Array).toString()).toBe('/maintenance/');
    expect(first.ByteMatchStatement.PositionalConstraint).toBe('STARTS_WITH');
    expect(
      Buffer.from(second.NotStatement.Statement.ByteMatchStatement.SearchString as Uint8Array).toString(),
    ).toBe('application/json');
  });
});
