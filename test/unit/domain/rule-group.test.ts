import type { RuleGroup } from '@aws-sdk/client-wafv2';
import fc from 'fast-check';
import { BYPASS_LINK_RULE_NAME, newBypassSecret } from '../../../src/domain/bypass-link';
import { MisconfiguredError } from '../../../src/domain/errors';
import {
  CHANGE_LABEL_PREFIX,
  CLIMBS_OUT,
  HTML_BODY_KEY,
  HTML_RULE_NAME,
  initialState,
  isAlreadyAsDesired,
  JSON_BODY_KEY,
  JSON_RULE_NAME,
  PASS_LABEL,
  PASS_RULE_NAME,
  RULE_GROUP_CAPACITY,
  readSwitchState,
  ruleGroupDocument,
  withExemptions,
  withMaintenance,
} from '../../../src/domain/rule-group';
import { checkExemptPath, type ExemptPath, MAX_EXEMPTIONS } from '../../../src/domain/values';
import { rulesCapacity } from '../../../src/domain/waf-capacity';
import { aRuleGroup, V4, V6 } from '../../support/fakes';

const on = { enabled: true, retryAfterSeconds: 1800, reason: 'Database upgrade' };
const off = { enabled: false, retryAfterSeconds: 300, reason: null };
const start = () => initialState({ v4: V4, v6: V6 }, 'hosted');
const groupOf = (state = start()): RuleGroup => aRuleGroup(state);
const rule = (group: RuleGroup, name: string) => group.Rules?.find((r) => r.Name === name);
const SECRET = 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlYw';
const path = (listed: string): ExemptPath => {
  const checked = checkExemptPath(listed);
  if (!checked.ok) throw new Error(checked.message);
  return checked.value;
};

describe('the rule group document', () => {
  it('reads a new group as off, with no change recorded, letting both bypass sets through', () => {
    expect(readSwitchState(groupOf())).toMatchObject({
      ipSets: { v4: V4, v6: V6 },
      enabled: false,
      retryAfterSeconds: null,
      changeId: null,
    });
  });

  it('evaluates the pass rule first, then JSON clients, then everyone else', () => {
    const rules = ruleGroupDocument('g', start()).Rules;
    expect(rules.map((r) => [r.Name, r.Priority])).toEqual([
      [PASS_RULE_NAME, 0],
      [JSON_RULE_NAME, 1],
      [HTML_RULE_NAME, 2],
    ]);
    expect(rules[0]?.Action).toEqual({ Count: {} });
    expect(rules[0]?.RuleLabels).toEqual([{ Name: PASS_LABEL }]);
  });

  it('lets through the bypass sets and the page assets, and blocks only what carries no pass label', () => {
    const [pass, json, html] = ruleGroupDocument('g', start()).Rules;
    const passing = pass?.Statement?.OrStatement?.Statements ?? [];
    expect(passing.slice(0, 2)).toEqual([
      { IPSetReferenceStatement: { ARN: V4 } },
      { IPSetReferenceStatement: { ARN: V6 } },
    ]);
    // The page's assets pass unless the path climbs out of /maintenance/ (/maintenance/../admin).
    const [guard, assetsStatement] = passing[2]?.AndStatement?.Statements ?? [];
    expect(guard).toEqual({ NotStatement: { Statement: CLIMBS_OUT } });
    expect(CLIMBS_OUT.ByteMatchStatement).toMatchObject({
      FieldToMatch: { UriPath: {} },
      PositionalConstraint: 'CONTAINS',
      TextTransformations: [{ Priority: 0, Type: 'URL_DECODE' }],
    });
    expect(new TextDecoder().decode(CLIMBS_OUT.ByteMatchStatement?.SearchString)).toBe('/..');
    const assets = assetsStatement?.ByteMatchStatement;
    expect(assets?.FieldToMatch).toEqual({ UriPath: {} });
    expect(assets?.PositionalConstraint).toBe('STARTS_WITH');
    expect(new TextDecoder().decode(assets?.SearchString)).toBe('/maintenance/');
    const notPassed = {
      NotStatement: { Statement: { LabelMatchStatement: { Scope: 'LABEL', Key: PASS_LABEL } } },
    };
    expect(html?.Statement).toEqual(notPassed);
    expect(json?.Statement?.AndStatement?.Statements?.[1]).toEqual(notPassed);
  });

  it('samples no request the secret could be read from: not the link rule, not the pass rule', () => {
    const group = groupOf(withMaintenance(start(), on, 'c1', 'hosted', () => SECRET));
    const sampled = Object.fromEntries(
      (group.Rules ?? []).map((r) => [r.Name, r.VisibilityConfig?.SampledRequestsEnabled]),
    );
    expect(sampled).toEqual({
      [BYPASS_LINK_RULE_NAME]: false,
      [PASS_RULE_NAME]: false,
      [JSON_RULE_NAME]: true,
      [HTML_RULE_NAME]: true,
    });
  });

  it('switches both maintenance rules to a 503 block with Retry-After and labels them with the change', () => {
    const group = groupOf(withMaintenance(start(), on, 'c1', 'hosted'));
    for (const [name, key] of [
      [HTML_RULE_NAME, HTML_BODY_KEY],
      [JSON_RULE_NAME, JSON_BODY_KEY],
    ]) {
      expect(rule(group, name as string)?.Action).toEqual({
        Block: {
          CustomResponse: {
            ResponseCode: 503,
            CustomResponseBodyKey: key,
            ResponseHeaders: [
              { Name: 'Retry-After', Value: '1800' },
              { Name: 'Cache-Control', Value: 'no-store' },
            ],
          },
        },
      });
      expect(rule(group, name as string)?.RuleLabels).toEqual([{ Name: `${CHANGE_LABEL_PREFIX}c1` }]);
    }
    expect(readSwitchState(group)).toMatchObject({ enabled: true, retryAfterSeconds: 1800, changeId: 'c1' });
  });

  it('answers JSON clients with problem+json and everyone else with the page, the reason escaped in both', () => {
    const reason = '</script><script>alert("x")</script>';
    const { bodies } = withMaintenance(start(), { ...on, reason }, 'c1', 'hosted');
    expect(bodies[HTML_BODY_KEY].ContentType).toBe('TEXT_HTML');
    expect(bodies[HTML_BODY_KEY].Content).not.toContain('<script>');
    expect(bodies[JSON_BODY_KEY].ContentType).toBe('APPLICATION_JSON');
    expect(JSON.parse(bodies[JSON_BODY_KEY].Content ?? '{}')).toMatchObject({ status: 503, detail: reason });
  });

  it('keeps the last bodies while off, since nothing shows them', () => {
    const onState = withMaintenance(start(), on, 'c1', 'hosted');
    expect(withMaintenance(onState, off, 'c2', 'hosted').bodies).toEqual(onState.bodies);
  });

  it('reads back every state it writes (the document is a function of the state)', () => {
    const state = fc.record({
      enabled: fc.boolean(),
      retryAfterSeconds: fc.integer({ min: 1, max: 86_400 }),
      reason: fc.option(fc.string({ minLength: 1, maxLength: 50 }), { nil: null }),
      changeId: fc.uuid(),
    });
    const exempt = fc.uniqueArray(
      fc.constantFrom('/health', '/healthz', '/api/webhooks/*', '/status*', '/a%20b', '/x;y=1'),
      { maxLength: 6 },
    );
    fc.assert(
      fc.property(state, exempt, ({ changeId, ...desired }, listed) => {
        const written = withMaintenance(
          withExemptions(start(), listed.map(path)),
          desired,
          changeId,
          'hosted',
        );
        expect(readSwitchState(groupOf(written))).toEqual(written);
      }),
    );
  });

  it('writes a change label that WAF accepts, though moto would take anything', () => {
    const label =
      rule(
        groupOf(withMaintenance(start(), on, '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0', 'hosted')),
        HTML_RULE_NAME,
      )?.RuleLabels?.[0]?.Name ?? '';
    const reserved = ['aws', 'waf', 'managed', 'rulegroup', 'webacl', 'regexpatternset', 'ipset'];
    for (const name of [label, PASS_LABEL]) {
      const parts = name.split(':');
      expect(name).toMatch(/^[0-9A-Za-z_\-:]+$/);
      expect(parts.length).toBeLessThanOrEqual(6);
      expect(parts.every((part) => part.length >= 1 && part.length <= 128 && !reserved.includes(part))).toBe(
        true,
      );
    }
  });

  it('sends only response headers WAF accepts (any name but content-type, [a-zA-Z0-9._$-], values <= 255)', () => {
    // WAFv2 API reference, CustomResponse.ResponseHeaders and CustomHTTPHeader; moto checks none of it.
    const rules = groupOf(withMaintenance(start(), on, 'c1', 'hosted')).Rules ?? [];
    const responses = rules.flatMap((r) => r.Action?.Block?.CustomResponse ?? []);
    // The link's 302, the JSON and the HTML 503.
    expect(responses.map((r) => r.ResponseCode)).toEqual([302, 503, 503]);
    for (const response of responses) {
      const names = (response.ResponseHeaders ?? []).map((h) => (h.Name ?? '').toLowerCase());
      // "Duplicate header names are not allowed" (CustomResponse.ResponseHeaders).
      expect(new Set(names).size).toBe(names.length);
      for (const { Name = '', Value = '' } of response.ResponseHeaders ?? []) {
        expect(Name.toLowerCase()).not.toBe('content-type');
        expect(Name).toMatch(/^[a-zA-Z0-9._$-]{1,64}$/);
        expect(Value.length).toBeLessThanOrEqual(255);
      }
    }
  });

  it('needs 46 of its 100 WCUs while off: pass 24 (two IP sets, the /.. guard 20, one starts-with), JSON 21 (contains + lowercase, a label), page 1', () => {
    const rules = ruleGroupDocument('g', start()).Rules;
    expect(rules.map((r) => rulesCapacity([r]))).toEqual([24, 21, 1]);
  });

  it('needs 92 of its 100 WCUs at the most: on, with 20 exempt paths (link 2, pass 24 + 40 + 4, JSON 21, page 1)', () => {
    const exemptions = Array.from({ length: MAX_EXEMPTIONS }, (_, i) =>
      path(i % 2 ? `/hook${i}/*` : `/check${i}`),
    );
    const state = withMaintenance(withExemptions(start(), exemptions), on, 'c1', 'hosted', () => SECRET);
    const rules = ruleGroupDocument('g', state).Rules;
    expect(rules.map((r) => rulesCapacity([r]))).toEqual([2, 68, 21, 1]);
    expect(rulesCapacity(rules)).toBeLessThanOrEqual(RULE_GROUP_CAPACITY);
  });

  it('sees a group that already blocks with the same Retry-After and reason as already desired', () => {
    const blocked = withMaintenance(start(), on, 'c1', 'hosted');
    expect(isAlreadyAsDesired(blocked, on, 'hosted')).toBe(true);
    expect(isAlreadyAsDesired(blocked, { ...on, retryAfterSeconds: 60 }, 'hosted')).toBe(false);
    expect(isAlreadyAsDesired(blocked, { ...on, reason: 'Other' }, 'hosted')).toBe(false);
    expect(isAlreadyAsDesired(blocked, on, 'inline')).toBe(false);
    expect(isAlreadyAsDesired(blocked, off, 'hosted')).toBe(false);
    expect(isAlreadyAsDesired(start(), off, 'hosted')).toBe(true);
  });

  it.each([PASS_RULE_NAME, JSON_RULE_NAME, HTML_RULE_NAME])(
    'refuses a group whose rule %s was removed',
    (name) => {
      const group = groupOf();
      group.Rules = group.Rules?.filter((r) => r.Name !== name);
      expect(() => readSwitchState(group)).toThrow(MisconfiguredError);
    },
  );

  it('refuses a group that lost a body', () => {
    const group = groupOf();
    delete group.CustomResponseBodies?.[JSON_BODY_KEY];
    expect(() => readSwitchState(group)).toThrow(MisconfiguredError);
  });
});

describe('the exempt paths in the rule group', () => {
  const exempt = withExemptions(start(), [path('/health'), path('/api/webhooks/*')]);

  it('lets them through in the pass rule, an exact path EXACTLY and a prefix STARTS_WITH, as listed', () => {
    const pass = rule(groupOf(exempt), PASS_RULE_NAME);
    const [, paths] = pass?.Statement?.OrStatement?.Statements?.[2]?.AndStatement?.Statements ?? [];
    const matches = (paths?.OrStatement?.Statements ?? []).slice(1).map((s) => ({
      field: s.ByteMatchStatement?.FieldToMatch,
      constraint: s.ByteMatchStatement?.PositionalConstraint,
      value: new TextDecoder().decode(s.ByteMatchStatement?.SearchString),
      transformations: s.ByteMatchStatement?.TextTransformations,
    }));
    const none = [{ Priority: 0, Type: 'NONE' }];
    expect(matches).toEqual([
      { field: { UriPath: {} }, constraint: 'EXACTLY', value: '/health', transformations: none },
      { field: { UriPath: {} }, constraint: 'STARTS_WITH', value: '/api/webhooks/', transformations: none },
    ]);
  });

  it('reads them back from a group written before the /.. guard (revision 2: path matches in the OR itself)', () => {
    const group = groupOf(exempt);
    const pass = rule(group, PASS_RULE_NAME);
    const statements = pass?.Statement?.OrStatement?.Statements ?? [];
    const [, paths] = statements[2]?.AndStatement?.Statements ?? [];
    statements.splice(2, 1, ...(paths?.OrStatement?.Statements ?? []));
    expect(readSwitchState(group).exemptions.map((e) => e.path)).toEqual(['/health', '/api/webhooks/*']);
  });

  it('keeps them across toggles, and reads them back as listed', () => {
    const onAndOff = withMaintenance(withMaintenance(exempt, on, 'c1', 'hosted'), off, 'c2', 'hosted');
    expect(readSwitchState(groupOf(onAndOff)).exemptions.map((e) => e.path)).toEqual([
      '/health',
      '/api/webhooks/*',
    ]);
  });

  it('drops a path edited in by hand that the path rule refuses, rather than reporting it', () => {
    const group = groupOf(exempt);
    const pass = rule(group, PASS_RULE_NAME);
    pass?.Statement?.OrStatement?.Statements?.push({
      ByteMatchStatement: {
        FieldToMatch: { UriPath: {} },
        PositionalConstraint: 'EXACTLY',
        SearchString: new TextEncoder().encode('/a b'),
        TextTransformations: [{ Priority: 0, Type: 'NONE' }],
      },
    });
    expect(readSwitchState(group).exemptions.map((e) => e.path)).toEqual(['/health', '/api/webhooks/*']);
  });
});

describe('the secret bypass link in the rule group', () => {
  const secrets = [
    'first-secret-first-secret-first-secret-fir',
    'second-secret-second-secret-second-secret-',
  ];
  const drawn = () => {
    const queue = [...secrets];
    return () => queue.shift() ?? 'exhausted';
  };
  const turnedOn = withMaintenance(start(), on, 'c1', 'hosted', drawn());

  it('draws a secret when maintenance turns on, and holds none while off', () => {
    expect(start().bypassSecret).toBeNull();
    expect(turnedOn.bypassSecret).toBe(secrets[0]);
    expect(readSwitchState(groupOf(turnedOn)).bypassSecret).toBe(secrets[0]);
  });

  it('keeps the secret while maintenance stays on (a new reason), so a link handed out keeps working', () => {
    const again = withMaintenance(
      turnedOn,
      { ...on, reason: 'Longer than planned' },
      'c2',
      'hosted',
      drawn(),
    );
    expect(again.bypassSecret).toBe(secrets[0]);
  });

  it('retires the secret when maintenance turns off, and draws another at the next window', () => {
    const draw = drawn();
    const first = withMaintenance(start(), on, 'c1', 'hosted', draw);
    const offAgain = withMaintenance(first, off, 'c2', 'hosted', draw);
    const second = withMaintenance(offAgain, on, 'c3', 'hosted', draw);
    expect(offAgain.bypassSecret).toBeNull();
    expect(second.bypassSecret).toBe(secrets[1]);
    const document = ruleGroupDocument('g', offAgain);
    expect(document.Rules.map((r) => r.Name)).toEqual([PASS_RULE_NAME, JSON_RULE_NAME, HTML_RULE_NAME]);
    expect(JSON.stringify(document)).not.toContain('maintenance_bypass');
  });

  it('answers the link first with a 302 to / that sets the cookie, Secure, HttpOnly, SameSite=Lax', () => {
    const [link, pass] = groupOf(turnedOn).Rules ?? [];
    expect(link?.Name).toBe(BYPASS_LINK_RULE_NAME);
    expect(link?.Priority).toBe(0);
    expect(pass?.Name).toBe(PASS_RULE_NAME);
    expect(link?.Statement?.ByteMatchStatement?.PositionalConstraint).toBe('EXACTLY');
    expect(new TextDecoder().decode(link?.Statement?.ByteMatchStatement?.SearchString)).toBe(
      `/__maintenance/bypass/${secrets[0]}`,
    );
    expect(link?.Action).toEqual({
      Block: {
        CustomResponse: {
          ResponseCode: 302,
          ResponseHeaders: [
            { Name: 'Location', Value: '/' },
            {
              Name: 'Set-Cookie',
              Value: `maintenance_bypass=${secrets[0]}; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=86400`,
            },
            { Name: 'Cache-Control', Value: 'no-store' },
          ],
        },
      },
    });
  });

  it('lets through the cookie’s value or the header, exactly the secret, with no transformation', () => {
    const statements = rule(groupOf(turnedOn), PASS_RULE_NAME)?.Statement?.OrStatement?.Statements ?? [];
    const [cookie, header] = statements.slice(-2).map((s) => s.ByteMatchStatement);
    expect(cookie?.FieldToMatch).toEqual({
      Cookies: {
        MatchPattern: { IncludedCookies: ['maintenance_bypass'] },
        MatchScope: 'VALUE',
        OversizeHandling: 'NO_MATCH',
      },
    });
    expect(header?.FieldToMatch).toEqual({ SingleHeader: { Name: 'x-maintenance-bypass' } });
    for (const match of [cookie, header]) {
      expect(match?.PositionalConstraint).toBe('EXACTLY');
      expect(new TextDecoder().decode(match?.SearchString)).toBe(secrets[0]);
      expect(match?.TextTransformations).toEqual([{ Priority: 0, Type: 'NONE' }]);
    }
  });

  it('draws a secret for a group that is on without one (written before the link existed)', () => {
    const legacy = { ...turnedOn, bypassSecret: null };
    expect(isAlreadyAsDesired(legacy, on, 'hosted')).toBe(false);
    expect(withMaintenance(legacy, on, 'c2', 'hosted', () => secrets[1] as string).bypassSecret).toBe(
      secrets[1],
    );
  });

  it('draws 256 random bits, base64url, a different one each time', () => {
    const a = newBypassSecret();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newBypassSecret()).not.toBe(a);
  });
});
