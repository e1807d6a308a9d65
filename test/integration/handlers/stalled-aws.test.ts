import { createHandler as createGetBypass } from '../../../handlers/get-bypass';
import { createHandler as createGet } from '../../../handlers/get-maintenance';
import { awsDeps } from '../../../handlers/lib/aws-deps';
import { createHandler as createSet } from '../../../handlers/set-maintenance';
import { createHandler as createUpdateBypass } from '../../../handlers/update-bypass';
import type { ProvisionedStack } from '../../../scripts/local/provision';
import { loadStackDefinition } from '../../../scripts/local/stack-definition';
import { mintToken } from '../../../src/use-cases/mint-token';
import { countingDownContext, httpEvent, invoke, jsonPost } from '../../support/events';
import { FakeEdge } from '../../support/fakes';
import { type FaultProxy, operation, type ProxiedCall, startFaultProxy } from '../../support/fault-proxy';
import { handlerEnv, provisionTestStack } from '../../support/stack';

/**
 * AWS stalls, for real: each test puts a fault proxy between the handlers and moto, holds one AWS call,
 * and checks what the answer says and that nothing the request started reaches AWS after the answer.
 */

const STALL_MS = 35_000;
/** Long enough for a stall to end and its aftermath to be checked. */
const TEST_TIMEOUT_MS = STALL_MS + 30_000;
const WRITES = /^(Update|Put|Delete|Create|TransactWrite)/;

let lambdaTimeoutMs: number;

beforeAll(async () => {
  const definition = await loadStackDefinition('template');
  lambdaTimeoutMs = (definition.functionTimeouts.setMaintenance ?? 0) * 1000;
});

type Answer = { status: number; body: Record<string, unknown>; answeredAt: number; ms: number };

interface Rig {
  stack: ProvisionedStack;
  proxy: FaultProxy;
  toggle(body: unknown): Promise<Answer>;
  changeBypass(body: unknown): Promise<Answer>;
  status(): Promise<Record<string, unknown>>;
  bypass(): Promise<string[]>;
}

const rigs: Rig[] = [];

/** A fresh stack, a proxy in front of moto, the changing handlers talking through it, the reading ones not. */
async function rig(): Promise<Rig> {
  const stack = await provisionTestStack('st');
  const proxy = await startFaultProxy(process.env.AWS_ENDPOINT_URL as string);
  const direct = awsDeps(handlerEnv(stack));
  const admin = (await mintToken(direct, { name: 'deploy-bot', role: 'admin' })).token;
  const viaProxy = awsDeps(handlerEnv(stack), { endpoint: proxy.url });
  const set = createSet(viaProxy);
  const update = createUpdateBypass(viaProxy);
  const get = createGet({ ...direct, edge: new FakeEdge(stack.webAclArn) });
  const list = createGetBypass(direct);
  const timed = async (
    handler: Parameters<typeof invoke>[0],
    event: Parameters<typeof invoke>[1],
  ): Promise<Answer> => {
    const started = Date.now();
    const res = await invoke(handler, event, countingDownContext(lambdaTimeoutMs));
    const answeredAt = Date.now();
    return { status: res.status, body: res.body, answeredAt, ms: answeredAt - started };
  };
  const reader = { authorization: `Bearer ${admin}` };
  const made: Rig = {
    stack,
    proxy,
    toggle: (body) => timed(set, jsonPost(admin, body)),
    changeBypass: (body) => timed(update, jsonPost(admin, body, '/maintenance/bypass')),
    status: async () => (await invoke(get, httpEvent({ headers: reader }))).body,
    bypass: async () => {
      const res = await invoke(list, httpEvent({ path: '/maintenance/bypass', headers: reader }));
      return (res.body.addresses as Array<{ cidr: string }>).map((a) => a.cidr);
    },
  };
  rigs.push(made);
  return made;
}

afterAll(async () => {
  await Promise.all(rigs.map((r) => r.proxy.stop()));
});

/** Writes that reached the proxy, or were forwarded to AWS by it, after `t`. */
function writesAfter(calls: ProxiedCall[], t: number): ProxiedCall[] {
  return calls.filter(
    (c) =>
      WRITES.test(c.operation) && (c.arrivedAt > t || (c.forwardedAt !== undefined && c.forwardedAt > t)),
  );
}

const until = (t: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, t - Date.now())));

// Every AWS call a toggle from off to on makes, in order: the token, the ACL, the change record, the ACL write.
const TOGGLE_CALLS = ['GetItem', 'GetWebACL', 'PutItem', 'UpdateWebACL'];

describe('a toggle while AWS stalls', () => {
  it.concurrent.each(TOGGLE_CALLS)(
    'answers when every %s stalls for 35 s, and nothing it started writes after the answer',
    async (stalled) => {
      const { proxy, toggle, status } = await rig();
      proxy.inject({ kind: 'stall-request', ms: STALL_MS, match: operation(stalled) });
      const answer = await toggle({ enabled: true, reason: 'Migration', retryAfterSeconds: 600 });

      expect(answer.status).toBe(502);
      expect(answer.ms).toBeLessThan(lambdaTimeoutMs);
      expect(answer.body.detail).toContain(stalled);
      if (WRITES.test(stalled)) {
        // Sent and never answered: the client cannot know whether AWS applied it, and says so.
        expect(answer.body.unconfirmedWrites).toEqual([expect.stringMatching(new RegExp(`^${stalled} `))]);
        expect(answer.body.detail).toContain('may or may not have been applied');
      } else {
        expect(answer.body.detail).toContain('Nothing was changed.');
        expect(answer.body).not.toHaveProperty('unconfirmedWrites');
      }

      await until(answer.answeredAt + STALL_MS + 1_000);
      expect(writesAfter(proxy.calls(), answer.answeredAt)).toEqual([]);
      expect(
        proxy.calls().filter((c) => c.operation === 'UpdateWebACL' && c.forwardedAt !== undefined),
      ).toEqual([]);
      expect(await status()).toMatchObject({ enabled: false });
    },
    TEST_TIMEOUT_MS,
  );

  it.concurrent.each(TOGGLE_CALLS)(
    'abandons a %s stalled for 7 s, retries it, and succeeds in well under 7 s',
    async (stalled) => {
      const { proxy, toggle, status } = await rig();
      proxy.inject({ kind: 'stall-request', ms: 7_000, match: operation(stalled), times: 1 });
      const answer = await toggle({ enabled: true, reason: 'Migration' });

      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ enabled: true, changed: true, reason: 'Migration' });
      expect(answer.ms).toBeLessThan(4_000);
      expect(proxy.calls().filter((c) => c.operation === stalled)).toHaveLength(2);
      expect(await status()).toMatchObject({ enabled: true, reason: 'Migration', changedBy: 'deploy-bot' });
    },
    TEST_TIMEOUT_MS,
  );

  it.concurrent(
    'reports a write whose answer was lost as done once a retry shows it applied',
    async () => {
      const { proxy, toggle, status } = await rig();
      // AWS applies the first UpdateWebACL at once but its answer never comes back in time.
      proxy.inject({ kind: 'stall-response', ms: 7_000, match: operation('UpdateWebACL'), times: 1 });
      const answer = await toggle({ enabled: true, reason: 'Applied once' });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ enabled: true, changed: true, reason: 'Applied once' });
      expect(await status()).toMatchObject({ enabled: true, reason: 'Applied once' });
    },
    TEST_TIMEOUT_MS,
  );

  it.concurrent(
    'keeps "off" for the operator who confirmed it after a stalled toggle (issue 8, Why)',
    async () => {
      const { proxy, toggle, status } = await rig();
      proxy.inject({ kind: 'stall-request', ms: STALL_MS, match: operation('PutItem') });
      const stalledOn = await toggle({ enabled: true, reason: 'Risky change' });
      expect(stalledOn.status).toBe(502);

      proxy.heal();
      expect(await status()).toMatchObject({ enabled: false });
      const confirmedOff = await toggle({ enabled: false });
      expect(confirmedOff.body).toMatchObject({ enabled: false, changed: false });

      await until(stalledOn.answeredAt + STALL_MS + 1_000);
      expect(await status()).toMatchObject({ enabled: false });
      expect(writesAfter(proxy.calls(), stalledOn.answeredAt)).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );
});

// Every AWS call a bypass batch of one IPv4 and one IPv6 address makes, in order (the reads run together).
const BYPASS_CALLS: Array<[string, string]> = [
  ['GetItem', '(token)'],
  ['GetIPSet', 'ipv4'],
  ['GetIPSet', 'ipv6'],
  ['UpdateIPSet', 'ipv4'],
  ['UpdateIPSet', 'ipv6'],
];
const BATCH = { add: ['192.0.2.10', '2001:db8::10'] };

/** The fault proxy's match for one call of the batch; IP sets are told apart by name. */
function bypassCall(stack: ProvisionedStack, name: string, version: string) {
  const ipSet = /^ipv[46]$/.test(version) ? `waf-maintenance-${stack.stage}-bypass-${version}` : undefined;
  return operation(name, ipSet);
}

describe('a bypass change while AWS stalls', () => {
  it.concurrent.each(BYPASS_CALLS)(
    'answers when every %s %s stalls for 35 s, leaves no half-applied batch, and writes nothing after the answer',
    async (name, version) => {
      const { stack, proxy, changeBypass, bypass } = await rig();
      proxy.inject({ kind: 'stall-request', ms: STALL_MS, match: bypassCall(stack, name, version) });
      const answer = await changeBypass(BATCH);

      expect(answer.status).toBe(502);
      expect(answer.ms).toBeLessThan(lambdaTimeoutMs);
      expect(answer.body.detail).toContain(name);
      if (name === 'UpdateIPSet') {
        expect(answer.body.unconfirmedWrites).toEqual([
          `UpdateIPSet waf-maintenance-${stack.stage}-bypass-${version}`,
        ]);
      } else {
        expect(answer.body.detail).toContain('Nothing was changed.');
      }

      await until(answer.answeredAt + STALL_MS + 1_000);
      expect(writesAfter(proxy.calls(), answer.answeredAt)).toEqual([]);
      // The IPv4 write of a batch whose IPv6 write failed was undone before the answer.
      expect(await bypass()).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it.concurrent.each(BYPASS_CALLS)(
    'abandons a %s %s stalled for 7 s, retries it, and succeeds in well under 7 s',
    async (name, version) => {
      const { stack, proxy, changeBypass, bypass } = await rig();
      proxy.inject({ kind: 'stall-request', ms: 7_000, match: bypassCall(stack, name, version), times: 1 });
      const answer = await changeBypass(BATCH);

      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ added: ['192.0.2.10/32', '2001:db8::10/128'], count: 2 });
      expect(answer.ms).toBeLessThan(4_000);
      expect(await bypass()).toEqual(['192.0.2.10/32', '2001:db8::10/128']);
    },
    TEST_TIMEOUT_MS,
  );
});
