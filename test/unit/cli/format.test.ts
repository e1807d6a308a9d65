import { describeError } from '../../../src/cli/errors';
import { describeStatus, describeToggle, tokenTable } from '../../../src/cli/format';
import { ConflictError, UpstreamError, ValidationError } from '../../../src/domain/errors';
import type { MaintenanceStatus } from '../../../src/domain/maintenance-status';

function status(overrides: Partial<MaintenanceStatus> = {}): MaintenanceStatus {
  return {
    enabled: true,
    action: 'BLOCK',
    reason: 'Database upgrade',
    retryAfterSeconds: 1800,
    changedAt: '2026-03-01T10:00:00.000Z',
    changedBy: 'ops',
    ...overrides,
  };
}

describe('describeStatus', () => {
  it('says who switched maintenance on, when, why, and the Retry-After', () => {
    expect(describeStatus(status())).toBe(
      'Maintenance is ON (BLOCK) since 2026-03-01T10:00:00.000Z by ops: Database upgrade; Retry-After 1800 s',
    );
  });

  it('leaves out what is unknown, and Retry-After while off', () => {
    expect(
      describeStatus(
        status({ enabled: false, action: 'COUNT', reason: null, changedAt: null, changedBy: null }),
      ),
    ).toBe('Maintenance is OFF (COUNT)');
  });
});

describe('describeToggle', () => {
  it('distinguishes a change from a no-op', () => {
    expect(describeToggle({ ...status(), changed: true })).toMatch(/^Maintenance is now ON \(BLOCK\)/);
    expect(describeToggle({ ...status({ enabled: false, action: 'COUNT' }), changed: false })).toMatch(
      /^Maintenance was already OFF \(COUNT\)/,
    );
  });
});

describe('tokenTable', () => {
  it('aligns names and roles under a header and shows no hash', () => {
    const table = tokenTable([
      { name: 'ci', role: 'operator', hash: 'a'.repeat(64), createdAt: '2026-01-01T00:00:00.000Z' },
      { name: 'laptop-admin', role: 'admin', hash: 'b'.repeat(64), createdAt: '2026-01-02T00:00:00.000Z' },
    ]);
    expect(table.split('\n')).toEqual([
      'NAME          ROLE      CREATED',
      'ci            operator  2026-01-01T00:00:00.000Z',
      'laptop-admin  admin     2026-01-02T00:00:00.000Z',
    ]);
  });
});

describe('describeError', () => {
  it('lists each field error of a ValidationError', () => {
    const error = new ValidationError([
      { field: 'name', message: 'is too long' },
      { field: 'role', message: 'must be operator or admin' },
    ]);
    expect(describeError(error)).toBe(
      'Invalid input: The request is invalid.\n  - name: is too long\n  - role: must be operator or admin',
    );
  });

  it('names the kind of domain failure without repeating a prefix the message already has', () => {
    expect(describeError(new ConflictError('Name taken.'))).toBe('Conflict: Name taken.');
    expect(describeError(new UpstreamError('AWS failed: table t: boom'))).toBe('AWS failed: table t: boom');
  });

  it('reports anything else as unexpected', () => {
    expect(describeError(new TypeError('x is undefined'))).toBe('Unexpected error: x is undefined');
  });
});
