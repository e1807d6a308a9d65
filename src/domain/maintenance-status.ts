/**
 * What the switch reports. `enabled` and `retryAfterSeconds` are read from the web ACL itself;
 * reason and who/when come from the change record the ACL's maintenance rule points at.
 */
export interface MaintenanceStatus {
  enabled: boolean;
  action: 'BLOCK' | 'COUNT';
  reason: string | null;
  retryAfterSeconds: number | null;
  changedAt: string | null;
  changedBy: string | null;
  /** The path of this window's secret bypass link while on (`/__maintenance/bypass/<secret>`); null while off. */
  bypassLink: string | null;
  /** Where visitors reach the site, as the stack knows it (for the link's full URL); null when it does not. */
  siteUrl: string | null;
  /** When the current maintenance ends by itself (its window's end); null while off or when nothing ends it. */
  endsAt: string | null;
}

/** One applied (or attempted) change, kept as an audit trail; the web ACL names the current one. */
export interface ChangeRecord {
  id: string;
  enabled: boolean;
  reason: string | null;
  retryAfterSeconds: number | null;
  changedAt: string;
  changedBy: string;
  /** The window this change belongs to: its start, its end, or a toggle's `endsAt`. Absent for a plain toggle. */
  windowId?: string | null;
  /** When the maintenance this change turned on ends by itself (its window's end). */
  endsAt?: string | null;
}

/** Retry-After used when maintenance is turned on without one: five minutes. */
export const DEFAULT_RETRY_AFTER_SECONDS = 300;
export const MAX_RETRY_AFTER_SECONDS = 86_400;
export const MAX_REASON_LENGTH = 500;
