import { MAX_ADDRESSES_PER_VERSION } from '../domain/bypass-plan';
import { type Cidr, compareCidrs, type IpVersion, parseCidr } from '../domain/cidr';
import type { BypassSetStore } from '../ports/bypass-set-store';

export interface BypassListing {
  addresses: Array<{ cidr: string; version: IpVersion }>;
  count: number;
  limit: number;
}

/**
 * Lists both bypass sets, read from WAF (never a cache), in canonical form and sorted: IPv4 before IPv6,
 * then numerically. `limit` is per IP version.
 */
export async function listBypassSet(deps: { bypass: BypassSetStore }): Promise<BypassListing> {
  const snapshots = await Promise.all([deps.bypass.get(4), deps.bypass.get(6)]);
  const valid: Cidr[] = [];
  const unreadable: Array<{ cidr: string; version: IpVersion }> = [];
  for (const snapshot of snapshots) {
    for (const stored of snapshot.addresses) {
      const parsed = parseCidr(stored);
      // WAF only stores valid CIDRs; anything else is kept visible at the end rather than hidden.
      if (parsed.ok) valid.push(parsed.cidr);
      else unreadable.push({ cidr: stored, version: snapshot.version });
    }
  }
  const addresses = [
    ...valid.sort(compareCidrs).map(({ value, version }) => ({ cidr: value, version })),
    ...unreadable,
  ];
  return {
    addresses,
    count: addresses.length,
    limit: MAX_ADDRESSES_PER_VERSION,
  };
}
