import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluateCondition, type TemplateContext } from '../../scripts/local/intrinsics';
import { type PackageResult, packageStack } from '../../scripts/local/package';
import { HISTORY_INDEX } from '../../src/adapters/aws/dynamodb-audit-log';
import { RULES_REVISION } from '../../src/domain/rule-group';
import { referenceRule, ruleGroupName } from '../../src/domain/rule-group-reference';
import { bypassSetNames } from '../../src/use-cases/provision-switch';

type Json = Record<string, unknown>;
interface Resource {
  Type: string;
  Condition?: string;
  Properties: Json;
}
interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}
interface Template {
  packaged: PackageResult;
  file: string;
  resources: Record<string, Resource>;
  outputs: Record<string, { Value: unknown; Condition?: string }>;
  context: TemplateContext;
}

const COMMAND_TIMEOUT_MS = 120_000;
const STAGE = 'citest';
const GROUP = ruleGroupName(STAGE);
/** Two made-up web ACLs of a team, for attach mode. */
const ATTACH_TO = [
  'arn:aws:wafv2:us-east-1:123456789012:global/webacl/site-a/11111111-2222-3333-4444-555555555555',
  'arn:aws:wafv2:us-east-1:123456789012:global/webacl/site-b/66666666-7777-8888-9999-000000000000',
];
const FUNCTIONS = [
  'getMaintenance',
  'setMaintenance',
  'getBypass',
  'updateBypass',
  'getExemptions',
  'updateExemptions',
  'getHistory',
  'createWindow',
  'listWindows',
  'cancelWindow',
  'scheduled',
  'announce',
  'slackCommand',
  'slackWorker',
  'notFound',
  'ruleGroupResource',
];
/** The resources of managed mode that attach mode leaves to the team. */
const EDGE_TYPES = [
  'AWS::WAFv2::WebACL',
  'AWS::CloudFront::Distribution',
  'AWS::CloudFront::OriginAccessControl',
];

function lint(template: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    execFile('cfn-lint', ['-t', template], { timeout: COMMAND_TIMEOUT_MS }, (error, stdout, stderr) => {
      const code = error ? (error as { code?: unknown }).code : 0;
      if (typeof code !== 'number') return reject(error);
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

async function packaged(params: Record<string, string> = {}): Promise<Template & { out: string }> {
  const out = mkdtempSync(join(tmpdir(), 'waf-maintenance-package-'));
  // In a shadow of the repository: packaging deletes .esbuild/, where a running `npm start` loads from.
  const result = await packageStack({ stage: STAGE, outDir: out, params, timeoutMs: COMMAND_TIMEOUT_MS });
  const file = join(out, 'cloudformation-template-update-stack.json');
  const parsed = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  return {
    out,
    packaged: result,
    file,
    resources: parsed.Resources ?? {},
    outputs: parsed.Outputs ?? {},
    context: { parameters: parsed.Parameters ?? {}, conditions: parsed.Conditions ?? {} },
  };
}

function getAttId(value: unknown): string | undefined {
  const getAtt = (value as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt'];
  return getAtt?.[1] === 'Arn' ? getAtt[0] : undefined;
}

/** The template as CloudFormation deploys it with the parameters' defaults: every Fn::If taken, NoValue gone. */
function decided(value: unknown, context: TemplateContext): unknown {
  if (Array.isArray(value)) return value.map((v) => decided(v, context)).filter((v) => v !== undefined);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  const [key, arg] = entries[0] ?? [];
  if (entries.length === 1 && key === 'Fn::If') {
    const [condition, whenTrue, whenFalse] = arg as [string, unknown, unknown];
    return decided(evaluateCondition(condition, context) ? whenTrue : whenFalse, context);
  }
  if (entries.length === 1 && key === 'Ref' && arg === 'AWS::NoValue') return undefined;
  return Object.fromEntries(
    entries.map(([k, v]) => [k, decided(v, context)]).filter(([, v]) => v !== undefined),
  );
}

/** The resources CloudFormation creates: those without a Condition or whose Condition holds. */
function created(t: Template): Array<[string, Resource]> {
  return Object.entries(t.resources).filter(
    ([, r]) => !r.Condition || evaluateCondition(r.Condition, t.context),
  );
}

const functionsOf = (t: Template) =>
  Object.fromEntries(
    Object.values(t.resources)
      .filter((r) => r.Type === 'AWS::Lambda::Function')
      .map((r) => [String(r.Properties.FunctionName).replace(`waf-maintenance-${STAGE}-`, ''), r]),
  );

/** The statements of a function's role, as deployed with the template's parameters. */
function statementsOf(t: Template, name: string): Statement[] {
  const role = t.resources[getAttId(functionsOf(t)[name]?.Properties.Role) ?? ''];
  expect(role?.Type).toBe('AWS::IAM::Role');
  expect(role?.Properties.ManagedPolicyArns).toBeUndefined();
  const policies = decided(role?.Properties.Policies ?? [], t.context) as Array<{
    PolicyDocument: { Statement: Statement[] };
  }>;
  return policies.flatMap((p) => p.PolicyDocument.Statement);
}

const resourcesFor = (statements: Statement[], action: string) =>
  statements.filter((s) => [s.Action].flat().includes(action)).flatMap((s) => [s.Resource].flat());

const logs = ['logs:CreateLogStream', 'logs:PutLogEvents'];
const GROUP_ARN = { 'Fn::GetAtt': ['MaintenanceRuleGroup', 'Arn'] };
const SET_ARNS = [
  { 'Fn::GetAtt': ['MaintenanceRuleGroup', 'Ipv4SetArn'] },
  { 'Fn::GetAtt': ['MaintenanceRuleGroup', 'Ipv6SetArn'] },
];

/** Only the actions each function calls, in managed mode; attach mode's getMaintenance reads no distribution. */
/** Setting a timer: a one-time schedule, which names the role Scheduler invokes `scheduled` with. */
const setsTimers = ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'iam:PassRole'];

const EXPECTED_ACTIONS: Record<string, string[]> = {
  getMaintenance: [
    'wafv2:GetRuleGroup',
    'wafv2:GetWebACL',
    'dynamodb:GetItem',
    'cloudfront:ListDistributionsByWebACLId',
    'cloudfront:GetDistributionConfig',
    ...logs,
  ],
  setMaintenance: [
    'wafv2:GetRuleGroup',
    // The caller's check: are they in the bypass set?
    'wafv2:GetIPSet',
    'wafv2:UpdateRuleGroup',
    'dynamodb:GetItem',
    'dynamodb:PutItem',
    // `endsAt`: the window's end timer (and deleting it again, or a superseded window's).
    ...setsTimers,
    'scheduler:DeleteSchedule',
    ...logs,
  ],
  getBypass: ['wafv2:GetIPSet', 'dynamodb:GetItem', ...logs],
  // dynamodb:PutItem: the history entry of each change.
  updateBypass: ['wafv2:GetIPSet', 'wafv2:UpdateIPSet', 'dynamodb:GetItem', 'dynamodb:PutItem', ...logs],
  getExemptions: ['wafv2:GetRuleGroup', 'dynamodb:GetItem', ...logs],
  updateExemptions: [
    'wafv2:GetRuleGroup',
    'wafv2:UpdateRuleGroup',
    'dynamodb:GetItem',
    'dynamodb:PutItem',
    ...logs,
  ],
  getHistory: ['dynamodb:GetItem', 'dynamodb:Query', ...logs],
  createWindow: ['dynamodb:GetItem', 'dynamodb:PutItem', ...setsTimers, 'scheduler:DeleteSchedule', ...logs],
  listWindows: ['dynamodb:GetItem', ...logs],
  cancelWindow: [
    'wafv2:GetRuleGroup',
    'wafv2:UpdateRuleGroup',
    'dynamodb:GetItem',
    'dynamodb:PutItem',
    'scheduler:DeleteSchedule',
    ...logs,
  ],
  scheduled: [
    'wafv2:GetRuleGroup',
    'wafv2:UpdateRuleGroup',
    'dynamodb:GetItem',
    'dynamodb:PutItem',
    ...setsTimers,
    'ssm:GetParameter',
    ...logs,
  ],
  announce: [
    'dynamodb:DescribeStream',
    'dynamodb:GetRecords',
    'dynamodb:GetShardIterator',
    'dynamodb:ListStreams',
    'ssm:GetParameter',
    // The reminders' timers: set by a turn-on, deleted by a turn-off.
    ...setsTimers,
    'scheduler:DeleteSchedule',
    ...logs,
  ],
  slackCommand: [
    'ssm:GetParameter',
    'dynamodb:GetItem',
    'dynamodb:PutItem',
    'lambda:InvokeFunction',
    ...logs,
  ],
  slackWorker: [
    'wafv2:GetRuleGroup',
    'wafv2:UpdateRuleGroup',
    'wafv2:GetIPSet',
    'wafv2:UpdateIPSet',
    'dynamodb:GetItem',
    'dynamodb:PutItem',
    ...setsTimers,
    'scheduler:DeleteSchedule',
    ...logs,
  ],
  notFound: logs,
  ruleGroupResource: [
    'wafv2:CreateIPSet',
    'wafv2:GetIPSet',
    'wafv2:DeleteIPSet',
    'wafv2:CreateRuleGroup',
    'wafv2:GetRuleGroup',
    'wafv2:UpdateRuleGroup',
    'wafv2:DeleteRuleGroup',
    'dynamodb:GetItem',
    ...logs,
  ],
};

const modes: Record<string, { params: Record<string, string>; template?: Template & { out: string } }> = {
  managed: { params: {} },
  attach: { params: { attachTo: ATTACH_TO.join(',') } },
};
const template = (mode: string) => modes[mode]?.template as Template;

beforeAll(async () => {
  await Promise.all(
    Object.values(modes).map(async (mode) => {
      mode.template = await packaged(mode.params);
    }),
  );
}, COMMAND_TIMEOUT_MS + 10_000);

afterAll(() => {
  for (const mode of Object.values(modes))
    rmSync(mode.template?.out ?? '/nonexistent', { recursive: true, force: true });
});

describe.each(Object.keys(modes))('the packaged CloudFormation template, %s mode', (mode) => {
  const t = () => template(mode);
  const ofType = (type: string) => Object.entries(t().resources).filter(([, r]) => r.Type === type);

  it('packages offline, one zip per function', () => {
    expect(t().packaged).toMatchObject({ code: 0 });
    expect(Object.keys(functionsOf(t())).sort()).toEqual([...FUNCTIONS].sort());
    for (const name of FUNCTIONS) {
      const zip = join(t().packaged.outDir, `${name}.zip`);
      expect(existsSync(zip) && statSync(zip).size).toBeGreaterThan(1000);
    }
  });

  it(
    'passes cfn-lint without errors',
    async () => {
      const result = await lint(t().file);

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
    const runtimes = Object.values(functionsOf(t())).map((f) => f.Properties.Runtime);
    expect(runtimes).toEqual(FUNCTIONS.map(() => 'nodejs22.x'));
  });

  it('leaves the switch to the custom resource: no IP set, no rule group, no maintenance rule in the template', () => {
    expect(ofType('AWS::WAFv2::IPSet')).toEqual([]);
    expect(ofType('AWS::WAFv2::RuleGroup')).toEqual([]);
    const text = JSON.stringify(t().resources);
    expect(text).not.toContain('IPSetReferenceStatement');
    expect(text).not.toContain('maintenance-block');
    expect(text).not.toContain('CustomResponseBodies');
  });

  it('makes the switch with Custom::MaintenanceRuleGroup, from this code, under its stage name', () => {
    const found = ofType('Custom::MaintenanceRuleGroup');
    expect(found.map(([id]) => id)).toEqual(['MaintenanceRuleGroup']);
    const [, resource] = found[0] as [string, Resource];
    expect(resource.Condition).toBeUndefined();
    expect(resource.Properties).toEqual({
      ServiceToken: { 'Fn::GetAtt': ['RuleGroupResourceLambdaFunction', 'Arn'] },
      ServiceTimeout: expect.any(Number),
      Name: GROUP,
      PageStyle: { 'Fn::If': ['IsManaged', 'hosted', 'inline'] },
      TableName: { Ref: 'MaintenanceTable' },
      RulesRevision: RULES_REVISION,
      AttachTo: { Ref: 'AttachTo' },
    });
    const fn = functionsOf(t()).ruleGroupResource as Resource;
    expect(fn.Properties.Handler).toBe('handlers/rule-group-resource.handler');
    expect(fn.Properties.Timeout).toBe(60);
    // CloudFormation fails it if no answer comes within ServiceTimeout: more than the function's 60 s.
    expect(Number(resource.Properties.ServiceTimeout)).toBeGreaterThan(60);
    expect(Number(resource.Properties.ServiceTimeout)).toBeLessThanOrEqual(300);
    // A retry would run a Create again; and the function cannot depend on what it makes.
    const retries = ofType('AWS::Lambda::EventInvokeConfig').map(([, r]) => r.Properties);
    expect(retries).toContainEqual(
      expect.objectContaining({
        FunctionName: { Ref: 'RuleGroupResourceLambdaFunction' },
        MaximumRetryAttempts: 0,
      }),
    );
    expect(JSON.stringify(fn)).not.toContain('MaintenanceRuleGroup');
  });

  it('gives every other function the switch and the table, by the custom resource attributes', () => {
    for (const [name, fn] of Object.entries(functionsOf(t()))) {
      if (name === 'ruleGroupResource') continue;
      expect(fn.Properties.Environment).toMatchObject({
        Variables: {
          TABLE_NAME: `waf-maintenance-${STAGE}`,
          RULE_GROUP_ARN: GROUP_ARN,
          BYPASS_IPV4_ARN: SET_ARNS[0],
          BYPASS_IPV6_ARN: SET_ARNS[1],
        },
      });
      const page = decided((fn.Properties.Environment as Json).Variables, t().context) as Json;
      expect(page.MAINTENANCE_PAGE).toBe(mode === 'managed' ? 'hosted' : 'inline');
    }
  });

  it('never retries the Slack worker, whose retry would repeat a change, and keeps the secret out of the template', () => {
    const configs = ofType('AWS::Lambda::EventInvokeConfig').map(([, r]) => r.Properties);
    expect(configs).toContainEqual(
      expect.objectContaining({
        FunctionName: { Ref: 'SlackWorkerLambdaFunction' },
        MaximumRetryAttempts: 0,
      }),
    );
    expect(ofType('AWS::SSM::Parameter')).toEqual([]);
    expect(functionsOf(t()).slackCommand?.Properties.Environment).toMatchObject({
      Variables: {
        SLACK_SIGNING_SECRET_PARAMETER: `/waf-maintenance/${STAGE}/slack-signing-secret`,
        SLACK_WORKER_FUNCTION: `waf-maintenance-${STAGE}-slackWorker`,
        // Deployed, only Slack's own response URLs are accepted.
        SLACK_RESPONSE_URL_PREFIX: '',
      },
    });
  });

  it("blocks all public access to the framework's deployment bucket", () => {
    expect(t().resources.ServerlessDeploymentBucket?.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
  });

  it("outputs the API's URL and the rule group's ARN", () => {
    expect(t().outputs.HttpApiUrl?.Value).toEqual({
      'Fn::Join': [
        '',
        [
          'https://',
          { Ref: 'HttpApi' },
          '.execute-api.',
          { Ref: 'AWS::Region' },
          '.',
          { Ref: 'AWS::URLSuffix' },
        ],
      ],
    });
    expect(t().outputs.RuleGroupArn).toMatchObject({
      Value: GROUP_ARN,
      Export: { Name: `waf-maintenance-${STAGE}-RuleGroupArn` },
    });
    expect(t().outputs.RuleGroupArn?.Condition).toBeUndefined();
  });

  describe('least privilege', () => {
    it('gives each function a role of its own', () => {
      const roles = Object.values(functionsOf(t())).map((f) => getAttId(f.Properties.Role));
      expect(new Set(roles).size).toBe(roles.length);
      // And one more: Scheduler's, to invoke `scheduled`.
      expect(
        ofType('AWS::IAM::Role')
          .map(([id]) => id)
          .filter((id) => !roles.includes(id)),
      ).toEqual(['SchedulerRole']);
    });

    it('lets Scheduler, and only from this account, invoke the scheduled function and nothing else', () => {
      const role = t().resources.SchedulerRole?.Properties ?? {};
      expect(role.AssumeRolePolicyDocument).toEqual({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'scheduler.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          },
        ],
      });
      const statements = (role.Policies as Array<{ PolicyDocument: { Statement: Statement[] } }>).flatMap(
        (p) => p.PolicyDocument.Statement,
      );
      expect(statements).toEqual([
        {
          Effect: 'Allow',
          Action: 'lambda:InvokeFunction',
          Resource: {
            'Fn::Sub': `arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:waf-maintenance-${STAGE}-scheduled`,
          },
        },
      ]);
    });

    it.each(['setMaintenance', 'createWindow', 'scheduled', 'announce', 'slackWorker'])(
      'lets %s pass only the scheduler role, only to Scheduler, and set timers in the stage group only',
      (name) => {
        const statements = statementsOf(t(), name);
        const passes = statements.filter((s) => s.Action === 'iam:PassRole');
        expect(passes).toEqual([
          {
            Effect: 'Allow',
            Action: 'iam:PassRole',
            Resource: { 'Fn::GetAtt': ['SchedulerRole', 'Arn'] },
            Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
          },
        ]);
        // The reminders' schedules for the functions that set reminders, a window's for those that plan
        // windows: neither may touch the other's.
        const names =
          name === 'scheduled' || name === 'announce'
            ? ['reminder-*']
            : name === 'setMaintenance'
              ? ['*-end']
              : ['*-start', '*-end'];
        expect(resourcesFor(statements, 'scheduler:CreateSchedule')).toEqual(
          names.map((n) => ({
            'Fn::Sub': `arn:\${AWS::Partition}:scheduler:\${AWS::Region}:\${AWS::AccountId}:schedule/waf-maintenance-${STAGE}/${n}`,
          })),
        );
      },
    );

    it('runs a failed window edge or reminder again, twice, for up to the hour a timer may be late', () => {
      const configs = ofType('AWS::Lambda::EventInvokeConfig')
        .map(([, r]) => r.Properties)
        .filter((p) => JSON.stringify(p.FunctionName) === JSON.stringify({ Ref: 'ScheduledLambdaFunction' }));
      expect(configs).toEqual([
        expect.objectContaining({
          FunctionName: { Ref: 'ScheduledLambdaFunction' },
          MaximumRetryAttempts: 2,
          MaximumEventAgeInSeconds: 3600,
        }),
      ]);
    });

    it("keeps the windows' timers in a schedule group of the stage's own", () => {
      expect(ofType('AWS::Scheduler::ScheduleGroup')).toEqual([
        [
          'ScheduleGroup',
          { Type: 'AWS::Scheduler::ScheduleGroup', Properties: { Name: `waf-maintenance-${STAGE}` } },
        ],
      ]);
    });

    it.each(FUNCTIONS)('grants %s only the actions it calls', (name) => {
      const actions = statementsOf(t(), name).flatMap((s) => [s.Action].flat());
      const expected = (EXPECTED_ACTIONS[name] ?? []).filter(
        (a) => mode === 'managed' || a !== 'cloudfront:GetDistributionConfig',
      );
      expect([...new Set(actions)].sort()).toEqual([...expected].sort());
    });

    it('lets no role write a web ACL', () => {
      const actions = FUNCTIONS.flatMap((name) => statementsOf(t(), name).flatMap((s) => [s.Action].flat()));
      expect(actions.length).toBeGreaterThan(0);
      expect(actions).not.toContain('wafv2:UpdateWebACL');
      const webAclActions = actions.filter((a) => /^wafv2:\w+WebACL/.test(a));
      expect([...new Set(webAclActions)]).toEqual(['wafv2:GetWebACL']);
    });

    it.each(FUNCTIONS)(
      'grants %s nothing on * but the one list action that has no resource, and only Allow',
      (name) => {
        for (const statement of statementsOf(t(), name)) {
          expect(statement.Effect).toBe('Allow');
          for (const action of [statement.Action].flat()) expect(action).not.toContain('*');
          const star = [statement.Resource].flat().includes('*');
          expect({ action: statement.Action, star }).toEqual({
            action: statement.Action,
            star: statement.Action === 'cloudfront:ListDistributionsByWebACLId',
          });
        }
      },
    );

    it.each(['setMaintenance', 'updateExemptions', 'slackWorker', 'cancelWindow', 'scheduled'])(
      'lets %s write the switch rule group only, authorised against the two bypass sets it references',
      (name) => {
        const statements = statementsOf(t(), name);
        expect(resourcesFor(statements, 'wafv2:GetRuleGroup')).toEqual([GROUP_ARN]);
        expect(resourcesFor(statements, 'wafv2:UpdateRuleGroup')).toEqual([GROUP_ARN, ...SET_ARNS]);
      },
    );

    it('lets getExemptions read the switch rule group only', () => {
      expect(resourcesFor(statementsOf(t(), 'getExemptions'), 'wafv2:GetRuleGroup')).toEqual([GROUP_ARN]);
    });

    it.each(['getBypass', 'updateBypass', 'slackWorker'])(
      'lets %s touch the two bypass sets only',
      (name) => {
        const statements = statementsOf(t(), name);
        expect(resourcesFor(statements, 'wafv2:GetIPSet')).toEqual(SET_ARNS);
        if (name !== 'getBypass') expect(resourcesFor(statements, 'wafv2:UpdateIPSet')).toEqual(SET_ARNS);
      },
    );

    it('lets getMaintenance read the group, and the web ACLs and distribution of its mode', () => {
      const statements = statementsOf(t(), 'getMaintenance');
      expect(resourcesFor(statements, 'wafv2:GetRuleGroup')).toEqual([GROUP_ARN]);
      const acls = resourcesFor(statements, 'wafv2:GetWebACL');
      const distributions = resourcesFor(statements, 'cloudfront:GetDistributionConfig');
      if (mode === 'managed') {
        expect(acls).toEqual([{ 'Fn::GetAtt': ['MaintenanceWebAcl', 'Arn'] }]);
        const arn =
          // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub syntax
          'arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${MaintenanceDistribution}';
        expect(distributions).toEqual([{ 'Fn::Sub': arn }]);
      } else {
        expect(acls).toEqual([{ 'Fn::Split': [',', { Ref: 'AttachTo' }] }]);
        expect(String(t().context.parameters?.AttachTo?.Default).split(',')).toEqual(ATTACH_TO);
        expect(distributions).toEqual([]);
      }
    });

    it("limits the custom resource's role to the switch's own names, and the table", () => {
      const statements = statementsOf(t(), 'ruleGroupResource');
      const names = bypassSetNames(GROUP);
      const sub = (kind: string, name: string) => ({
        'Fn::Sub': `arn:\${AWS::Partition}:wafv2:us-east-1:\${AWS::AccountId}:global/${kind}/${name}/*`,
      });
      const sets = [sub('ipset', names.v4), sub('ipset', names.v6)];
      const group = sub('rulegroup', GROUP);
      for (const action of ['wafv2:CreateIPSet', 'wafv2:GetIPSet', 'wafv2:DeleteIPSet']) {
        expect(resourcesFor(statements, action)).toEqual(sets);
      }
      for (const action of ['wafv2:GetRuleGroup', 'wafv2:DeleteRuleGroup']) {
        expect(resourcesFor(statements, action)).toEqual([group]);
      }
      for (const action of ['wafv2:CreateRuleGroup', 'wafv2:UpdateRuleGroup']) {
        expect(resourcesFor(statements, action)).toEqual([group, ...sets]);
      }
      expect(resourcesFor(statements, 'dynamodb:GetItem')).toEqual([
        { 'Fn::GetAtt': ['MaintenanceTable', 'Arn'] },
      ]);
    });

    it.each([
      ['setMaintenance', ['change#*', 'entry#*', 'calendar']],
      ['slackWorker', ['change#*', 'entry#*', 'calendar']],
      ['createWindow', ['entry#*', 'calendar']],
      ['cancelWindow', ['change#*', 'entry#*', 'calendar']],
      ['scheduled', ['change#*', 'entry#*', 'calendar']],
      ['updateBypass', ['entry#*']],
      ['updateExemptions', ['entry#*']],
    ])('lets %s put only the items it writes (%j), never a token or a grant', (name, keys) => {
      const puts = statementsOf(t(), name).filter((s) => [s.Action].flat().includes('dynamodb:PutItem'));
      expect(puts.map((s) => s.Condition)).toEqual([
        { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': keys } },
      ]);
    });

    it('lets getHistory query the history index only, and read no table item but tokens', () => {
      const statements = statementsOf(t(), 'getHistory');
      expect(resourcesFor(statements, 'dynamodb:Query')).toEqual([
        { 'Fn::Sub': `\${MaintenanceTable.Arn}/index/${HISTORY_INDEX}` },
      ]);
      expect(resourcesFor(statements, 'dynamodb:GetItem')).toEqual([
        { 'Fn::GetAtt': ['MaintenanceTable', 'Arn'] },
      ]);
    });

    it('announces only new history entries: the stream, filtered to entry# INSERTs, read by announce alone', () => {
      const table = t().resources.MaintenanceTable?.Properties ?? {};
      expect(table.StreamSpecification).toEqual({ StreamViewType: 'NEW_IMAGE' });
      const mappings = Object.values(t().resources).filter(
        (r) => r.Type === 'AWS::Lambda::EventSourceMapping',
      );
      expect(mappings).toHaveLength(1);
      expect(mappings[0]?.Properties).toMatchObject({
        EventSourceArn: { 'Fn::GetAtt': ['MaintenanceTable', 'StreamArn'] },
        StartingPosition: 'LATEST',
        MaximumRetryAttempts: 1,
        FilterCriteria: {
          Filters: [
            {
              Pattern: JSON.stringify({
                eventName: ['INSERT'],
                dynamodb: { Keys: { pk: { S: [{ prefix: 'entry#' }] } } },
              }),
            },
          ],
        },
      });
      expect(resourcesFor(statementsOf(t(), 'announce'), 'dynamodb:GetRecords')).toEqual([
        { 'Fn::GetAtt': ['MaintenanceTable', 'StreamArn'] },
      ]);
    });

    it('indexes the history: hk and hs, newest first by one Query', () => {
      const table = t().resources.MaintenanceTable?.Properties ?? {};
      expect(table.GlobalSecondaryIndexes).toEqual([
        {
          IndexName: HISTORY_INDEX,
          KeySchema: [
            { AttributeName: 'hk', KeyType: 'HASH' },
            { AttributeName: 'hs', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ]);
    });

    it.each(FUNCTIONS)('lets %s write to its own log group only', (name) => {
      const logResources = statementsOf(t(), name)
        .filter((s) => [s.Action].flat().some((a) => a.startsWith('logs:')))
        .flatMap((s) => [s.Resource].flat());
      expect(logResources).toEqual([
        {
          'Fn::Sub': expect.stringMatching(
            new RegExp(`:log-group:/aws/lambda/waf-maintenance-${STAGE}-${name}:\\*$`),
          ),
        },
      ]);
    });
  });
});

describe('attach mode', () => {
  const t = () => template('attach');

  it('creates no web ACL, no distribution and none of the edge, and says so in its outputs', () => {
    expect(evaluateCondition('IsManaged', t().context)).toBe(false);
    const types = created(t()).map(([, r]) => r.Type);
    for (const type of EDGE_TYPES) expect(types).not.toContain(type);
    const buckets = created(t()).filter(([, r]) => r.Type.startsWith('AWS::S3::'));
    expect(buckets.map(([id]) => id).sort()).toEqual([
      'ServerlessDeploymentBucket',
      'ServerlessDeploymentBucketPolicy',
    ]);
    const outputs = Object.entries(t().outputs)
      .filter(([, o]) => !o.Condition || evaluateCondition(o.Condition, t().context))
      .map(([key]) => key);
    expect(outputs).toEqual(expect.arrayContaining(['HttpApiUrl', 'RuleGroupArn']));
    for (const key of ['WebAclArn', 'DistributionId', 'DistributionDomainName', 'SiteBucketName']) {
      expect(outputs).not.toContain(key);
    }
  });

  it("points getMaintenance at the team's web ACLs and at no distribution", () => {
    const environment = functionsOf(t()).getMaintenance?.Properties.Environment as Json | undefined;
    const variables = decided(environment?.Variables, t().context) as Json;
    expect(variables).toMatchObject({
      WEB_ACL_ARNS: { Ref: 'AttachTo' },
      DISTRIBUTION_ID: '',
      SITE_PAGE_URL: '',
    });
  });
});

describe('managed mode', () => {
  const t = () => template('managed');
  const ofType = (type: string) => Object.entries(t().resources).filter(([, r]) => r.Type === type);
  const only = (type: string): [string, Json] => {
    const found = ofType(type);
    expect(found).toHaveLength(1);
    const [id, resource] = found[0] as [string, Resource];
    expect(resource.Condition).toBe('IsManaged');
    return [id, resource.Properties];
  };
  const distribution = () => only('AWS::CloudFront::Distribution');
  /** The bucket behind the distribution's S3 origin (osls adds its own deployment bucket too). */
  const siteBucket = (): [string, Json] => {
    const origin = (config().Origins as Json[]).find((o) => o.S3OriginConfig);
    const getAtt = (origin?.DomainName as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt'];
    const [id = '', attribute] = getAtt ?? [];
    expect(attribute).toBe('RegionalDomainName');
    expect(t().resources[id]).toMatchObject({ Type: 'AWS::S3::Bucket', Condition: 'IsManaged' });
    return [id, t().resources[id]?.Properties ?? {}];
  };
  const config = () => distribution()[1].DistributionConfig as Json;
  const behaviours = () => [config().DefaultCacheBehavior, ...(config().CacheBehaviors as Json[])] as Json[];

  it('is the default: its condition holds with no attachTo', () => {
    expect(t().context.parameters?.AttachTo?.Default).toBe('');
    expect(evaluateCondition('IsManaged', t().context)).toBe(true);
  });

  it('has one CloudFront web ACL that allows by default, whose one rule references the group first', () => {
    const [, acl] = only('AWS::WAFv2::WebACL');
    expect(acl).toMatchObject({ Scope: 'CLOUDFRONT', DefaultAction: { Allow: {} } });
    // As `maintenance attach` would write it (src/domain/rule-group-reference.ts), in CloudFormation's spelling.
    const expected = referenceRule('unused', GROUP, 0);
    expect(acl.Rules).toEqual([
      { ...expected, Statement: { RuleGroupReferenceStatement: { Arn: GROUP_ARN } } },
    ]);
    expect(acl).not.toHaveProperty('CustomResponseBodies');
  });

  it('outputs the web ACL, the distribution and the site bucket', () => {
    expect(t().outputs.WebAclArn).toEqual({
      Condition: 'IsManaged',
      Value: { 'Fn::GetAtt': ['MaintenanceWebAcl', 'Arn'] },
    });
    expect(t().outputs.DistributionId).toMatchObject({
      Condition: 'IsManaged',
      Value: { Ref: distribution()[0] },
    });
    expect(t().outputs.DistributionDomainName).toMatchObject({ Condition: 'IsManaged' });
    expect(t().outputs.SiteBucketName).toEqual({ Condition: 'IsManaged', Value: { Ref: siteBucket()[0] } });
  });

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
    const policies = ofType('AWS::S3::BucketPolicy').filter(
      ([, r]) => (r.Properties.Bucket as { Ref?: string }).Ref === bucketId,
    );
    expect(policies).toHaveLength(1);
    const [, policy] = policies[0] as [string, Resource];
    expect(policy.Condition).toBe('IsManaged');
    const statements = (policy.Properties.PolicyDocument as { Statement: Json[] }).Statement;

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

  it('tells getMaintenance which web ACL, distribution and page to check', () => {
    const [distributionId] = distribution();
    expect(functionsOf(t()).getMaintenance?.Properties.Environment).toMatchObject({
      Variables: {
        WEB_ACL_ARNS: {
          'Fn::If': ['IsManaged', { 'Fn::GetAtt': ['MaintenanceWebAcl', 'Arn'] }, { Ref: 'AttachTo' }],
        },
        DISTRIBUTION_ID: { 'Fn::If': ['IsManaged', { Ref: distributionId }, ''] },
        SITE_PAGE_URL: {
          'Fn::If': [
            'IsManaged',
            { 'Fn::Sub': `https://\${${distributionId}.DomainName}/maintenance/index.html` },
            '',
          ],
        },
      },
    });
  });
});
