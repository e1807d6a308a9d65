import { MAX_RETRY_AFTER_SECONDS } from '../maintenance-status';
import type { ValueCheck } from './value-check';

/**
 * Retry-After in whole seconds, 1 to 86,400 (a day).
 *
 * @example
 * checkRetryAfter(1800) // { ok: true, value: 1800 }
 * checkRetryAfter(1.5) // { ok: false, message: 'must be a whole number of seconds from 1 to 86400' }
 */
export function checkRetryAfter(input: unknown): ValueCheck<number> {
  if (
    typeof input !== 'number' ||
    !Number.isSafeInteger(input) ||
    input < 1 ||
    input > MAX_RETRY_AFTER_SECONDS
  ) {
    return { ok: false, message: `must be a whole number of seconds from 1 to ${MAX_RETRY_AFTER_SECONDS}` };
  }
  return { ok: true, value: input };
}

/**
 * Retry-After as typed on a command line or in a query: decimal digits only (no sign, point, exponent
 * or spaces), then the same rule as checkRetryAfter.
 *
 * @example
 * checkRetryAfterText('600') // { ok: true, value: 600 }
 * checkRetryAfterText('1e3') // { ok: false, message: 'must be a whole number of seconds from 1 to 86400' }
 */
export function checkRetryAfterText(input: string): ValueCheck<number> {
  return checkRetryAfter(/^\d+$/.test(input) ? Number(input) : Number.NaN);
}
