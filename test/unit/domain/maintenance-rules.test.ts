import { MisconfiguredError } from '../../../src/domain/errors';
import {
  applyMaintenance,
  CHANGE_LABEL_PREFIX,
  isAlreadyAsDesired,
  MAINTENANCE_BODY_KEY,
  readMaintenanceRule,
} from '../../../src/domain/maintenance-rules';
import { aWebAcl } from '../../support/fakes';

const on = { enabled: true, retryAfterSeconds: 1800, reason: 'Database upgrade' };
const off = { enabled: false, retryAfterSeconds: 300, reason: null };

describe('maintenance rules', () => {
  it('reads a provisioned ACL as off, with no change recorded', () => {
    expect(readMaintenanceRule(aWebAcl())).toEqual({
      enabled: false,
      retryAfterSeconds: null,
      changeId: null,
    });
  });

  it('switches the maintenance rule to a 503 block with Retry-After and labels it with the change', () => {
    const next = applyMaintenance(aWebAcl(), on, 'c1');
    const rule = next.Rules?.find((r) => r.Name === 'maintenance-block');
    expect(rule?.Action).toEqual({
      Block: {
        CustomResponse: {
          ResponseCode: 503,
          CustomResponseBodyKey: MAINTENANCE_BODY_KEY,
          ResponseHeaders: [
            { Name: 'Retry-After', Value: '1800' },
            { Name: 'Cache-Control', Value: 'no-store' },
          ],
        },
      },
    });
    expect(rule?.RuleLabels).toEqual([{ Name: `${CHANGE_LABEL_PREFIX}c1` }]);
    expect(readMaintenanceRule(next)).toEqual({ enabled: true, retryAfterSeconds: 1800, changeId: 'c1' });
  });

  it('leaves every other rule, body and setting exactly as it was', () => {
    const before = aWebAcl();
    const next = applyMaintenance(before, on, 'c1');
    const { Rules: rulesBefore, CustomResponseBodies: bodiesBefore, ...restBefore } = before;
    const { Rules: rulesAfter, CustomResponseBodies: bodiesAfter, ...restAfter } = next;
    expect(restAfter).toEqual(restBefore);
    expect(rulesAfter?.map((r) => r.Name)).toEqual(rulesBefore?.map((r) => r.Name));
    expect(rulesAfter?.[1]).toEqual(rulesBefore?.[1]);
    expect(rulesAfter?.[0]?.Statement).toEqual(rulesBefore?.[0]?.Statement);
    expect(rulesAfter?.[0]?.Priority).toBe(0);
    expect(bodiesAfter?.['teapot-json']).toEqual(bodiesBefore?.['teapot-json']);
  });

  it('writes a change label that WAF accepts, though moto would take anything', () => {
    const label =
      applyMaintenance(aWebAcl(), on, '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0').Rules?.[0]?.RuleLabels?.[0]
        ?.Name ?? '';
    const parts = label.split(':');
    const reserved = ['aws', 'waf', 'managed', 'rulegroup', 'webacl', 'regexpatternset', 'ipset'];
    expect(label).toMatch(/^[0-9A-Za-z_\-:]+$/);
    expect(parts.length).toBeLessThanOrEqual(6);
    expect(parts.every((part) => part.length >= 1 && part.length <= 128 && !reserved.includes(part))).toBe(
      true,
    );
  });

  it('sends only response headers WAF accepts (any name but content-type, [a-zA-Z0-9._$-], values <= 255)', () => {
    // WAFv2 API reference, CustomResponse.ResponseHeaders and CustomHTTPHeader; moto checks none of it.
    const headers =
      applyMaintenance(aWebAcl(), on, 'c1').Rules?.[0]?.Action?.Block?.CustomResponse?.ResponseHeaders ?? [];
    expect(headers.length).toBeGreaterThan(0);
    for (const { Name = '', Value = '' } of headers) {
      expect(Name.toLowerCase()).not.toBe('content-type');
      expect(Name).toMatch(/^[a-zA-Z0-9._$-]{1,64}$/);
      expect(Value.length).toBeLessThanOrEqual(255);
    }
  });

  it('does not mutate the ACL it was given', () => {
    const before = aWebAcl();
    const copy = structuredClone(before);
    applyMaintenance(before, on, 'c1');
    expect(before).toEqual(copy);
  });

  it('renders the reason into the maintenance body, HTML-escaped', () => {
    const next = applyMaintenance(aWebAcl(), { ...on, reason: '<script>alert(1)</script>' }, 'c1');
    const content = next.CustomResponseBodies?.[MAINTENANCE_BODY_KEY]?.Content ?? '';
    expect(content).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(content).not.toContain('<script>');
  });

  it('replaces its own change label but keeps labels others put on the rule', () => {
    const acl = aWebAcl();
    const rule = acl.Rules?.[0];
    if (rule) rule.RuleLabels = [{ Name: 'team:audit' }, { Name: `${CHANGE_LABEL_PREFIX}old` }];
    const next = applyMaintenance(acl, off, 'new');
    expect(next.Rules?.[0]?.RuleLabels).toEqual([
      { Name: 'team:audit' },
      { Name: `${CHANGE_LABEL_PREFIX}new` },
    ]);
  });

  it('sees an ACL that already blocks with the same Retry-After and reason as already desired', () => {
    const blocked = applyMaintenance(aWebAcl(), on, 'c1');
    expect(isAlreadyAsDesired(blocked, on)).toBe(true);
    expect(isAlreadyAsDesired(blocked, { ...on, retryAfterSeconds: 60 })).toBe(false);
    expect(isAlreadyAsDesired(blocked, { ...on, reason: 'Other' })).toBe(false);
    expect(isAlreadyAsDesired(blocked, off)).toBe(false);
    expect(isAlreadyAsDesired(aWebAcl(), off)).toBe(true);
  });

  describe('with the JSON rule as deployed', () => {
    const withJsonRule = () => {
      const acl = aWebAcl();
      const html = acl.Rules?.[0];
      if (!html) throw new Error('fixture');
      acl.Rules = [
        { ...html, Name: 'maintenance-json', Priority: 0 },
        { ...html, Priority: 1 },
        ...(acl.Rules ?? []).slice(1),
      ];
      return acl;
    };

    it('answers JSON clients with the problem+json body and everyone else with the page', () => {
      const next = applyMaintenance(withJsonRule(), on, 'c1');
      const keys = next.Rules?.slice(0, 2).map((r) => r.Action?.Block?.CustomResponse?.CustomResponseBodyKey);
      expect(keys).toEqual(['maintenance-json', 'maintenance-html']);
      const json = JSON.parse(next.CustomResponseBodies?.['maintenance-json']?.Content ?? '{}');
      expect(json).toMatchObject({ status: 503, detail: 'Database upgrade', retryAfterSeconds: 1800 });
      expect(next.CustomResponseBodies?.['maintenance-json']?.ContentType).toBe('APPLICATION_JSON');
      expect(next.CustomResponseBodies?.['maintenance-html']?.Content).toContain('Database upgrade');
    });

    it('escapes a hostile reason in both bodies', () => {
      const reason = '</script><script>alert("x")</script>';
      const next = applyMaintenance(withJsonRule(), { ...on, reason }, 'c1');
      expect(next.CustomResponseBodies?.['maintenance-html']?.Content).not.toContain('<script>');
      expect(JSON.parse(next.CustomResponseBodies?.['maintenance-json']?.Content ?? '{}').detail).toBe(
        reason,
      );
    });

    it('sees the ACL as desired only when both rules and both bodies are', () => {
      const next = applyMaintenance(withJsonRule(), on, 'c1');
      expect(isAlreadyAsDesired(next, on)).toBe(true);
      const stale = structuredClone(next);
      if (stale.CustomResponseBodies?.['maintenance-json'])
        stale.CustomResponseBodies['maintenance-json'].Content = '{}';
      expect(isAlreadyAsDesired(stale, on)).toBe(false);
    });
  });

  it('refuses an ACL whose maintenance rule was removed', () => {
    const acl = aWebAcl({ Rules: [] });
    expect(() => readMaintenanceRule(acl)).toThrow(MisconfiguredError);
    expect(() => applyMaintenance(acl, on, 'c1')).toThrow(MisconfiguredError);
  });
});
