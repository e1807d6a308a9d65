import type { ValueCheck } from './value-check';

/** RFC 3339 date-time with a time zone offset (`Z` or `±hh:mm`), seconds required, fractions allowed. */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-](\d{2}):(\d{2}))$/;

/**
 * A moment, as RFC 3339 with an offset: `2026-12-01T22:00:00Z`, `2026-12-01T23:00:00+01:00`. A date
 * that does not exist (`2026-02-30`) or a time without an offset (whose zone would be a guess) is refused.
 *
 * @example
 * checkInstant('2026-12-01T22:00:00Z') // { ok: true, value: new Date('2026-12-01T22:00:00.000Z') }
 * checkInstant('2026-12-01 22:00') // { ok: false, message: 'must be an RFC 3339 date and time with an offset, like 2026-12-01T22:00:00Z' }
 */
export function checkInstant(input: unknown): ValueCheck<Date> {
  const refused = {
    ok: false as const,
    message: 'must be an RFC 3339 date and time with an offset, like 2026-12-01T22:00:00Z',
  };
  if (typeof input !== 'string') return refused;
  const m = RFC3339.exec(input);
  if (!m) return refused;
  const [, year, month, day, hour, minute, second, , , offsetHours, offsetMinutes] = m.map(Number);
  const date = new Date(input);
  // Date.parse rolls 2026-02-30 over to March; rebuild the fields to see that it did.
  const fields = new Date(Date.UTC(year as number, (month as number) - 1, day, hour, minute, second));
  const valid =
    !Number.isNaN(date.getTime()) &&
    fields.getUTCDate() === day &&
    fields.getUTCMonth() === (month as number) - 1 &&
    (hour as number) < 24 &&
    (minute as number) < 60 &&
    (second as number) < 60 &&
    (Number.isNaN(offsetHours) || ((offsetHours as number) < 24 && (offsetMinutes as number) < 60));
  return valid ? { ok: true, value: date } : refused;
}
