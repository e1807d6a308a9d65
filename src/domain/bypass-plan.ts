import { type Cidr, type IpVersion, parseCidr } from './cidr';

/** WAF's default quota of addresses per IP set; the switch checks it before writing. */
export const MAX_ADDRESSES_PER_VERSION = 10_000;

/** What one request asks of one IP set, in canonical form. */
export interface BypassDelta {
  add: Cidr[];
  remove: Cidr[];
}

/** The next content of one IP set, and how each requested address fared. */
export interface BypassPlan {
  addresses: string[];
  added: string[];
  removed: string[];
  unchanged: string[];
}

/** Canonical form of a stored entry; entries nobody can parse are matched as they are. */
function canonical(stored: string): string {
  const parsed = parseCidr(stored);
  return parsed.ok ? parsed.cidr.value : stored;
}

/**
 * Applies a delta to the addresses an IP set holds now. Stored entries are matched by canonical form
 * (`198.51.100.77/24` matches `198.51.100.0/24`) but written back untouched; only what the request
 * names changes.
 *
 * @example
 * planBypassChange(['192.0.2.0/24'], { add: [cidr('198.51.100.0/24')], remove: [cidr('192.0.2.0/24')] })
 * // { addresses: ['198.51.100.0/24'], added: ['198.51.100.0/24'], removed: ['192.0.2.0/24'], unchanged: [] }
 */
export function planBypassChange(current: string[], delta: BypassDelta): BypassPlan {
  const byCanonical = new Map(current.map((stored) => [canonical(stored), stored]));
  const plan: BypassPlan = { addresses: [], added: [], removed: [], unchanged: [] };
  for (const { value } of delta.remove) {
    if (byCanonical.delete(value)) plan.removed.push(value);
    else plan.unchanged.push(value);
  }
  for (const { value } of delta.add) {
    if (byCanonical.has(value)) plan.unchanged.push(value);
    else {
      byCanonical.set(value, value);
      plan.added.push(value);
    }
  }
  plan.addresses = [...byCanonical.values()];
  return plan;
}

export function isNoop(plan: BypassPlan): boolean {
  return plan.added.length === 0 && plan.removed.length === 0;
}

/** The inverse delta of an applied plan: what undoing it means. */
export function undoDelta(plan: BypassPlan, version: IpVersion): BypassDelta {
  const cidrs = (values: string[]) =>
    values.map((value) => {
      const parsed = parseCidr(value);
      return parsed.ok ? parsed.cidr : { value, version, prefix: version === 4 ? 32 : 128 };
    });
  return { add: cidrs(plan.removed), remove: cidrs(plan.added) };
}
