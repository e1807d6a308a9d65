import type { BypassWarning } from '../domain/bypass-address-rules';
import {
  type BypassDelta,
  type BypassPlan,
  isNoop,
  MAX_ADDRESSES_PER_VERSION,
  planBypassChange,
  undoDelta,
} from '../domain/bypass-plan';
import type { IpVersion } from '../domain/cidr';
import type { Deadline } from '../domain/deadline';
import { PartialChangeError, ValidationError } from '../domain/errors';
import { type RetryPolicy, retryOnConflict } from '../domain/retry';
import { checkAddressBatch } from '../domain/values';
import type { AuditLog } from '../ports/audit-log';
import type { BypassSetStore, IpSetSnapshot } from '../ports/bypass-set-store';
import type { Clock } from '../ports/clock';
import { recordBatch } from './record-history';

export interface UpdateBypassDeps {
  bypass: BypassSetStore;
  /** The history, told of each change once it is applied. */
  audit: AuditLog;
  clock: Clock;
  policy: RetryPolicy;
  /** The request's deadline: the writes stop early enough for an undo to fit before it. */
  deadline: Deadline;
}

export interface UpdateBypassInput {
  add?: unknown[] | undefined;
  remove?: unknown[] | undefined;
}

/** Who asks, for the history: a token's name or the Slack user. */
export interface Actor {
  actor: string;
}

export interface UpdateBypassResult {
  added: string[];
  removed: string[];
  unchanged: string[];
  /** Addresses in both sets afterwards. */
  count: number;
  /** Additions that were accepted but can never match a visitor (private, loopback, ...); often empty. */
  warnings: BypassWarning[];
}

const VERSIONS: IpVersion[] = [4, 6];

/** Parses every entry; any invalid one refuses the whole request (ValidationError), each named by its position. */
export function parseBypassRequest(input: UpdateBypassInput): Record<IpVersion, BypassDelta> {
  return readBypassRequest(input).deltas;
}

/** The request judged by the domain's batch rule, split by IP version; the warnings for accepted additions. */
function readBypassRequest(input: UpdateBypassInput): {
  deltas: Record<IpVersion, BypassDelta>;
  warnings: BypassWarning[];
} {
  const checked = checkAddressBatch(input);
  if (!checked.ok)
    throw new ValidationError(checked.problems.map(({ field, message }) => ({ field, message })));
  const deltas: Record<IpVersion, BypassDelta> = { 4: { add: [], remove: [] }, 6: { add: [], remove: [] } };
  for (const list of ['add', 'remove'] as const) {
    for (const cidr of checked.value[list]) deltas[cidr.version][list].push(cidr);
  }
  const warnings = checked.value.notes.map(({ field, note }) => ({ field, ...note }));
  return { deltas, warnings };
}

function checkLimit(version: IpVersion, plan: BypassPlan): void {
  if (plan.addresses.length <= MAX_ADDRESSES_PER_VERSION) return;
  throw new ValidationError([
    {
      field: 'add',
      message: `the IPv${version} set would hold ${plan.addresses.length} addresses; the limit is ${MAX_ADDRESSES_PER_VERSION}`,
    },
  ]);
}

/**
 * One read-modify-write of one set, retried with a fresh read on a stale lock token until `stopBy` (by
 * default, the last moment the request's deadline lets a write start).
 */
async function applyDelta(
  deps: UpdateBypassDeps,
  version: IpVersion,
  delta: BypassDelta,
  stopBy?: number,
  first?: { snapshot: IpSetSnapshot; plan: BypassPlan },
): Promise<BypassPlan> {
  let planned = first;
  let sent: BypassPlan | undefined;
  return retryOnConflict(
    deps,
    async () => {
      // The first attempt uses the read (and plan) the limit check already made; retries read afresh.
      const current = planned?.snapshot ?? (await deps.bypass.get(version));
      const plan = planned?.plan ?? planBypassChange(current.addresses, delta);
      planned = undefined;
      checkLimit(version, plan);
      if (isNoop(plan)) {
        // An earlier attempt's write whose answer was lost (a timeout, then a stale lock token on the retry)
        // may have been applied: when the set is now exactly what it wrote, that write was this change.
        return sent && sameSet(current.addresses, sent.addresses) ? sent : plan;
      }
      deps.deadline.assertMayWrite(`the IPv${version} write`);
      sent = plan;
      await deps.bypass.put(current, plan.addresses);
      return plan;
    },
    stopBy,
  );
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && new Set([...a, ...b]).size === a.length;

/**
 * Time kept back from the request's deadline for undoing a half-applied batch: a fresh read and a write,
 * each of which may be retried once after a stalled attempt.
 */
export const UNDO_RESERVE_MS = 6_000;

const hasWork = (delta: BypassDelta) => delta.add.length + delta.remove.length > 0;

/**
 * Adds and/or removes bypass addresses as one batch.
 * 1. Parse every entry with the one address parser; any invalid entry, or an addition broader than the
 *    breadth rule allows, refuses the batch (400, nothing written). Additions that can never match a
 *    visitor are kept and named in `warnings`.
 * 2. Read both sets and check the 10,000-per-version limit for both before any write.
 * 3. Write IPv4, then IPv6: each a read-modify-write presenting its lock token, retried with a fresh read.
 * 4. If the IPv6 write fails after the IPv4 one succeeded, undo the IPv4 change; if even that fails, throw
 *    PartialChangeError stating exactly what was applied. No outcome is a silent partial change.
 * The writes stop by the policy's budget or UNDO_RESERVE_MS before the request's deadline, whichever is
 * first, so that an undo still fits before the answer; nothing is written after it.
 */
export async function updateBypassSet(
  deps: UpdateBypassDeps,
  input: UpdateBypassInput & Actor,
): Promise<UpdateBypassResult> {
  const { deltas, warnings } = readBypassRequest(input);
  const snapshots = await Promise.all(VERSIONS.map((version) => deps.bypass.get(version)));
  const counts = snapshots.map((s) => s.addresses.length);
  // Both limits are checked before anything is written.
  const firstPlans = VERSIONS.map((version, i) => {
    const snapshot = snapshots[i] as IpSetSnapshot;
    const plan = planBypassChange(snapshot.addresses, deltas[version]);
    if (hasWork(deltas[version])) checkLimit(version, plan);
    return { snapshot, plan };
  });

  const writesStopBy = Math.min(
    deps.clock.now().getTime() + deps.policy.budgetMs,
    deps.deadline.at - UNDO_RESERVE_MS,
  );
  const applied: Array<{ version: IpVersion; plan: BypassPlan }> = [];
  for (const [i, version] of VERSIONS.entries()) {
    if (!hasWork(deltas[version])) continue;
    try {
      const plan = await applyDelta(deps, version, deltas[version], writesStopBy, firstPlans[i]);
      applied.push({ version, plan });
      counts[i] = plan.addresses.length;
    } catch (error) {
      await undo(deps, applied, error);
      throw error;
    }
  }

  const plans = applied.map((a) => a.plan);
  const result = {
    added: plans.flatMap((p) => p.added),
    removed: plans.flatMap((p) => p.removed),
    unchanged: plans.flatMap((p) => p.unchanged),
    count: counts.reduce((a, b) => a + b, 0),
    warnings,
  };
  await recordBatch(deps, 'bypass.update', input.actor, result, 'The bypass set was changed');
  return result;
}

async function undo(
  deps: UpdateBypassDeps,
  applied: Array<{ version: IpVersion; plan: BypassPlan }>,
  cause: unknown,
) {
  for (const { version, plan } of applied) {
    if (isNoop(plan)) continue;
    try {
      await applyDelta(deps, version, undoDelta(plan, version));
    } catch (undoError) {
      throw new PartialChangeError(
        `The IPv${version} change was applied, the rest failed (${describe(cause)}), and undoing it failed too (${describe(undoError)}).`,
        { version: `IPv${version}`, added: plan.added, removed: plan.removed },
        { cause },
      );
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
