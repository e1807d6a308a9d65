import type { BatchInput } from '../domain/batch';
import type { Deadline } from '../domain/deadline';
import { ValidationError } from '../domain/errors';
import { type RetryPolicy, retryOnConflict } from '../domain/retry';
import { readSwitchState, ruleGroupDocument, withExemptions } from '../domain/rule-group';
import { checkExemptionBatch, type ExemptPath, MAX_EXEMPTIONS } from '../domain/values';
import type { AuditLog } from '../ports/audit-log';
import type { Clock } from '../ports/clock';
import type { RuleGroupStore } from '../ports/rule-group-store';
import { recordBatch } from './record-history';
import type { Actor } from './update-bypass-set';

export interface UpdateExemptionsDeps {
  ruleGroup: RuleGroupStore;
  /** The history, told of each change once it is applied. */
  audit: AuditLog;
  clock: Clock;
  policy: RetryPolicy;
  /** The request's deadline: no write starts once too little of it is left. */
  deadline: Deadline;
}

export interface ExemptionsChange {
  added: string[];
  removed: string[];
  /** Paths asked to be added that were already exempt, or to be removed that were not. */
  unchanged: string[];
  /** Exempt paths afterwards. */
  count: number;
}

/** The next list: removals taken out, additions appended in the order given; how each path fared. */
function plan(current: ExemptPath[], add: ExemptPath[], remove: ExemptPath[]) {
  const change: ExemptionsChange = { added: [], removed: [], unchanged: [], count: 0 };
  const removing = new Set(remove.map((e) => e.path));
  const next = current.filter((e) => !removing.has(e.path));
  for (const { path } of remove)
    (current.some((e) => e.path === path) ? change.removed : change.unchanged).push(path);
  for (const entry of add) {
    if (next.some((e) => e.path === entry.path)) change.unchanged.push(entry.path);
    else {
      next.push(entry);
      change.added.push(entry.path);
    }
  }
  return { next, change: { ...change, count: next.length } };
}

/**
 * Adds and/or removes exempt paths, all or nothing.
 * 1. Judge every path by the one path rule (values/exempt-path.ts); any refused entry refuses the batch
 *    (400, each named by its position), and nothing is read or written.
 * 2. Read the rule group; plan the next list; more than 20 in all is refused (400) before any write.
 * 3. Write the whole group with the new list (the pass rule's statements), presenting the lock token; on a
 *    stale token or throttling, go back to step 2 within the time budget. No change, no write.
 * The list lives in the group itself, so toggles and redeploys, which restate the group from its state,
 * keep it.
 */
/**
 * The refusal of a batch that would go past the limit, naming the first entry added beyond it (as every
 * refusal names its entry), with the count it would reach.
 */
function overLimit(input: BatchInput, added: readonly string[], total: number): ValidationError {
  const first = added[added.length - (total - MAX_EXEMPTIONS)] ?? added[0] ?? '';
  const at = (input.add ?? []).indexOf(first);
  return new ValidationError([
    {
      field: `add[${at}]`,
      message: `there would be ${total} exempt paths; the limit is ${MAX_EXEMPTIONS}`,
    },
  ]);
}

const pathsOf = (exemptions: ExemptPath[]) => JSON.stringify(exemptions.map((e) => e.path));

export async function updateExemptions(
  deps: UpdateExemptionsDeps,
  input: BatchInput & Actor,
): Promise<ExemptionsChange> {
  const checked = checkExemptionBatch(input);
  if (!checked.ok) {
    throw new ValidationError(checked.problems.map(({ field, message }) => ({ field, message })));
  }
  const { add, remove } = checked.value;
  let sent: { change: ExemptionsChange; paths: string } | undefined;
  const change = await retryOnConflict(deps, async () => {
    const { group, lockToken } = await deps.ruleGroup.get();
    const state = readSwitchState(group);
    const { next, change } = plan(state.exemptions, add, remove);
    if (next.length > MAX_EXEMPTIONS) throw overLimit(input, change.added, next.length);
    if (change.added.length + change.removed.length === 0) {
      // An earlier attempt's write whose answer was lost may have been applied: when the list is now exactly
      // what it wrote, that write was this change.
      return sent && sent.paths === pathsOf(state.exemptions) ? sent.change : change;
    }
    deps.deadline.assertMayWrite('the rule group write');
    sent = { change, paths: pathsOf(next) };
    await deps.ruleGroup.put(ruleGroupDocument(group.Name ?? '', withExemptions(state, next)), lockToken);
    return change;
  });
  await recordBatch(deps, 'exemptions.update', input.actor, change, 'The exempt paths were changed');
  return change;
}
