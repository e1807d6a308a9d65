import { MAX_REASON_LENGTH } from '../maintenance-status';
import type { ValueCheck } from './value-check';

/**
 * Characters a reason may not hold: C0 controls (tab and line breaks included), DEL, C1 controls, the
 * Unicode line and paragraph separators, and the bidi embedding, override and isolate controls
 * (U+202A-U+202E, U+2066-U+2069), which could reorder the text around the reason on the visitor's page
 * (CVE-2021-42574, "Trojan Source"). Ordinary text in any script, emoji included, passes; the page isolates
 * the reason with `<bdi>` for what remains (a right-to-left reason in a left-to-right page).
 */
// \p{Cc} is exactly C0 (U+0000-U+001F), DEL (U+007F) and C1 (U+0080-U+009F).
const FORBIDDEN_IN_REASON = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
const LONE_SURROGATE = /\p{Cs}/u;

function codePoint(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * A maintenance reason: 1 to 500 UTF-16 code units of printable text on one line.
 *
 * @example
 * checkReason('Database upgrade') // { ok: true, value: 'Database upgrade' }
 * checkReason('a\nb') // { ok: false, message: 'must be one line of text without control characters (U+000A)' }
 */
export function checkReason(input: unknown): ValueCheck<string> {
  if (typeof input !== 'string') return { ok: false, message: 'must be a string' };
  if (input.length < 1 || input.length > MAX_REASON_LENGTH) {
    return { ok: false, message: `must be 1 to ${MAX_REASON_LENGTH} characters` };
  }
  // JSON lets a client send half of a UTF-16 pair; DynamoDB and WAF would refuse it as invalid UTF-8.
  if (LONE_SURROGATE.test(input)) return { ok: false, message: 'must be valid Unicode text' };
  const forbidden = FORBIDDEN_IN_REASON.exec(input);
  if (forbidden) {
    return {
      ok: false,
      message: `must be one line of text without control characters (${codePoint(forbidden[0])})`,
    };
  }
  return { ok: true, value: input };
}
