import { type BatchCheck, type BatchInput, checkBatch } from '../batch';
import { type BypassWarning, breadthProblem, nonPublicRange } from '../bypass-address-rules';
import { type Cidr, parseCidr } from '../cidr';

/** A bypass entry's warning, without the field it is given for (the batch adds that). */
type AddressNote = Pick<BypassWarning, 'cidr' | 'range' | 'message'>;

/**
 * A bypass-set change: every address judged by the one address parser (cidr.ts) and, for additions, the
 * breadth rule; additions that can never match a visitor are accepted with a note (the answer's
 * `warnings`). The breadth rule applies to additions only: removing an over-broad entry someone stored by
 * hand is exactly what should stay possible.
 *
 * @example
 * checkAddressBatch({ add: ['10.1.2.3'] })
 * // { ok: true, value: { add: [{ value: '10.1.2.3/32', ... }], remove: [], notes: [{ field: 'add[0]', note: { range: 'private', ... } }] } }
 */
export function checkAddressBatch(input: BatchInput): BatchCheck<Cidr, AddressNote> {
  return checkBatch<Cidr, AddressNote>(
    input,
    (entry, list) => {
      const parsed = parseCidr(entry);
      if (!parsed.ok) return { ok: false, message: parsed.reason };
      const { cidr } = parsed;
      if (list === 'remove') return { ok: true, value: cidr, key: cidr.value };
      const tooBroad = breadthProblem(cidr);
      if (tooBroad !== null) return { ok: false, message: tooBroad };
      const unreachable = nonPublicRange(cidr);
      return {
        ok: true,
        value: cidr,
        key: cidr.value,
        ...(unreachable === null ? {} : { note: { cidr: cidr.value, ...unreachable } }),
      };
    },
    'address',
  );
}
