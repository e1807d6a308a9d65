import type { RuleGroup } from '@aws-sdk/client-wafv2';
import fc from 'fast-check';
import { MisconfiguredError } from '../../../src/domain/errors';
import {
  CHANGE_LABEL_PREFIX,
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
  withMaintenance,
} from '../../../src/domain/rule-group';
import { rulesCapacity } from '../../../src/domain/waf-capacity';
import { aRuleGroup, V4, V6 } from '../../support/fakes';

const on = { enabled: true, retryAfterSeconds: 1800, reason: 'Database upgrade' };
const off = { enabled: false, retryAfterSeconds: 300, reason: null };
const start = () => initialState({ v4: V4, v6: V6 }, 'hosted');
const groupOf = (state = start()): RuleGroup => aRuleGroup(state);
const rule = (group: RuleGroup, name: string) => group.Rules?.find((r) => r.Name === name);

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
    const assets = passing[2]?.ByteMatchStatement;
    expect(assets?.FieldToMatch).toEqual({ UriPath: {} });
    expect(assets?.PositionalConstraint).toBe('STARTS_WITH');
    expect(new TextDecoder().decode(assets?.SearchString)).toBe('/maintenance/');
    const notPassed = {
      NotStatement: { Statement: { LabelMatchStatement: { Scope: 'LABEL', Key: PASS_LABEL } } },
    };
    expect(html?.Statement).toEqual(notPassed);
    expect(json?.Statement?.AndStatement?.Statements?.[1]).toEqual(notPassed);
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
    fc.assert(
      fc.property(state, ({ changeId, ...desired }) => {
        const written = withMaintenance(start(), desired, changeId, 'hosted');
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
    const headers =
      rule(groupOf(withMaintenance(start(), on, 'c1', 'hosted')), HTML_RULE_NAME)?.Action?.Block
        ?.CustomResponse?.ResponseHeaders ?? [];
    expect(headers.length).toBeGreaterThan(0);
    for (const { Name = '', Value = '' } of headers) {
      expect(Name.toLowerCase()).not.toBe('content-type');
      expect(Name).toMatch(/^[a-zA-Z0-9._$-]{1,64}$/);
      expect(Value.length).toBeLessThanOrEqual(255);
    }
  });

  it('needs 26 of its 100 WCUs: pass 4 (two IP sets, one starts-with), JSON 21 (contains + lowercase, a label), page 1', () => {
    const rules = ruleGroupDocument('g', withMaintenance(start(), on, 'c1', 'hosted')).Rules;
    expect(rules.map((r) => rulesCapacity([r]))).toEqual([4, 21, 1]);
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
