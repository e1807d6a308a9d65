import type { MaintenanceStatus } from '../domain/maintenance-status';
import type { TokenRecord } from '../ports/token-registry';

/**
 * One line saying where the switch stands, led by `lead` ("Maintenance is", "Maintenance is now", ...).
 *
 * @example
 * describeStatus(status) // 'Maintenance is ON (BLOCK) since 2026-01-01T10:00:00.000Z by ops: Deploy; Retry-After 1800 s'
 */
export function describeStatus(status: MaintenanceStatus, lead = 'Maintenance is'): string {
  let line = `${lead} ${status.enabled ? 'ON' : 'OFF'} (${status.action})`;
  if (status.changedAt) line += ` since ${status.changedAt}`;
  if (status.changedBy) line += ` by ${status.changedBy}`;
  if (status.reason) line += `: ${status.reason}`;
  if (status.enabled && status.retryAfterSeconds !== null)
    line += `; Retry-After ${status.retryAfterSeconds} s`;
  return line;
}

/** The answer to `on`/`off`: what it is now, and whether this call changed it. */
export function describeToggle(status: MaintenanceStatus & { changed: boolean }): string {
  return describeStatus(status, status.changed ? 'Maintenance is now' : 'Maintenance was already');
}

/** What a token listing may show: never the hash, let alone the token. */
export function publicToken(record: TokenRecord): { name: string; role: string; createdAt: string } {
  return { name: record.name, role: record.role, createdAt: record.createdAt };
}

/** Tokens as an aligned table with a header row. */
export function tokenTable(records: TokenRecord[]): string {
  const rows = [['NAME', 'ROLE', 'CREATED'], ...records.map((r) => [r.name, r.role, r.createdAt])];
  const widths = [0, 1].map((col) => Math.max(...rows.map((row) => row[col]?.length ?? 0)));
  return rows
    .map((row) => row.map((cell, col) => (col < 2 ? cell.padEnd(widths[col] ?? 0) : cell)).join('  '))
    .join('\n');
}
