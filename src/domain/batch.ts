/**
 * The shape every add/remove request shares (bypass addresses, exempt paths): two lists of entries, each
 * judged by one rule, the whole request refused if any entry is, each bad entry named by its position.
 */
export interface BatchInput {
  add?: readonly unknown[] | undefined;
  remove?: readonly unknown[] | undefined;
}

export type BatchList = 'add' | 'remove';

/** One entry judged: its value, the key that makes two entries the same (canonical form), and a note to pass on. */
export type EntryCheck<T, N = never> =
  | { ok: true; value: T; key: string; note?: N }
  | { ok: false; message: string };

/** Why a request was refused: `field` is `add[3]`, `remove[0]`, or `body` for the request as a whole. */
export interface BatchProblem {
  field: string;
  /** The entry as the caller gave it (undefined for `body`), so Slack can quote what the user typed. */
  entry: unknown;
  message: string;
}

export interface Batch<T, N = never> {
  /** Accepted entries, each once, in the order first given. */
  add: T[];
  remove: T[];
  /** The notes of accepted entries, with their fields (warnings about additions), one per entry given. */
  notes: Array<{ field: string; note: N }>;
}

export type BatchCheck<T, N = never> =
  | { ok: true; value: Batch<T, N> }
  | { ok: false; problems: BatchProblem[] };

/**
 * Judges every entry of both lists with `check`. Refused, besides what `check` refuses: an entry in
 * `remove` that is also in `add` (asking both at once is a mistake, not an order), and a request that
 * names nothing. The same entry twice in one list counts once. Never throws.
 *
 * @example
 * checkBatch({ add: ['/a', '/a'], remove: ['/a'] }, (e) => ({ ok: true, value: e, key: String(e) }), 'path')
 * // { ok: false, problems: [{ field: 'remove[0]', entry: '/a', message: '/a is also in add' }] }
 */
export function checkBatch<T, N = never>(
  input: BatchInput,
  check: (entry: unknown, list: BatchList) => EntryCheck<T, N>,
  noun: string,
): BatchCheck<T, N> {
  const batch: Batch<T, N> = { add: [], remove: [], notes: [] };
  const problems: BatchProblem[] = [];
  const seen = { add: new Set<string>(), remove: new Set<string>() };
  for (const list of ['add', 'remove'] as const) {
    for (const [index, entry] of (input[list] ?? []).entries()) {
      const field = `${list}[${index}]`;
      const checked = check(entry, list);
      if (!checked.ok) {
        problems.push({ field, entry, message: checked.message });
      } else if (list === 'remove' && seen.add.has(checked.key)) {
        problems.push({ field, entry, message: `${checked.key} is also in add` });
      } else {
        if (checked.note !== undefined) batch.notes.push({ field, note: checked.note });
        if (!seen[list].has(checked.key)) {
          seen[list].add(checked.key);
          batch[list].push(checked.value);
        }
      }
    }
  }
  if (seen.add.size + seen.remove.size === 0 && problems.length === 0) {
    problems.push({ field: 'body', entry: undefined, message: `name at least one ${noun} in add or remove` });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: batch };
}
