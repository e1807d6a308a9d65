import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PackageResult, packageStack } from '../../scripts/local/package';
import { MAINTENANCE_PREFIX } from '../../src/domain/maintenance-rules';

type Json = Record<string, unknown>;
interface Resource {
  Type: string;
  Properties: Json;
}
interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

const COMMAND_TIMEOUT_MS = 120_000;

function lint(template: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    execFile('cfn-lint', ['-t', template], { timeout: COMMAND_TIMEOUT_MS }, (error, stdout, stderr) => {
      const code = error ? (error as { code?: unknown }).code : 0;
      if (typeof code !== 'number') return reject(error);
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

function getAttId(value: unknown): string | undefined {
  const getAtt = (value as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt'];
  return getAtt?.[1] === 'Arn' ? getAtt[0] : undefined;
}

function ipSetReferences(statement: unknown): unknown[] {
  if (Array.isArray(statement)) return statement.flatMap(ipSetReferences);
  if (statement === null || typeof statement !== 'object') return [];
  return Object.entries(statement).flatMap(([key, value]) =>
    key === 'IPSetReferenceStatement' ? [(value as Json).Arn] : ipSetReferences(value),
  );
}

const FUNCTIONS = [
  'getMaintenance',
  'setMaintenance',
  'getBypass',
  'updateBypass',
  'slackCommand',
  'slackWorker',
  'notFound',
];

describe('the packaged CloudFormation template', () => {
  let out: string;
  let packaged: PackageResult;
  let resources: Record<string, Resource>;
  let outputs: Record<string, { Value: unknown }>;

  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
  const functions = () => Object.fromEntries(ofType('AWS::Lambda::Function'));

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'waf-maintenance-package-'));
    // In a shadow of the repository: packaging deletes .esbuild/, where a running `npm start` loads from.
    packaged = await packageStack({ stage: 'citest', outDir: out, timeoutMs: COMMAND_TIMEOUT_MS });
    const template = join(out, 'cloudformation-template-update-stack.json');
    const parsed = existsSync(template) ? JSON.parse(readFileSync(template, 'utf8')) : {};
    resources = parsed.Resources ?? {};
    outputs = parsed.Outputs ?? {};
  }, COMMAND_TIMEOUT_MS + 10_000);

  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('packages offline, one zip per function', () => {
    expect(packaged).toMatchObject({ code: 0 });
    const names = Object.values(functions()).map((f) => String(f.Properties.FunctionName));
    expect(names.sort()).toEqual(FUNCTIONS.map((f) => `waf-maintenance-citest-${f}`).sort());
    for (const name of FUNCTIONS) {
      const zip = join(out, `${name}.zip`);
      expect(existsSync(zip) && statSync(zip).size).toBeGreaterThan(1000);
    }
  });

  it(
    'passes cfn-lint without errors',
    async () => {
      const result = await lint(join(out, 'cloudformation-template-update-stack.json'));

      // cfn-lint's exit code is a bitmask: 2 errors, 4 warnings (osls emits W3005), 8 informational.
      expect({ errors: result.code & 2, output: result.output }).toEqual({
        errors: 0,
        output: result.output,
      });
      expect(result.output).not.toMatch(/^E\d+/m);
    },
    COMMAND_TIMEOUT_MS,
  );

  it('runs every function on nodejs22.x', () => {
    const runtimes = Object.values(functions()).map((f) => f.Properties.Runtime);
    expect(runtimes).toEqual(FUNCTIONS.map(() => 'nodejs22.x'));
  });

  it('has one CloudFront web ACL that allows by default', () => {
    const acls = ofType('AWS::WAFv2::WebACL');
    expect(acls).toHaveLength(1);
    expect(acls[0]?.[1].Properties).toMatchObject({ Scope: 'CLOUDFRONT', DefaultAction: { Allow: {} } });
  });

  it('gives the maintenance rules the lowest priorities, in Count, letting both bypass sets through', () => {
    const rules = (ofType('AWS::WAFv2::WebACL')[0]?.[1].Properties.Rules ?? []) as Json[];
    const byPriority = [...rules].sort((a, b) => Number(a.Priority) - Number(b.Priority));
    const maintenance = rules.filter((r) => String(r.Name).startsWith(MAINTENANCE_PREFIX));

    expect(maintenance.length).toBeGreaterThan(0);
    expect(byPriority.slice(0, maintenance.length)).toEqual(maintenance);
    for (const rule of maintenance) {
      expect(rule.Action).toEqual({ Count: {} });
      const ipSets = ipSetReferences(rule.Statement).map((arn) => resources[getAttId(arn) ?? '']);
      expect(ipSets.map((set) => set?.Type)).toEqual(['AWS::WAFv2::IPSet', 'AWS::WAFv2::IPSet']);
      expect(ipSets.map((set) => set?.Properties.IPAddressVersion).sort()).toEqual(['IPV4', 'IPV6']);
      expect(ipSets.map((set) => set?.Properties.Scope)).toEqual(['CLOUDFRONT', 'CLOUDFRONT']);
    }
  });

  it('never retries the Slack worker, whose retry would repeat a change, and keeps the secret out of the template', () => {
    const configs = ofType('AWS::Lambda::EventInvokeConfig').map(([, r]) => r.Properties);
    expect(configs).toEqual([expect.objectContaining({ MaximumRetryAttempts: 0 })]);
    expect(ofType('AWS::SSM::Parameter')).toEqual([]);
    const slack = Object.values(functions()).find((f) =>
      String(f.Properties.FunctionName).endsWith('-slackCommand'),
    );
    expect(slack?.Properties.Environment).toMatchObject({
      Variables: {
        SLACK_SIGNING_SECRET_PARAMETER: '/waf-maintenance/citest/slack-signing-secret',
        SLACK_WORKER_FUNCTION: 'waf-maintenance-citest-slackWorker',
        // Deployed, only Slack's own response URLs are accepted.
        SLACK_RESPONSE_URL_PREFIX: '',
      },
    });
  });

  describe('the edge', () => {
    const only = (type: string): [string, Json] => {
      const found = ofType(type);
      expect(found).toHaveLength(1);
      const [id, resource] = found[0] as [string, Resource];
      return [id, resource.Properties];
    };
    const distribution = () => only('AWS::CloudFront::Distribution');
    /** The bucket behind the distribution's S3 origin (osls adds its own deployment bucket too). */
    const siteBucket = (): [string, Json] => {
      const origin = (config().Origins as Json[]).find((o) => o.S3OriginConfig);
      const getAtt = (origin?.DomainName as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt'];
      const [id = '', attribute] = getAtt ?? [];
      expect(attribute).toBe('RegionalDomainName');
      expect(resources[id]?.Type).toBe('AWS::S3::Bucket');
      return [id, resources[id]?.Properties ?? {}];
    };
    const config = () => distribution()[1].DistributionConfig as Json;
    const behaviours = () =>
      [config().DefaultCacheBehavior, ...(config().CacheBehaviors as Json[])] as Json[];

    it('has exactly one distribution, with the web ACL attached', () => {
      const [aclId] = only('AWS::WAFv2::WebACL');
      expect(config().WebACLId).toEqual({ 'Fn::GetAtt': [aclId, 'Arn'] });
      expect(config().Enabled).toBe(true);
    });

    it('reads the maintenance site from the private bucket through origin access control', () => {
      const [bucketId, bucket] = siteBucket();
      const [oacId, oac] = only('AWS::CloudFront::OriginAccessControl');
      const site = (config().Origins as Json[]).find((o) => o.S3OriginConfig);

      expect(site).toMatchObject({
        DomainName: { 'Fn::GetAtt': [bucketId, 'RegionalDomainName'] },
        OriginAccessControlId: { 'Fn::GetAtt': [oacId, 'Id'] },
        S3OriginConfig: { OriginAccessIdentity: '' },
      });
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub syntax
      expect(bucket.BucketName).toEqual({ 'Fn::Sub': 'waf-maintenance-citest-site-${AWS::AccountId}' });
      expect(oac.OriginAccessControlConfig).toMatchObject({
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      });
      const siteBehaviour = (config().CacheBehaviors as Json[]).filter(
        (b) => b.PathPattern === '/maintenance/*',
      );
      expect(siteBehaviour).toEqual([expect.objectContaining({ TargetOriginId: site?.Id })]);
      expect((config().DefaultCacheBehavior as Json).TargetOriginId).not.toBe(site?.Id);
    });

    it('redirects viewers to HTTPS on every behaviour', () => {
      expect(behaviours().map((b) => b.ViewerProtocolPolicy)).toEqual(
        behaviours().map(() => 'redirect-to-https'),
      );
    });

    it('answers origin 502, 503 and 504 with the maintenance page as a 503, cached briefly', () => {
      const responses = config().CustomErrorResponses as Json[];
      expect(responses.map((r) => r.ErrorCode).sort()).toEqual([502, 503, 504]);
      for (const response of responses) {
        expect(response).toMatchObject({ ResponseCode: 503, ResponsePagePath: '/maintenance/index.html' });
        expect(Number(response.ErrorCachingMinTTL)).toBeLessThanOrEqual(10);
      }
    });

    it('uses the certificate and aliases only when a certificate is given', () => {
      expect(config().ViewerCertificate).toMatchObject({
        'Fn::If': [
          'HasCertificate',
          expect.objectContaining({ SslSupportMethod: 'sni-only' }),
          { CloudFrontDefaultCertificate: true },
        ],
      });
      expect(config().Aliases).toMatchObject({
        'Fn::If': ['HasCertificate', expect.anything(), { Ref: 'AWS::NoValue' }],
      });
    });

    it('blocks all public access to the bucket', () => {
      expect(siteBucket()[1].PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
    });

    it('lets only CloudFront, for this distribution, read the bucket', () => {
      const [bucketId] = siteBucket();
      const [distributionId] = distribution();
      const policies = ofType('AWS::S3::BucketPolicy')
        .map(([, r]) => r.Properties)
        .filter((p) => (p.Bucket as { Ref?: string }).Ref === bucketId);
      expect(policies).toHaveLength(1);
      const policy = policies[0] as Json;
      const statements = (policy.PolicyDocument as { Statement: Json[] }).Statement;

      expect(statements.length).toBeGreaterThan(0);
      for (const statement of statements) {
        expect(statement).toMatchObject({
          Effect: 'Allow',
          Principal: { Service: 'cloudfront.amazonaws.com' },
          Action: 's3:GetObject',
          Condition: {
            StringEquals: {
              'AWS:SourceArn': {
                'Fn::Sub': expect.stringMatching(
                  new RegExp(`:cloudfront::\\$\\{AWS::AccountId\\}:distribution/\\$\\{${distributionId}\\}$`),
                ),
              },
            },
          },
        });
      }
    });

    it('lets getMaintenance read this distribution only, and tells it which one', () => {
      const [distributionId] = distribution();
      const fn = Object.values(functions()).find((f) =>
        String(f.Properties.FunctionName).endsWith('-getMaintenance'),
      );
      const role = resources[getAttId(fn?.Properties.Role) ?? ''];
      const statements = (
        (role?.Properties.Policies ?? []) as Array<{ PolicyDocument: { Statement: Statement[] } }>
      )
        .flatMap((p) => p.PolicyDocument.Statement)
        .filter((st) => [st.Action].flat().includes('cloudfront:GetDistributionConfig'));

      expect(statements).toEqual([
        expect.objectContaining({
          Resource: {
            'Fn::Sub': `arn:\${AWS::Partition}:cloudfront::\${AWS::AccountId}:distribution/\${${distributionId}}`,
          },
        }),
      ]);
      expect(fn?.Properties.Environment).toMatchObject({
        Variables: {
          DISTRIBUTION_ID: { Ref: distributionId },
          SITE_PAGE_URL: { 'Fn::Sub': `https://\${${distributionId}.DomainName}/maintenance/index.html` },
        },
      });
    });

    it('outputs the site bucket name, which the deploy plugin uploads to', () => {
      expect(outputs.SiteBucketName?.Value).toEqual({ Ref: siteBucket()[0] });
    });
  });

  describe('least privilege', () => {
    const logs = ['logs:CreateLogStream', 'logs:PutLogEvents'];
    const expected: Record<string, string[]> = {
      getMaintenance: ['wafv2:GetWebACL', 'dynamodb:GetItem', 'cloudfront:GetDistributionConfig', ...logs],
      setMaintenance: [
        'wafv2:GetWebACL',
        'wafv2:UpdateWebACL',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        ...logs,
      ],
      getBypass: ['wafv2:GetIPSet', 'dynamodb:GetItem', ...logs],
      updateBypass: ['wafv2:GetIPSet', 'wafv2:UpdateIPSet', 'dynamodb:GetItem', ...logs],
      slackCommand: [
        'ssm:GetParameter',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'lambda:InvokeFunction',
        ...logs,
      ],
      slackWorker: [
        'wafv2:GetWebACL',
        'wafv2:UpdateWebACL',
        'wafv2:GetIPSet',
        'wafv2:UpdateIPSet',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        ...logs,
      ],
      notFound: logs,
    };

    function statementsOf(functionName: string): Statement[] {
      const fn = Object.values(functions()).find((f) =>
        String(f.Properties.FunctionName).endsWith(`-${functionName}`),
      );
      const role = resources[getAttId(fn?.Properties.Role) ?? ''];
      expect(role?.Type).toBe('AWS::IAM::Role');
      expect(role?.Properties.ManagedPolicyArns).toBeUndefined();
      const policies = (role?.Properties.Policies ?? []) as Array<{
        PolicyDocument: { Statement: Statement[] };
      }>;
      return policies.flatMap((p) => p.PolicyDocument.Statement);
    }

    it('gives each function a role of its own', () => {
      const roles = Object.values(functions()).map((f) => getAttId(f.Properties.Role));
      expect(new Set(roles).size).toBe(roles.length);
      expect(ofType('AWS::IAM::Role')).toHaveLength(roles.length);
    });

    it.each(Object.keys(expected))('grants %s only the actions it calls', (name) => {
      const actions = statementsOf(name).flatMap((s) => [s.Action].flat());
      expect([...new Set(actions)].sort()).toEqual([...(expected[name] ?? [])].sort());
    });

    it.each(Object.keys(expected))('grants %s nothing on * and only Allow', (name) => {
      for (const statement of statementsOf(name)) {
        expect(statement.Effect).toBe('Allow');
        for (const action of [statement.Action].flat()) expect(action).not.toContain('*');
        for (const resource of [statement.Resource].flat()) expect(resource).not.toEqual('*');
      }
    });

    it.each(['setMaintenance', 'slackWorker'])(
      'lets %s write only this web ACL, while authorising the resources foreign rules may reference',
      (name) => {
        const resources = statementsOf(name)
          .filter((s) => [s.Action].flat().includes('wafv2:UpdateWebACL'))
          .flatMap((s) => [s.Resource].flat());
        const webAcls = resources.filter(
          (r) => JSON.stringify(r).includes('webacl') || getAttId(r) === 'MaintenanceWebAcl',
        );
        expect(webAcls).toEqual([{ 'Fn::GetAtt': ['MaintenanceWebAcl', 'Arn'] }]);
        const wildcards = resources.map((r) => (r as { 'Fn::Sub'?: string })['Fn::Sub']).filter(Boolean);
        expect(wildcards).toEqual([
          expect.stringMatching(/:global\/ipset\/\*\/\*$/),
          expect.stringMatching(/:global\/regexpatternset\/\*\/\*$/),
          expect.stringMatching(/:global\/rulegroup\/\*\/\*$/),
        ]);
      },
    );

    it.each(Object.keys(expected))('lets %s write to its own log group only', (name) => {
      const logResources = statementsOf(name)
        .filter((s) => [s.Action].flat().some((a) => a.startsWith('logs:')))
        .flatMap((s) => [s.Resource].flat());
      expect(logResources).toEqual([
        {
          'Fn::Sub': expect.stringMatching(
            new RegExp(`:log-group:/aws/lambda/waf-maintenance-citest-${name}:\\*$`),
          ),
        },
      ]);
    });
  });
});
