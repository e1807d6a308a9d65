import type { BypassChange } from '../../../src/cli/api-client';
import { describeError } from '../../../src/cli/errors';
import {
  bypassSummary,
  describeBypassChange,
  describeStatus,
  describeToggle,
  ruleOrder,
  slackGrantTable,
  tokenTable,
  wcus,
} from '../../../src/cli/format';
import { ConflictError, UpstreamError, ValidationError } from '../../../src/domain/errors';
import { aStatus } from '../../support/fakes';

const status = aStatus;

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

describe('bypassSummary', () => {
  it('counts the addresses per IP version against the limit', () => {
    expect(
      bypassSummary({
        addresses: [
          { cidr: '10.0.0.0/8', version: 4 },
          { cidr: '198.51.100.0/24', version: 4 },
          { cidr: '2001:db8::/32', version: 6 },
        ],
        count: 3,
        limit: 10000,
      }),
    ).toBe('3 addresses bypass maintenance (IPv4: 2 of 10000, IPv6: 1 of 10000)');
  });

  it('speaks of one address in the singular', () => {
    expect(
      bypassSummary({ addresses: [{ cidr: '2001:db8::/32', version: 6 }], count: 1, limit: 10000 }),
    ).toBe('1 address bypasses maintenance (IPv4: 0 of 10000, IPv6: 1 of 10000)');
  });
});

describe('describeBypassChange', () => {
  const change = (overrides: Partial<BypassChange>): BypassChange => ({
    added: [],
    removed: [],
    unchanged: [],
    count: 0,
    ...overrides,
  });

  it('names the typed form of the one address the API rewrote', () => {
    expect(
      describeBypassChange(change({ added: ['10.0.0.0/8', '2001:db8::/32'], count: 2 }), 'add', [
        '10.0.0.0/8',
        '2001:DB8::/32',
      ]),
    ).toBe(
      'added 10.0.0.0/8\nadded 2001:db8::/32 (from 2001:DB8::/32)\nThe bypass set now holds 2 addresses.',
    );
  });

  it('does not guess which typed address became which when several were rewritten', () => {
    expect(
      describeBypassChange(change({ added: ['2001:db8::/32', '10.0.0.0/8'], count: 2 }), 'add', [
        '10.1.2.3/8',
        '2001:DB8::/32',
      ]),
    ).toBe(
      [
        'added 2001:db8::/32',
        'added 10.0.0.0/8',
        'Given as 10.1.2.3/8, 2001:DB8::/32; shown above in canonical form.',
        'The bypass set now holds 2 addresses.',
      ].join('\n'),
    );
  });

  it('notes a typed address that folded into another one of the same request', () => {
    expect(
      describeBypassChange(change({ removed: ['10.0.0.0/8'], count: 0 }), 'remove', [
        '10.0.0.0/8',
        '10.9.9.9/8',
      ]),
    ).toBe(
      'removed 10.0.0.0/8\nGiven as 10.9.9.9/8; shown above in canonical form.\nThe bypass set now holds 0 addresses.',
    );
  });

  it('says why an address is unchanged, depending on the operation', () => {
    expect(describeBypassChange(change({ unchanged: ['10.0.0.0/8'], count: 4 }), 'add', ['10.0.0.0/8'])).toBe(
      'unchanged 10.0.0.0/8: already in the bypass set\nThe bypass set now holds 4 addresses.',
    );
    expect(
      describeBypassChange(change({ unchanged: ['10.0.0.0/8'], count: 4 }), 'remove', ['10.0.0.0/8']),
    ).toBe('unchanged 10.0.0.0/8: not in the bypass set\nThe bypass set now holds 4 addresses.');
  });
});

describe('slackGrantTable', () => {
  it('aligns user IDs and roles under a header', () => {
    const table = slackGrantTable([
      { userId: 'U024BE7LH', role: 'operator', grantedAt: '2026-01-01T00:00:00.000Z' },
      { userId: 'W0AB', role: 'admin', grantedAt: '2026-01-02T00:00:00.000Z' },
    ]);
    expect(table.split('\n')).toEqual([
      'USER ID    ROLE      GRANTED',
      'U024BE7LH  operator  2026-01-01T00:00:00.000Z',
      'W0AB       admin     2026-01-02T00:00:00.000Z',
    ]);
  });
});

describe('ruleOrder', () => {
  const rule = (Name: string, Priority: number) => ({
    Name,
    Priority,
    Statement: {},
    VisibilityConfig: { SampledRequestsEnabled: false, CloudWatchMetricsEnabled: false, MetricName: Name },
  });

  it('lists the rules by priority, however the ACL stores them', () => {
    expect(ruleOrder([rule('late', 6), rule('first', 0), rule('next', 1)])).toBe(
      'Evaluation order: 0 first, 1 next, 6 late.',
    );
  });

  it('shows the first five and counts the rest', () => {
    const rules = [0, 1, 2, 3, 4, 5, 6].map((p) => rule(`r${p}`, p));
    expect(ruleOrder(rules)).toBe('Evaluation order: 0 r0, 1 r1, 2 r2, 3 r3, 4 r4, and 2 more.');
  });

  it('says when only the default action is left', () => {
    expect(ruleOrder([])).toBe('Evaluation order: no rules, only the default action.');
  });
});

describe('wcus', () => {
  it('groups thousands', () => {
    expect(wcus(1550)).toBe('1,550 WCUs');
  });
});
