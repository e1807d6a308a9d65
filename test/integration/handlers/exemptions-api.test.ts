import { GetRuleGroupCommand, type RuleGroup, type Statement, WAFV2Client } from '@aws-sdk/client-wafv2';
import { createHandler as createGet } from '../../../handlers/get-exemptions';
import { awsDeps } from '../../../handlers/lib/aws-deps';
import { windowDeps } from '../../../handlers/lib/window-deps';
import { createHandler as createSet } from '../../../handlers/set-maintenance';
import { createHandler as createUpdate } from '../../../handlers/update-exemptions';
import type { ProvisionedStack } from '../../../scripts/local/provision';
import { parseRuleGroupArn } from '../../../src/adapters/aws/waf-arn';
import { API } from '../../../src/api/routes';
import { ROLES, type Role } from '../../../src/domain/roles';
import { PASS_RULE_NAME } from '../../../src/domain/rule-group';
import { MAX_EXEMPTIONS } from '../../../src/domain/values';
import { searchText } from '../../../src/domain/waf-statements';
import { mintToken } from '../../../src/use-cases/mint-token';
import { httpEvent, invoke, jsonPost } from '../../support/events';
import { handlerEnv, provisionTestStack } from '../../support/stack';

const waf = new WAFV2Client({ region: 'us-east-1' });

async function readGroup(stack: ProvisionedStack): Promise<{ group: RuleGroup; lockToken: string }> {
  const ref = parseRuleGroupArn(stack.ruleGroupArn);
  const out = await waf.send(new GetRuleGroupCommand({ Name: ref.name, Id: ref.id, Scope: ref.scope }));
  return { group: out.RuleGroup as RuleGroup, lockToken: out.LockToken as string };
}

/** Every statement under `statements`, through AND and OR (not NOT: what a NOT holds never lets anything through). */
function passing(statements: Statement[]): Statement[] {
  return statements.flatMap((s) => {
    const nested = s.AndStatement?.Statements ?? s.OrStatement?.Statements;
    return nested ? passing(nested) : [s];
  });
}

/**
 * The pass rule's byte matches on the URI path that let requests through, as WAF holds them: the page's own
 * prefix, then the exempt paths (under the guard against `/..`, which is a NOT and so not among them).
 */
async function uriPathMatches(stack: ProvisionedStack) {
  const { group } = await readGroup(stack);
  const pass = group.Rules?.find((rule) => rule.Name === PASS_RULE_NAME);
  return passing(pass?.Statement?.OrStatement?.Statements ?? [])
    .filter((statement) => statement.ByteMatchStatement?.FieldToMatch?.UriPath !== undefined)
    .map((statement) => ({
      match: statement.ByteMatchStatement?.PositionalConstraint,
      value: searchText(statement),
      transformations: statement.ByteMatchStatement?.TextTransformations,
    }));
}

const NONE = [{ Priority: 0, Type: 'NONE' }];
const PAGE = { match: 'STARTS_WITH', value: '/maintenance/', transformations: NONE };

describe('exemptions API against moto', () => {
  let stack: ProvisionedStack;
  const tokens: Record<Role, string> = { operator: '', admin: '' };
  let handlers: {
    update: ReturnType<typeof createUpdate>;
    list: ReturnType<typeof createGet>;
    toggle: ReturnType<typeof createSet>;
  };

  beforeAll(async () => {
    stack = await provisionTestStack();
    const deps = { ...awsDeps(handlerEnv(stack)), ...windowDeps(handlerEnv(stack)) };
    for (const role of ROLES) tokens[role] = (await mintToken(deps, { name: `${role}-bot`, role })).token;
    handlers = { update: createUpdate(deps), list: createGet(deps), toggle: createSet(deps) };
    // The audit lines of the changes below.
    jest.spyOn(console, 'info').mockImplementation(() => undefined);
  });

  afterAll(() => jest.restoreAllMocks());

  const post = (role: Role, body: unknown) =>
    invoke(handlers.update, jsonPost(tokens[role], body, API.updateExemptions.path));
  const get = async () => {
    const headers = { authorization: `Bearer ${tokens.operator}` };
    return (await invoke(handlers.list, httpEvent({ path: API.getExemptions.path, headers }))).body;
  };
  const setEnabled = (enabled: boolean) => invoke(handlers.toggle, jsonPost(tokens.operator, { enabled }));

  it('starts with no exempt path', async () => {
    expect(await get()).toEqual({ paths: [], count: 0, limit: MAX_EXEMPTIONS });
    expect(await uriPathMatches(stack)).toEqual([PAGE]);
  });

  it("writes exact and prefix paths into the group's pass rule as EXACTLY and STARTS_WITH matches, and lists them", async () => {
    const res = await post('admin', { add: ['/health', '/api/webhooks/*'] });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ added: ['/health', '/api/webhooks/*'], removed: [], unchanged: [], count: 2 });
    expect(await uriPathMatches(stack)).toEqual([
      PAGE,
      { match: 'EXACTLY', value: '/health', transformations: NONE },
      { match: 'STARTS_WITH', value: '/api/webhooks/', transformations: NONE },
    ]);
    expect(await get()).toEqual({ paths: ['/health', '/api/webhooks/*'], count: 2, limit: MAX_EXEMPTIONS });
  });

  it('keeps them, in the pass rule and listed, through a toggle on and off', async () => {
    const listed = await get();
    const matches = await uriPathMatches(stack);

    expect((await setEnabled(true)).body).toMatchObject({ enabled: true, changed: true });
    expect(await get()).toEqual(listed);
    expect(await uriPathMatches(stack)).toEqual(matches);

    expect((await setEnabled(false)).body).toMatchObject({ enabled: false, changed: true });
    expect(await get()).toEqual(listed);
    expect(await uriPathMatches(stack)).toEqual(matches);
  });

  it('refuses a batch with one bad path, an operator, and a body it does not know, changing nothing', async () => {
    const { lockToken } = await readGroup(stack);

    const bad = await post('admin', { add: ['/status', '/', '/a?b'] });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['add[1]', 'add[2]']);
    expect((await post('operator', { add: ['/status'] })).status).toBe(403);
    expect((await post('admin', { add: ['/status'], replace: true })).status).toBe(400);

    expect((await readGroup(stack)).lockToken).toBe(lockToken);
    expect((await get()).paths).toEqual(['/health', '/api/webhooks/*']);
  });

  it(`takes up to ${MAX_EXEMPTIONS} paths and refuses the ${MAX_EXEMPTIONS + 1}st, changing nothing`, async () => {
    const more = Array.from({ length: MAX_EXEMPTIONS - 2 }, (_, i) => `/hooks/${i}/*`);
    expect((await post('admin', { add: more })).body).toMatchObject({ count: MAX_EXEMPTIONS });
    const { lockToken } = await readGroup(stack);

    const res = await post('admin', { add: ['/one-more'] });

    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      {
        field: 'add[0]',
        message: `there would be ${MAX_EXEMPTIONS + 1} exempt paths; the limit is ${MAX_EXEMPTIONS}`,
      },
    ]);
    expect((await readGroup(stack)).lockToken).toBe(lockToken);
    expect((await get()).count).toBe(MAX_EXEMPTIONS);
  });

  it('removes paths from the pass rule, leaving the page its own prefix', async () => {
    const { paths } = await get();

    const res = await post('admin', { remove: paths });

    expect(res.body).toMatchObject({ removed: paths, count: 0 });
    expect(await uriPathMatches(stack)).toEqual([PAGE]);
  });

  it(`refuses ${MAX_EXEMPTIONS + 1} paths in one request, changing nothing`, async () => {
    const { lockToken } = await readGroup(stack);
    const paths = Array.from({ length: MAX_EXEMPTIONS + 1 }, (_, i) => `/p${i}`);

    const res = await post('admin', { add: paths });

    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: `add[${MAX_EXEMPTIONS}]` })]);
    expect((await readGroup(stack)).lockToken).toBe(lockToken);
    expect((await get()).count).toBe(0);
  });
});
