import type { Entry } from '../../src/domain/history';

/**
 * A history entry as the use cases write it (a toggle on, by deploy-bot), with overrides.
 *
 * @example
 * anEntry({ action: 'maintenance.off', details: { reason: null, retryAfterSeconds: null } })
 */
export function anEntry(overrides: Partial<Entry> = {}): Entry {
  return {
    id: 'c1',
    at: '2026-12-01T10:00:00.000Z',
    actor: 'deploy-bot',
    action: 'maintenance.on',
    details: { reason: 'Database upgrade', retryAfterSeconds: 1800 },
    ...overrides,
  };
}
