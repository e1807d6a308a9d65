import type { ValueCheck } from './value-check';

/** Each unit a duration may use, largest first, in seconds. */
const UNITS = [
  ['d', 86_400],
  ['h', 3_600],
  ['m', 60],
  ['s', 1],
] as const;

/** One or more parts, each a whole number and its unit, largest unit first, each unit at most once. */
const DURATION = /^(?:(\d{1,9})d)?(?:(\d{1,9})h)?(?:(\d{1,9})m)?(?:(\d{1,9})s)?$/i;

/**
 * A length of time as people type it, in whole seconds: `45m`, `2h`, `1h30m`, `90s`, `7d` (units d, h, m,
 * s, case-insensitive, largest first). Null for anything else: a bare number, a sign, a fraction, a
 * space, `30min`, `30m1h`. It does not check a range (`0m` is 0).
 *
 * @example
 * parseDurationText('1h30m') // 5400
 * parseDurationText('90') // null
 */
export function parseDurationText(input: string): number | null {
  const match = DURATION.exec(input);
  if (!match || input === '') return null;
  return UNITS.reduce((total, [, seconds], i) => total + Number(match[i + 1] ?? 0) * seconds, 0);
}

/**
 * A duration as this switch writes it, the shortest form parseDurationText reads back: `1h30m`, `7d`, `0s`.
 *
 * @example
 * formatDuration(5400) // '1h30m'
 */
export function formatDuration(seconds: number): string {
  let left = Math.max(0, Math.floor(seconds));
  const parts: string[] = [];
  for (const [unit, size] of UNITS) {
    const count = Math.floor(left / size);
    left -= count * size;
    if (count > 0) parts.push(`${count}${unit}`);
  }
  return parts.length > 0 ? parts.join('') : '0s';
}

/**
 * A duration as typed (CLI `--for`, Slack's `schedule START DURATION`): the syntax of parseDurationText,
 * at least 1 s and at most `maxSeconds`. The caller names the bound: a window's length
 * (WINDOW_LIMITS.maxLengthMs) for both.
 *
 * @example
 * checkDuration('45m', 604_800) // { ok: true, value: 2700 }
 * checkDuration('8d', 604_800) // { ok: false, message: 'must be a duration like 45m, 2h or 1h30m, from 1s to 7d' }
 */
export function checkDuration(input: unknown, maxSeconds: number): ValueCheck<number> {
  const seconds = typeof input === 'string' ? parseDurationText(input) : null;
  if (seconds === null || seconds < 1 || seconds > maxSeconds) {
    return {
      ok: false,
      message: `must be a duration like 45m, 2h or 1h30m, from 1s to ${formatDuration(maxSeconds)}`,
    };
  }
  return { ok: true, value: seconds };
}
