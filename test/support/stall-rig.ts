import { ListSchedulesCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { createHandler as createWindow } from '../../handlers/create-window';
import { createHandler as createGetBypass } from '../../handlers/get-bypass';
import { createHandler as createGet } from '../../handlers/get-maintenance';
import { awsDeps } from '../../handlers/lib/aws-deps';
import { windowDeps } from '../../handlers/lib/window-deps';
import { createHandler as createSet } from '../../handlers/set-maintenance';
import { createHandler as createUpdateBypass } from '../../handlers/update-bypass';
import type { ProvisionedStack } from '../../scripts/local/provision';
import { mintToken } from '../../src/use-cases/mint-token';
import { countingDownContext, httpEvent, invoke, jsonPost } from './events';
import { FakeEdge } from './fakes';
import { type CallMatch, type FaultProxy, operation, startFaultProxy } from './fault-proxy';
import { handlerEnv } from './stack';

/**
 * One stack with a fault proxy in front of moto: the changing handlers (toggle, bypass batch) talk through
 * the proxy, the reading ones straight to moto, so a test or the bench can stall any one AWS call of a
 * change and then look at what really happened. Shared by test/integration/handlers/stalled-aws.test.ts
 * and the bench's stall figures.
 */

export interface Answer {
  status: number;
  body: Record<string, unknown>;
  /** `Date.now()` when the handler answered. */
  answeredAt: number;
  ms: number;
}

export interface StallRig {
  stack: ProvisionedStack;
  proxy: FaultProxy;
  toggle(body: unknown): Promise<Answer>;
  changeBypass(body: unknown): Promise<Answer>;
  planWindow(body: unknown): Promise<Answer>;
  /** The calendar's pending windows, and the schedules in the stage's group, read straight from moto. */
  windows(): Promise<{ windows: string[]; schedules: string[] }>;
  status(): Promise<Record<string, unknown>>;
  bypass(): Promise<string[]>;
}

/** An AWS call of a change, by its place in the change (`UpdateIPSet ipv6`), and how to match it. */
export interface ChangeCall {
  label: string;
  match(stack: ProvisionedStack): CallMatch;
}

/** The table's items a change writes, told apart by their key. */
const ITEM_KEYS: Record<string, string> = {
  '(change record)': 'change#',
  '(history entry)': 'entry#',
  '(calendar)': 'calendar',
};

const call = (name: string, note = ''): ChangeCall => ({
  label: `${name}${note ? ` ${note}` : ''}`,
  match: (stack) =>
    operation(
      name,
      /^ipv[46]$/.test(note) ? `waf-maintenance-${stack.stage}-bypass-${note.slice(2)}` : undefined,
      ITEM_KEYS[note],
    ),
});

/** Every AWS call a toggle from off to on makes: the token, the group and both bypass sets, then the group's write and the change record together. */
export const TOGGLE_CALLS: ChangeCall[] = [
  call('GetItem', '(token)'),
  call('GetRuleGroup'),
  call('PutItem', '(change record)'),
  call('UpdateRuleGroup'),
  // The caller's check reads both bypass sets alongside the group, before any write.
  call('GetIPSet', 'ipv4'),
  call('GetIPSet', 'ipv6'),
  // Once the change is applied: its history entry.
  call('PutItem', '(history entry)'),
];

/** Every AWS call a batch of one IPv4 and one IPv6 address makes (the two reads run side by side). */
export const BYPASS_CALLS: ChangeCall[] = [
  call('GetItem', '(token)'),
  call('GetIPSet', 'ipv4'),
  call('GetIPSet', 'ipv6'),
  call('UpdateIPSet', 'ipv4'),
  call('UpdateIPSet', 'ipv6'),
  call('PutItem', '(history entry)'),
];

export const BYPASS_BATCH = { add: ['192.0.2.10', '2001:db8::10'] };

/** A window's schedule, by its edge (`start`, `end`): the schedule's name ends in it. */
const schedule = (name: string, edge: 'start' | 'end'): ChangeCall => ({
  label: `${name} (${edge})`,
  match: () => (c) => c.operation === name && (c.resource ?? '').endsWith(`-${edge}`),
});

/** Every AWS call planning a window makes: the token, its two schedules, then the calendar, then its entry. */
export const WINDOW_CALLS: ChangeCall[] = [
  call('GetItem', '(token)'),
  schedule('CreateSchedule', 'start'),
  schedule('CreateSchedule', 'end'),
  call('GetItem', '(calendar)'),
  call('PutItem', '(calendar)'),
  call('PutItem', '(history entry)'),
];

/** A window an hour long, a day ahead of now. */
export function aDayAhead(): { startsAt: string; endsAt: string; reason: string } {
  const start = Math.ceil(Date.now() / 1000) * 1000 + 86_400_000;
  return {
    startsAt: new Date(start).toISOString(),
    endsAt: new Date(start + 3_600_000).toISOString(),
    reason: 'Database upgrade',
  };
}

/**
 * @example
 * const rig = await stallRig(await provisionTestStack(), process.env.AWS_ENDPOINT_URL, 28_000);
 * rig.proxy.inject({ kind: 'stall-request', ms: 35_000, match: TOGGLE_CALLS[1].match(rig.stack) });
 * const answer = await rig.toggle({ enabled: true });
 */
export async function stallRig(
  stack: ProvisionedStack,
  upstreamUrl: string,
  lambdaTimeoutMs: number,
): Promise<StallRig> {
  const proxy = await startFaultProxy(upstreamUrl);
  const direct = awsDeps(handlerEnv(stack), { endpoint: upstreamUrl });
  const admin = (await mintToken(direct, { name: 'deploy-bot', role: 'admin' })).token;
  const viaProxy = {
    ...awsDeps(handlerEnv(stack), { endpoint: proxy.url }),
    ...windowDeps(handlerEnv(stack), { endpoint: proxy.url }),
  };
  const set = createSet(viaProxy);
  const update = createUpdateBypass(viaProxy);
  const plan = createWindow(viaProxy);
  const calendar = windowDeps(handlerEnv(stack), { endpoint: upstreamUrl });
  const scheduler = new SchedulerClient({ region: 'us-east-1', endpoint: upstreamUrl });
  const expected = {
    groupArn: stack.ruleGroupArn,
    webAclArns: [],
    ipSets: { v4: stack.ipSetArns.ipv4, v6: stack.ipSetArns.ipv6 },
  };
  const get = createGet({ ...direct, edge: new FakeEdge(), expected });
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
  return {
    stack,
    proxy,
    toggle: (body) => timed(set, jsonPost(admin, body)),
    changeBypass: (body) => timed(update, jsonPost(admin, body, '/maintenance/bypass')),
    planWindow: (body) => timed(plan, jsonPost(admin, body, '/maintenance/windows')),
    windows: async () => {
      const listed = await scheduler.send(new ListSchedulesCommand({ GroupName: stack.scheduleGroup }));
      return {
        windows: (await calendar.windows.read()).windows.map((w) => w.id),
        schedules: (listed.Schedules ?? []).map((s) => s.Name ?? ''),
      };
    },
    status: async () => (await invoke(get, httpEvent({ headers: reader }))).body,
    bypass: async () => {
      const res = await invoke(list, httpEvent({ path: '/maintenance/bypass', headers: reader }));
      return (res.body.addresses as Array<{ cidr: string }>).map((a) => a.cidr);
    },
  };
}
