import type { ProvisionedStack } from '../scripts/local/provision';
import { handlerEnv } from '../test/support/stack';
import type { Answer, ChangeCall, StallRig } from '../test/support/stall-rig';
import { LOAD_ENV } from './bundle-size';
import { median } from './stats';

/**
 * What a stalled AWS call costs a change, through the real handlers and a fault proxy in front of moto
 * (no added latency: these are the stall's own costs):
 * - every attempt of one call held for 35 s: how long until the answer (a 502 well before the Lambda's
 *   28 s timeout, since each attempt is abandoned after 2.5 s and retried once);
 * - one attempt held for 7 s: how long the change takes, against the same change unstalled.
 * Each call's rounds run on a stack of its own, all calls side by side.
 */

export const STALL_MS = 35_000;
const ONE_STALL_MS = 7_000;

export interface StallFigure {
  change: 'toggle' | 'bypass';
  call: string;
  /** Median time to the answer while every attempt of the call stalls, and that answer's status. */
  stalledMs: number;
  stalledStatus: string;
  /** Median time of the change with one 7 s stall of the call, its status, and the unstalled median. */
  oneStallMs: number;
  oneStallStatus: string;
  unstalledMs: number;
}

interface Change {
  name: StallFigure['change'];
  calls: ChangeCall[];
  apply(rig: StallRig): Promise<Answer>;
  revert(rig: StallRig): Promise<Answer>;
}

type RigModule = typeof import('../test/support/stall-rig');

/** The changes measured, from the rig module (loaded late: it loads the handlers, see runStallBench). */
function changesOf(rig: RigModule): Change[] {
  return [
    {
      name: 'toggle',
      calls: rig.TOGGLE_CALLS,
      apply: (r) => r.toggle({ enabled: true, reason: 'Bench' }),
      revert: (r) => r.toggle({ enabled: false }),
    },
    {
      name: 'bypass',
      calls: rig.BYPASS_CALLS,
      apply: (r) => r.changeBypass(rig.BYPASS_BATCH),
      revert: (r) => r.changeBypass({ remove: rig.BYPASS_BATCH.add }),
    },
  ];
}

async function measure(
  change: Change,
  call: ChangeCall,
  rig: StallRig,
  rounds: number,
): Promise<StallFigure> {
  const stalled: Answer[] = [];
  for (let i = 0; i < rounds; i++) {
    rig.proxy.inject({ kind: 'stall-request', ms: STALL_MS, match: call.match(rig.stack) });
    stalled.push(await change.apply(rig));
    rig.proxy.heal();
    // A stalled change record leaves maintenance on (a partial change): start each round from off.
    await change.revert(rig);
  }

  const oneStall: Answer[] = [];
  const unstalled: Answer[] = [];
  for (let i = 0; i < rounds; i++) {
    unstalled.push(await change.apply(rig));
    await change.revert(rig);
    rig.proxy.inject({ kind: 'stall-request', ms: ONE_STALL_MS, match: call.match(rig.stack), times: 1 });
    oneStall.push(await change.apply(rig));
    rig.proxy.heal();
    await change.revert(rig);
  }
  const ms = (answers: Answer[]) => median(answers.map((a) => a.ms));
  const status = (answers: Answer[]) => [...new Set(answers.map((a) => a.status))].join('/');
  return {
    change: change.name,
    call: call.label,
    stalledMs: ms(stalled),
    stalledStatus: status(stalled),
    oneStallMs: ms(oneStall),
    oneStallStatus: status(oneStall),
    unstalledMs: ms(unstalled),
  };
}

/**
 * @example
 * const figures = await runStallBench({ motoUrl, lambdaTimeoutMs: 28_000, rounds: 3, stack: (i) => provision(`stall${i}`) });
 */
export async function runStallBench(options: {
  motoUrl: string;
  lambdaTimeoutMs: number;
  rounds: number;
  stack: (index: number) => Promise<ProvisionedStack>;
}): Promise<StallFigure[]> {
  // The handler modules build their adapters from the environment when first imported: give them a stack's.
  const first = await options.stack(0);
  Object.assign(process.env, LOAD_ENV, handlerEnv(first));
  const rigModule: RigModule = await import('../test/support/stall-rig');
  const jobs = changesOf(rigModule).flatMap((change) => change.calls.map((call) => ({ change, call })));
  const rigs = await Promise.all(
    jobs.map(async (_job, i) =>
      rigModule.stallRig(i === 0 ? first : await options.stack(i), options.motoUrl, options.lambdaTimeoutMs),
    ),
  );
  try {
    return await Promise.all(
      jobs.map(({ change, call }, i) => measure(change, call, rigs[i] as StallRig, options.rounds)),
    );
  } finally {
    await Promise.all(rigs.map((rig) => rig.proxy.stop()));
  }
}
