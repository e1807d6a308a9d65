import type { IpVersion } from '../domain/cidr';

/** One bypass IP set as read: its addresses as stored, and what a write must present back. */
export interface IpSetSnapshot {
  version: IpVersion;
  addresses: string[];
  lockToken: string;
  /** Carried back on write: AWS replaces every mutable field of the set, description included. */
  description?: string | undefined;
}

/**
 * The two WAF IP sets (IPv4, IPv6) whose addresses the maintenance rule lets through.
 * `put` throws StaleLockError when the snapshot's lock token is no longer current, ThrottledError when AWS
 * asks to slow down, MisconfiguredError when the set is gone, UpstreamError otherwise.
 */
export interface BypassSetStore {
  get(version: IpVersion): Promise<IpSetSnapshot>;
  put(snapshot: IpSetSnapshot, addresses: string[]): Promise<void>;
}
