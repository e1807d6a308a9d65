import type { IPSet, Rule, RuleGroup, WebACL } from '@aws-sdk/client-wafv2';
import {
  compileWebAcl,
  evaluateWebAcl,
  UnsupportedWafFeature,
  type WafReferences,
  type WafRequest,
} from '../../../scripts/local/edge/waf-evaluator';
import { MAINTENANCE_PROBLEM_TYPE } from '../../../src/domain/maintenance-page';
import {
  HTML_BODY_KEY,
  initialState,
  PASS_LABEL,
  ruleGroupDocument,
  type SwitchState,
  withExemptions,
  withMaintenance,
} from '../../../src/domain/rule-group';
import { referenceRule } from '../../../src/domain/rule-group-reference';
import { checkExemptPath } from '../../../src/domain/values';

const ACCOUNT = '123456789012';
const GROUP_ARN = `arn:aws:wafv2:us-east-1:${ACCOUNT}:global/rulegroup/waf-maintenance-dev/aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa`;
const OTHER_GROUP_ARN = `arn:aws:wafv2:us-east-1:${ACCOUNT}:global/rulegroup/team/bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb`;
const ACL_ARN = `arn:aws:wafv2:us-east-1:${ACCOUNT}:global/webacl/site/cccccccc-cccc-cccc-cccc-cccccccccccc`;
const V4 = `arn:aws:wafv2:us-east-1:${ACCOUNT}:global/ipset/bypass-v4/11111111-1111-1111-1111-111111111111`;
const V6 = `arn:aws:wafv2:us-east-1:${ACCOUNT}:global/ipset/bypass-v6/22222222-2222-2222-2222-222222222222`;
const GROUP_NS = `awswaf:${ACCOUNT}:rulegroup:waf-maintenance-dev:`;
const ACL_NS = `awswaf:${ACCOUNT}:webacl:site:`;

const visibility = { SampledRequestsEnabled: false, CloudWatchMetricsEnabled: false, MetricName: 'm' };
const everything = {
  NotStatement: { Statement: { LabelMatchStatement: { Scope: 'LABEL', Key: 'never:set' } } },
} as const;

/** The switch's own rule group, as src/domain/rule-group.ts writes it (no LabelNamespace: built from the ARN). */
function switchGroup(state: SwitchState): RuleGroup {
  return {
    Name: 'waf-maintenance-dev',
    Id: 'a',
    ARN: GROUP_ARN,
    Capacity: 100,
    ...ruleGroupDocument('waf-maintenance-dev', state),
  };
}

const off = initialState({ v4: V4, v6: V6 }, 'hosted');
const on = withMaintenance(
  off,
  { enabled: true, retryAfterSeconds: 1200, reason: 'Database <upgrade>' },
  'c1',
  'hosted',
);

function webAcl(overrides: Partial<WebACL> = {}): WebACL {
  return {
    Name: 'site',
    Id: 'c',
    ARN: ACL_ARN,
    LabelNamespace: ACL_NS,
    DefaultAction: { Allow: {} },
    VisibilityConfig: visibility,
    Rules: [referenceRule(GROUP_ARN, 'waf-maintenance-dev', 0)],
    ...overrides,
  };
}

function references(groups: RuleGroup[], addresses: { v4?: string[]; v6?: string[] } = {}): WafReferences {
  const sets: Record<string, IPSet> = {
    [V4]: { Name: 'bypass-v4', Id: '1', ARN: V4, IPAddressVersion: 'IPV4', Addresses: addresses.v4 ?? [] },
    [V6]: { Name: 'bypass-v6', Id: '2', ARN: V6, IPAddressVersion: 'IPV6', Addresses: addresses.v6 ?? [] },
  };
  return {
    ruleGroup: (arn) => {
      const group = groups.find((g) => g.ARN === arn);
      if (!group) throw new Error(`no group ${arn}`);
      return group;
    },
    ipSet: (arn) => sets[arn] as IPSet,
  };
}

function request(overrides: Partial<WafRequest> = {}): WafRequest {
  return { sourceIp: '127.0.0.2', method: 'GET', path: '/', query: '', headers: {}, ...overrides };
}

/** A team's own rule group, standing next to the switch's. */
const teamGroup = (rules: Rule[], extra: Partial<RuleGroup> = {}): RuleGroup => ({
  Name: 'team',
  Id: 'b',
  ARN: OTHER_GROUP_ARN,
  Capacity: 10,
  VisibilityConfig: visibility,
  Rules: rules,
  ...extra,
});

const rule = (name: string, priority: number, action: Rule['Action'], extra: Partial<Rule> = {}): Rule => ({
  Name: name,
  Priority: priority,
  Action: action,
  Statement: everything,
  VisibilityConfig: visibility,
  ...extra,
});

describe('evaluateWebAcl with the switch’s rule group', () => {
  const bypass = { v4: ['127.0.0.3/32'], v6: ['2001:db8::/32'] };

  it('lets every request through while maintenance is off, labelling only what passes', () => {
    const refs = references([switchGroup(off)], bypass);
    expect(evaluateWebAcl(webAcl(), request(), refs)).toEqual({ action: 'allow', labels: [] });
    expect(evaluateWebAcl(webAcl(), request({ sourceIp: '127.0.0.3' }), refs)).toEqual({
      action: 'allow',
      labels: [`${GROUP_NS}${PASS_LABEL}`],
    });
  });

  it('blocks a visitor with the 503, Retry-After and the group’s HTML page while on', () => {
    const verdict = evaluateWebAcl(webAcl(), request(), references([switchGroup(on)], bypass));
    expect(verdict).toMatchObject({
      action: 'block',
      rule: 'waf-maintenance-dev/maintenance-block',
      status: 503,
      headers: { 'Retry-After': '1200', 'Cache-Control': 'no-store' },
      custom: true,
      body: { contentType: 'text/html', content: on.bodies[HTML_BODY_KEY].Content },
    });
    expect(verdict.action === 'block' && verdict.body?.content).toContain('Database &lt;upgrade&gt;');
  });

  it('gives a JSON client the problem+json body', () => {
    const verdict = evaluateWebAcl(
      webAcl(),
      request({ headers: { accept: 'Application/JSON' } }),
      references([switchGroup(on)], bypass),
    );
    expect(verdict).toMatchObject({
      action: 'block',
      rule: 'waf-maintenance-dev/maintenance-json',
      status: 503,
    });
    const body = verdict.action === 'block' ? verdict.body : null;
    expect(body?.contentType).toBe('application/json');
    expect(JSON.parse(body?.content ?? '{}')).toMatchObject({ type: MAINTENANCE_PROBLEM_TYPE, status: 503 });
  });

  it.each([
    ['the page’s own assets', request({ path: '/maintenance/style.css' })],
    ['a bypassed IPv4 address', request({ sourceIp: '127.0.0.3' })],
    ['a bypassed IPv4 address seen as IPv4-mapped IPv6', request({ sourceIp: '::ffff:127.0.0.3' })],
    [
      'a bypassed IPv6 address',
      request({ sourceIp: '2001:db8::42', headers: { accept: 'application/json' } }),
    ],
  ])('lets %s through while on', (_what, req) => {
    expect(evaluateWebAcl(webAcl(), req, references([switchGroup(on)], bypass))).toEqual({
      action: 'allow',
      labels: [`${GROUP_NS}${PASS_LABEL}`],
    });
  });

  it('blocks a path that only looks like the assets’ (case, encoding)', () => {
    const refs = references([switchGroup(on)], bypass);
    expect(evaluateWebAcl(webAcl(), request({ path: '/Maintenance/style.css' }), refs).action).toBe('block');
    expect(evaluateWebAcl(webAcl(), request({ path: '/maintenance' }), refs).action).toBe('block');
  });
});

describe('evaluateWebAcl with exempt paths and the secret bypass link', () => {
  const SECRET = 'edge-secret-edge-secret-edge-secret-edge-s';
  const listed = ['/health', '/api/webhooks/*'].map((p) => {
    const checked = checkExemptPath(p);
    if (!checked.ok) throw new Error(checked.message);
    return checked.value;
  });
  const turnOn = { enabled: true, retryAfterSeconds: 1200, reason: 'Database <upgrade>' };
  const exemptOn = withMaintenance(withExemptions(off, listed), turnOn, 'c2', 'hosted', () => SECRET);
  const refs = references([switchGroup(exemptOn)]);
  const verdict = (overrides: Partial<WafRequest>) => evaluateWebAcl(webAcl(), request(overrides), refs);

  it.each(['/health', '/api/webhooks/', '/api/webhooks/stripe', '/api/webhooks/stripe/v2'])(
    'lets the exempt %s through while on',
    (path) => {
      expect(verdict({ path }).action).toBe('allow');
    },
  );

  it.each(['/healthz', '/health/deep', '/health/', '/Health', '/api/webhooks', '/api/webhooksx', '/api/web'])(
    'keeps the neighbour %s blocked',
    (path) => {
      expect(verdict({ path })).toMatchObject({ action: 'block', status: 503 });
    },
  );

  it('answers the link with a 302 to / and the cookie, even to a JSON client', () => {
    for (const headers of [{}, { accept: 'application/json' }]) {
      expect(verdict({ path: `/__maintenance/bypass/${SECRET}`, headers })).toMatchObject({
        action: 'block',
        rule: 'waf-maintenance-dev/maintenance-bypass-link',
        status: 302,
        custom: true,
        body: null,
        headers: {
          Location: '/',
          'Set-Cookie': `maintenance_bypass=${SECRET}; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=86400`,
        },
      });
    }
  });

  it.each([
    ['a wrong secret', `/__maintenance/bypass/${SECRET.slice(0, -1)}x`],
    ['a longer path', `/__maintenance/bypass/${SECRET}/more`],
    ['no secret', '/__maintenance/bypass/'],
  ])('gives %s in the link the maintenance page, not the cookie', (_what, path) => {
    expect(verdict({ path })).toMatchObject({ action: 'block', status: 503 });
  });

  it.each([
    ['the cookie alone', `maintenance_bypass=${SECRET}`],
    ['the cookie among others', `theme=dark; maintenance_bypass=${SECRET}; session=abc`],
  ])('lets %s through', (_what, cookie) => {
    expect(verdict({ headers: { cookie } }).action).toBe('allow');
  });

  it.each([
    ['a wrong value', `maintenance_bypass=${SECRET}x`],
    ['another cookie holding the secret', `other=${SECRET}`],
    ['the secret as the name', `${SECRET}=1`],
    ['a prefix of the secret', `maintenance_bypass=${SECRET.slice(0, 20)}`],
  ])('blocks a cookie with %s', (_what, cookie) => {
    expect(verdict({ headers: { cookie } }).action).toBe('block');
  });

  it('lets the header through, exactly the secret; a wrong or padded one is blocked', () => {
    expect(verdict({ headers: { 'x-maintenance-bypass': SECRET } }).action).toBe('allow');
    expect(verdict({ headers: { 'x-maintenance-bypass': `${SECRET} ` } }).action).toBe('block');
    expect(verdict({ headers: { 'x-maintenance-bypass': SECRET.toUpperCase() } }).action).toBe('block');
    expect(verdict({ headers: { 'x-other': SECRET } }).action).toBe('block');
  });

  it('passes nothing with the old secret once maintenance is off and on again', () => {
    const offAgain = withMaintenance(
      exemptOn,
      { enabled: false, retryAfterSeconds: 300, reason: null },
      'c3',
      'hosted',
    );
    const again = withMaintenance(
      offAgain,
      turnOn,
      'c4',
      'hosted',
      () => 'next-secret-next-secret-next-secret-next-s',
    );
    const later = (overrides: Partial<WafRequest>) =>
      evaluateWebAcl(webAcl(), request(overrides), references([switchGroup(again)]));
    expect(later({ headers: { cookie: `maintenance_bypass=${SECRET}` } }).action).toBe('block');
    expect(later({ headers: { 'x-maintenance-bypass': SECRET } }).action).toBe('block');
    expect(later({ path: `/__maintenance/bypass/${SECRET}` })).toMatchObject({
      action: 'block',
      status: 503,
    });
    // While off, the old link reaches the origin like any path, and sets nothing.
    const whileOff = evaluateWebAcl(
      webAcl(),
      request({ path: `/__maintenance/bypass/${SECRET}` }),
      references([switchGroup(offAgain)]),
    );
    expect(whileOff).toMatchObject({ action: 'allow' });
    expect(whileOff.labels).not.toContain(`${GROUP_NS}${PASS_LABEL}`);
  });
});

describe('evaluateWebAcl', () => {
  const teapot = { Block: { CustomResponse: { ResponseCode: 418, CustomResponseBodyKey: 'page' } } };

  it('runs rules by priority, whatever their order in the list', () => {
    const acl = webAcl({
      Rules: [rule('second', 2, { Block: {} }), rule('first', 1, teapot)],
      CustomResponseBodies: { page: { ContentType: 'TEXT_PLAIN', Content: 'teapot' } },
    });
    expect(evaluateWebAcl(acl, request(), references([]))).toMatchObject({ rule: 'first', status: 418 });
  });

  it('adds a Count rule’s labels and goes on; a later rule matches them by their full name', () => {
    const acl = webAcl({
      Rules: [
        rule('mark', 0, { Count: {} }, { RuleLabels: [{ Name: 'team:seen' }] }),
        rule(
          'check',
          1,
          { Block: {} },
          { Statement: { LabelMatchStatement: { Scope: 'LABEL', Key: 'team:seen' } } },
        ),
      ],
    });
    expect(evaluateWebAcl(acl, request(), references([]))).toMatchObject({
      action: 'block',
      rule: 'check',
      labels: [`${ACL_NS}team:seen`],
    });
  });

  it('keeps a rule group’s labels in the group’s namespace: the ACL sees them qualified only', () => {
    const group: RuleGroup = teamGroup([rule('mark', 0, { Count: {} }, { RuleLabels: [{ Name: 'seen' }] })], {
      LabelNamespace: `awswaf:${ACCOUNT}:rulegroup:team:`,
    });
    const matching = (key: string) =>
      webAcl({
        Rules: [
          referenceRule(OTHER_GROUP_ARN, 'team', 0),
          rule(
            'check',
            1,
            { Block: {} },
            { Statement: { LabelMatchStatement: { Scope: 'LABEL', Key: key } } },
          ),
        ],
      });
    expect(evaluateWebAcl(matching('seen'), request(), references([group])).action).toBe('allow');
    expect(
      evaluateWebAcl(matching(`awswaf:${ACCOUNT}:rulegroup:team:seen`), request(), references([group])),
    ).toMatchObject({
      action: 'block',
      labels: [`awswaf:${ACCOUNT}:rulegroup:team:seen`],
    });
  });

  it('ends the whole evaluation at a Block inside a group, answering with the group’s bodies, not the ACL’s', () => {
    const acl = webAcl({
      Rules: [referenceRule(GROUP_ARN, 'waf-maintenance-dev', 0), rule('later', 1, teapot)],
      CustomResponseBodies: {
        [HTML_BODY_KEY]: { ContentType: 'TEXT_PLAIN', Content: 'the ACL’s own' },
        page: { ContentType: 'TEXT_PLAIN', Content: 't' },
      },
    });
    const verdict = evaluateWebAcl(acl, request(), references([switchGroup(on)]));
    expect(verdict).toMatchObject({ rule: 'waf-maintenance-dev/maintenance-block', status: 503 });
    expect(verdict.action === 'block' && verdict.body?.content).toBe(on.bodies[HTML_BODY_KEY].Content);
  });

  it('ends the whole evaluation at an Allow inside a group: later ACL rules never run', () => {
    const group: RuleGroup = teamGroup([rule('ok', 0, { Allow: {} })]);
    const acl = webAcl({
      Rules: [referenceRule(OTHER_GROUP_ARN, 'team', 0), rule('later', 1, { Block: {} })],
    });
    expect(evaluateWebAcl(acl, request(), references([group])).action).toBe('allow');
  });

  describe('a group referenced with OverrideAction Count', () => {
    const group: RuleGroup = teamGroup([
      rule('stop', 0, { Block: {} }, { RuleLabels: [{ Name: 'stopped' }] }),
      rule('after', 1, { Count: {} }, { RuleLabels: [{ Name: 'after' }] }),
    ]);
    const counted = { ...referenceRule(OTHER_GROUP_ARN, 'team', 0), OverrideAction: { Count: {} } };

    it('counts the group’s Block instead of applying it, and the ACL goes on', () => {
      const acl = webAcl({ Rules: [counted], DefaultAction: { Allow: {} } });
      expect(evaluateWebAcl(acl, request(), references([group])).action).toBe('allow');
    });

    it('still stops the group at its first terminating rule: later rules of the group add no labels', () => {
      const verdict = evaluateWebAcl(webAcl({ Rules: [counted] }), request(), references([group]));
      expect(verdict.labels).toEqual([`awswaf:${ACCOUNT}:rulegroup:team:stopped`]);
    });

    it('lets the Block apply with OverrideAction None', () => {
      const none = referenceRule(OTHER_GROUP_ARN, 'team', 0);
      expect(evaluateWebAcl(webAcl({ Rules: [none] }), request(), references([group]))).toMatchObject({
        action: 'block',
        rule: 'team/stop',
        status: 403,
        custom: false,
      });
    });
  });

  it('counts rules a reference excludes or overrides to Count, and applies an override to Block', () => {
    const group: RuleGroup = teamGroup([
      rule('one', 0, { Block: {} }),
      rule('two', 1, { Block: {} }),
      rule('three', 2, { Count: {} }),
    ]);
    const reference = (statement: object): Rule => ({
      ...referenceRule(OTHER_GROUP_ARN, 'team', 0),
      Statement: { RuleGroupReferenceStatement: { ARN: OTHER_GROUP_ARN, ...statement } },
    });
    const both = reference({
      ExcludedRules: [{ Name: 'one' }],
      RuleActionOverrides: [{ Name: 'two', ActionToUse: { Count: {} } }],
    });
    expect(evaluateWebAcl(webAcl({ Rules: [both] }), request(), references([group])).action).toBe('allow');
    const toBlock = reference({
      ExcludedRules: [{ Name: 'one' }, { Name: 'two' }],
      RuleActionOverrides: [{ Name: 'three', ActionToUse: { Block: {} } }],
    });
    expect(evaluateWebAcl(webAcl({ Rules: [toBlock] }), request(), references([group]))).toMatchObject({
      rule: 'team/three',
    });
  });

  describe('the default action', () => {
    it('allows with Allow', () => {
      expect(evaluateWebAcl(webAcl({ Rules: [] }), request(), references([])).action).toBe('allow');
    });

    it('answers WAF’s 403 with no body for a plain Block, marked as not custom', () => {
      expect(
        evaluateWebAcl(webAcl({ Rules: [], DefaultAction: { Block: {} } }), request(), references([])),
      ).toEqual({
        action: 'block',
        rule: '(default action)',
        status: 403,
        headers: {},
        body: null,
        custom: false,
        labels: [],
      });
    });

    it('answers a custom response with the web ACL’s own bodies', () => {
      const acl = webAcl({
        Rules: [],
        DefaultAction: { Block: { CustomResponse: { ResponseCode: 429, CustomResponseBodyKey: 'slow' } } },
        CustomResponseBodies: { slow: { ContentType: 'TEXT_PLAIN', Content: 'slow down' } },
      });
      expect(evaluateWebAcl(acl, request(), references([]))).toMatchObject({
        status: 429,
        custom: true,
        body: { contentType: 'text/plain', content: 'slow down' },
      });
    });
  });

  describe('never allows silently', () => {
    const geo = rule('geo', 5, { Block: {} }, { Statement: { GeoMatchStatement: { CountryCodes: ['KP'] } } });

    it('refuses a web ACL holding a statement it cannot evaluate, for every request, even one blocked earlier', () => {
      const evaluate = () =>
        compileWebAcl(
          webAcl({ Rules: [referenceRule(GROUP_ARN, 'waf-maintenance-dev', 0), geo] }),
          references([switchGroup(on)]),
        );
      expect(evaluate).toThrow(UnsupportedWafFeature);
      expect(evaluate).toThrow(
        /the statement GeoMatchStatement; it is a preview of this switch's rules, not a WAF/,
      );
    });

    it.each([
      [
        'a CAPTCHA action',
        webAcl({ Rules: [rule('c', 0, { Captcha: {} })] }),
        /rule c's action Captcha|c's action Captcha/,
      ],
      ['a rule with no action', webAcl({ Rules: [rule('n', 0, undefined)] }), /n's action \(none\)/],
      [
        'custom request handling',
        webAcl({
          Rules: [
            rule('h', 0, {
              Count: { CustomRequestHandling: { InsertHeaders: [{ Name: 'x', Value: 'y' }] } },
            }),
          ],
        }),
        /h's custom request handling/,
      ],
      [
        'a body key that is not defined',
        webAcl({ Rules: [rule('b', 0, teapot)] }),
        /b's response body page, which is not defined/,
      ],
      [
        'a body content type it does not know',
        webAcl({
          Rules: [rule('t', 0, teapot)],
          CustomResponseBodies: { page: { ContentType: 'TEXT_XML' as 'TEXT_HTML', Content: 'x' } },
        }),
        /t's response content type TEXT_XML/,
      ],
      [
        'a missing default action',
        webAcl({ Rules: [], DefaultAction: {} }),
        /\(default action\)'s action \(none\)/,
      ],
      [
        'an override action other than None or Count',
        webAcl({ Rules: [{ ...referenceRule(GROUP_ARN, 'waf-maintenance-dev', 0), OverrideAction: {} }] }),
        /override action \(none\)/,
      ],
    ])('refuses %s', (_what, acl, message) => {
      expect(() => compileWebAcl(acl, references([switchGroup(on)]))).toThrow(message);
    });

    it('refuses a rule group that references another rule group', () => {
      const nesting: RuleGroup = teamGroup([referenceRule(GROUP_ARN, 'inner', 0)]);
      const acl = webAcl({ Rules: [referenceRule(OTHER_GROUP_ARN, 'team', 0)] });
      expect(() => compileWebAcl(acl, references([nesting, switchGroup(on)]))).toThrow(
        /rule group team's reference to another rule group/,
      );
    });

    it('refuses an override to Block with a custom response', () => {
      const acl = webAcl({
        Rules: [
          {
            ...referenceRule(GROUP_ARN, 'waf-maintenance-dev', 0),
            Statement: {
              RuleGroupReferenceStatement: {
                ARN: GROUP_ARN,
                RuleActionOverrides: [
                  {
                    Name: 'maintenance-block',
                    ActionToUse: { Block: { CustomResponse: { ResponseCode: 503 } } },
                  },
                ],
              },
            },
          },
        ],
      });
      expect(() => compileWebAcl(acl, references([switchGroup(off)]))).toThrow(
        /override of maintenance-block with a custom response/,
      );
    });

    it('propagates a reference the emulator cannot resolve', () => {
      expect(() => compileWebAcl(webAcl(), references([]))).toThrow(/no group/);
    });
  });
});
