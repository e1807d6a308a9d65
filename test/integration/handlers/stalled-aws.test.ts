import { loadStackDefinition } from '../../../scripts/local/stack-definition';
import type { ProxiedCall } from '../../support/fault-proxy';
import { provisionTestStack } from '../../support/stack';
import {
  aDayAhead,
  BYPASS_BATCH,
  BYPASS_CALLS,
  type ChangeCall,
  type StallRig,
  stallRig,
  TOGGLE_CALLS,
  WINDOW_CALLS,
} from '../../support/stall-rig';

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

const rigs: StallRig[] = [];

async function rig(): Promise<StallRig> {
  const made = await stallRig(
    await provisionTestStack('st'),
    process.env.AWS_ENDPOINT_URL as string,
    lambdaTimeoutMs,
  );
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

const operationOf = (label: string) => label.split(' ')[0] as string;
const each = (calls: typeof TOGGLE_CALLS) => calls.map((c) => [c.label, c] as const);

describe('a toggle while AWS stalls', () => {
  // The group's read and write: a stalled one means nothing (or possibly the one write) was changed.
  const groupCalls = TOGGLE_CALLS.filter((c) => !c.label.startsWith('PutItem'));
  const historyEntry = TOGGLE_CALLS.find(
    (c) => c.label === 'PutItem (history entry)',
  ) as (typeof TOGGLE_CALLS)[number];

  it.concurrent.each(each(groupCalls))(
    'answers when every %s stalls for 35 s, and nothing it started writes after the answer',
    async (label, call) => {
      const { stack, proxy, toggle, status } = await rig();
      proxy.inject({ kind: 'stall-request', ms: STALL_MS, match: call.match(stack) });
      const answer = await toggle({ enabled: true, reason: 'Migration', retryAfterSeconds: 600 });
      const stalled = operationOf(label);

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
      expect(proxy.calls().filter((c) => /WebACL$/.test(c.operation))).toEqual([]);
      // A held write never reached the emulator: the group is as it was.
      expect(await status()).toMatchObject({ enabled: false });
    },
    TEST_TIMEOUT_MS,
  );

  it.concurrent(
    'says maintenance is on without its who and why when the change record stalls for 35 s, and writes nothing after',
    async () => {
      const { stack, proxy, toggle, status } = await rig();
      const record = TOGGLE_CALLS[2] as (typeof TOGGLE_CALLS)[number];
      proxy.inject({ kind: 'stall-request', ms: STALL_MS, match: record.match(stack) });
      const answer = await toggle({ enabled: true, reason: 'Migration' });

      expect(answer.status).toBe(502);
      expect(answer.ms).toBeLessThan(lambdaTimeoutMs);
      expect(answer.body).toMatchObject({
        title: 'Change only partly applied',
        detail: expect.stringContaining('Maintenance is now ON, but its change record could not be written'),
        unconfirmedWrites: [`PutItem ${stack.tableName}`],
      });

      await until(answer.answeredAt + STALL_MS + 1_000);
      expect(writesAfter(proxy.calls(), answer.answeredAt)).toEqual([]);
      expect(await status()).toMatchObject({ enabled: true, reason: null, changedBy: null });
    },
    TEST_TIMEOUT_MS,
  );

  it.concurrent(
    'says maintenance is on without its history entry when the entry stalls for 35 s, and writes nothing after',
    async () => {
      const { stack, proxy, toggle, status } = await rig();
      proxy.inject({ kind: 'stall-request', ms: STALL_MS, match: historyEntry.match(stack) });
      const answer = await toggle({ enabled: true, reason: 'Migration' });

      expect(answer.status).toBe(502);
      expect(answer.ms).toBeLessThan(lambdaTimeoutMs);
      expect(answer.body).toMatchObject({
        title: 'Change only partly applied',
        detail: expect.stringContaining(
          'Maintenance was turned ON, but its history entry could not be written',
        ),
        unconfirmedWrites: [`PutItem ${stack.tableName}`],
      });

      await until(answer.answeredAt + STALL_MS + 1_000);
      expect(writesAfter(proxy.calls(), answer.answeredAt)).toEqual([]);
      // The change stands, with its who and why: only the history lacks it.
      expect(await status()).toMatchObject({ enabled: true, reason: 'Migration', changedBy: 'deploy-bot' });
    },
    TEST_TIMEOUT_MS,
  );

  it.concurrent.each(each(TOGGLE_CALLS))(
    'abandons a %s stalled for 7 s, retries it, and succeeds in well under 7 s',
    async (_label, call) => {
      const { stack, proxy, toggle, status } = await rig();
      proxy.inject({ kind: 'stall-request', ms: 7_000, match: call.match(stack), times: 1 });
      const answer = await toggle({ enabled: true, reason: 'Migration' });

      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ enabled: true, changed: true, reason: 'Migration' });
      expect(answer.ms).toBeLessThan(4_000);
      // The stalled attempt and its retry (the two bypass sets are told apart by name).
      expect(proxy.calls().filter(call.match(stack))).toHaveLength(2);
      expect(await status()).toMatchObject({ enabled: true, reason: 'Migration', changedBy: 'deploy-bot' });
    },
    TEST_TIMEOUT_MS,
  );

  it.concurrent(
    'reports a write whose answer was lost as done once a retry shows it applied',
    async () => {
      const { stack, proxy, toggle, status } = await rig();
      // AWS applies the first UpdateRuleGroup at once but its answer never comes back in time.
      const write = TOGGLE_CALLS[3] as (typeof TOGGLE_CALLS)[number];
      proxy.inject({ kind: 'stall-response', ms: 7_000, match: write.match(stack), times: 1 });
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
      const { stack, proxy, toggle, status } = await rig();
      // The WAF read stalls, as in the issue: the toggle used to wake up after its 502 and turn maintenance on.
      const read = TOGGLE_CALLS[1] as (typeof TOGGLE_CALLS)[number];
      proxy.inject({ kind: 'stall-request', ms: STALL_MS, match: read.match(stack) });
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

describe('a bypass change while AWS stalls', () => {
  // The sets' reads and writes: a stalled one leaves no half-applied batch.
  const setCalls = BYPASS_CALLS.filter((c) => !c.label.startsWith('PutItem'));

  it.concurrent(
    'says the bypass set changed without its history entry when the entry stalls for 35 s, and writes nothing after',
    async () => {
      const { stack, proxy, changeBypass, bypass } = await rig();
      const entry = BYPASS_CALLS.find(
        (c) => c.label === 'PutItem (history entry)',
      ) as (typeof BYPASS_CALLS)[number];
      proxy.inject({ kind: 'stall-request', ms: STALL_MS, match: entry.match(stack) });
      const answer = await changeBypass(BYPASS_BATCH);

      expect(answer.status).toBe(502);
      expect(answer.body).toMatchObject({
        title: 'Change only partly applied',
        detail: expect.stringContaining(
          'The bypass set was changed, but its history entry could not be written',
        ),
        unconfirmedWrites: [`PutItem ${stack.tableName}`],
      });
      await until(answer.answeredAt + STALL_MS + 1_000);
      expect(writesAfter(proxy.calls(), answer.answeredAt)).toEqual([]);
      expect(await bypass()).toEqual(['192.0.2.10/32', '2001:db8::10/128']);
    },
    TEST_TIMEOUT_MS,
  );

  it.concurrent.each(each(setCalls))(
    'answers when every %s stalls for 35 s, leaves no half-applied batch, and writes nothing after the answer',
    async (label, call) => {
      const { stack, proxy, changeBypass, bypass } = await rig();
      proxy.inject({ kind: 'stall-request', ms: STALL_MS, match: call.match(stack) });
      const answer = await changeBypass(BYPASS_BATCH);
      const stalled = operationOf(label);

      expect(answer.status).toBe(502);
      expect(answer.ms).toBeLessThan(lambdaTimeoutMs);
      expect(answer.body.detail).toContain(stalled);
      if (stalled === 'UpdateIPSet') {
        const set = (label.split(' ')[1] ?? '').slice(2);
        expect(answer.body.unconfirmedWrites).toEqual([
          `UpdateIPSet waf-maintenance-${stack.stage}-bypass-${set}`,
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

  it.concurrent.each(each(BYPASS_CALLS))(
    'abandons a %s stalled for 7 s, retries it, and succeeds in well under 7 s',
    async (_label, call) => {
      const { stack, proxy, changeBypass, bypass } = await rig();
      proxy.inject({ kind: 'stall-request', ms: 7_000, match: call.match(stack), times: 1 });
      const answer = await changeBypass(BYPASS_BATCH);

      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ added: ['192.0.2.10/32', '2001:db8::10/128'], count: 2 });
      expect(answer.ms).toBeLessThan(4_000);
      expect(await bypass()).toEqual(['192.0.2.10/32', '2001:db8::10/128']);
    },
    TEST_TIMEOUT_MS,
  );
});

describe('planning a window while AWS stalls', () => {
  // Everything before its history entry: a stalled one leaves neither the window nor a schedule of it.
  const planCalls = WINDOW_CALLS.filter((c) => c.label !== 'PutItem (history entry)');

  it.concurrent.each(each(planCalls))(
    'answers when every %s stalls for 35 s, leaves no window, and writes nothing after',
    async (label, call) => {
      const { stack, proxy, planWindow, windows } = await rig();
      proxy.inject({ kind: 'stall-request', ms: STALL_MS, match: call.match(stack) });
      const answer = await planWindow(aDayAhead());
      const stalled = operationOf(label);

      expect(answer.status).toBe(502);
      expect(answer.ms).toBeLessThan(lambdaTimeoutMs);
      expect(answer.body.detail).toContain(stalled);
      if (WRITES.test(stalled)) {
        expect(answer.body.unconfirmedWrites).toEqual([expect.stringMatching(new RegExp(`^${stalled} `))]);
      } else {
        expect(answer.body).not.toHaveProperty('unconfirmedWrites');
      }

      await until(answer.answeredAt + STALL_MS + 1_000);
      expect(writesAfter(proxy.calls(), answer.answeredAt)).toEqual([]);
      const after = await windows();
      expect(after.windows).toEqual([]);
      if (label === 'PutItem (calendar)') {
        // Sent and never answered, so for all the request knew the window was written: its schedules stay
        // (they find no window when they fire, and do nothing), rather than a window without them.
        expect(after.schedules.sort()).toEqual([
          expect.stringMatching(/-end$/),
          expect.stringMatching(/-start$/),
        ]);
      } else {
        // Nothing was written: the schedules set before the failure were deleted again before the answer.
        expect(after.schedules).toEqual([]);
      }
    },
    TEST_TIMEOUT_MS,
  );

  it.concurrent(
    'says the window was scheduled without its history entry when the entry stalls for 35 s',
    async () => {
      const { stack, proxy, planWindow, windows } = await rig();
      const entry = WINDOW_CALLS.find((c) => c.label === 'PutItem (history entry)') as ChangeCall;
      proxy.inject({ kind: 'stall-request', ms: STALL_MS, match: entry.match(stack) });
      const answer = await planWindow(aDayAhead());

      expect(answer.status).toBe(502);
      expect(answer.body).toMatchObject({
        title: 'Change only partly applied',
        detail: expect.stringMatching(
          /^The window [0-9a-f-]{36} was scheduled, but its history entry could not be written/,
        ),
        unconfirmedWrites: [`PutItem ${stack.tableName}`],
      });
      await until(answer.answeredAt + STALL_MS + 1_000);
      expect(writesAfter(proxy.calls(), answer.answeredAt)).toEqual([]);
      // The window stands, with both its schedules: it will start and end as planned.
      const { windows: planned, schedules } = await windows();
      expect(planned).toHaveLength(1);
      expect(schedules.sort()).toEqual([`${planned[0]}-end`, `${planned[0]}-start`]);
    },
    TEST_TIMEOUT_MS,
  );

  it.concurrent.each(each(WINDOW_CALLS))(
    'abandons a %s stalled for 7 s, retries it, and plans the window in well under 7 s',
    async (_label, call) => {
      const { stack, proxy, planWindow, windows } = await rig();
      proxy.inject({ kind: 'stall-request', ms: 7_000, match: call.match(stack), times: 1 });
      const answer = await planWindow(aDayAhead());

      expect(answer.status).toBe(201);
      expect(answer.ms).toBeLessThan(4_000);
      const { windows: planned, schedules } = await windows();
      expect(planned).toEqual([answer.body.id]);
      expect(schedules.sort()).toEqual([`${answer.body.id}-end`, `${answer.body.id}-start`]);
    },
    TEST_TIMEOUT_MS,
  );
});
