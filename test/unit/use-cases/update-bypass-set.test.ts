import { Deadline, MIN_TIME_FOR_WRITE_MS } from '../../../src/domain/deadline';
import {
  ConflictError,
  PartialChangeError,
  ThrottledError,
  UpstreamError,
  ValidationError,
} from '../../../src/domain/errors';
import { listBypassSet } from '../../../src/use-cases/list-bypass-set';
import {
  parseBypassRequest,
  UNDO_RESERVE_MS,
  updateBypassSet,
} from '../../../src/use-cases/update-bypass-set';
import { FakeClock, InMemoryAuditLog, InMemoryBypassSets } from '../../support/fakes';

function makeDeps(deadlineMs = 27_000) {
  const clock = new FakeClock();
  return {
    bypass: new InMemoryBypassSets(),
    audit: new InMemoryAuditLog(),
    clock,
    policy: { budgetMs: 2_000, baseDelayMs: 10, maxDelayMs: 100, random: () => 0.5 },
    deadline: Deadline.in(clock, deadlineMs),
  };
}

describe('updateBypassSet', () => {
  it('adds IPv4 and IPv6 addresses in canonical form and reports each', async () => {
    const deps = makeDeps();
    const result = await updateBypassSet(deps, {
      add: ['198.51.100.77/24', '2001:DB8:0:0::1', '203.0.113.9'],
      actor: 'alice',
    });
    expect(result).toEqual({
      added: ['198.51.100.0/24', '203.0.113.9/32', '2001:db8::1/128'],
      removed: [],
      unchanged: [],
      count: 3,
      warnings: [],
    });
    expect(deps.bypass.sets[4].addresses).toEqual(['198.51.100.0/24', '203.0.113.9/32']);
    expect(deps.bypass.sets[6].addresses).toEqual(['2001:db8::1/128']);
  });

  it('removes addresses, matching stored entries by canonical form, and reports what was not there', async () => {
    const deps = makeDeps();
    deps.bypass.externalWrite(4, ['192.0.2.0/24', '198.51.100.7/32']);
    const result = await updateBypassSet(deps, { remove: ['192.0.2.0/24', '203.0.113.1'], actor: 'alice' });
    expect(result).toEqual({
      added: [],
      removed: ['192.0.2.0/24'],
      unchanged: ['203.0.113.1/32'],
      count: 1,
      warnings: [],
    });
    expect(deps.bypass.sets[4].addresses).toEqual(['198.51.100.7/32']);
  });

  it('writes nothing when every address is already as asked', async () => {
    const deps = makeDeps();
    deps.bypass.externalWrite(4, ['192.0.2.0/24']);
    const result = await updateBypassSet(deps, {
      add: ['192.0.2.0/24'],
      remove: ['2001:db8::/32'],
      actor: 'alice',
    });
    expect(result).toEqual({
      added: [],
      removed: [],
      unchanged: ['192.0.2.0/24', '2001:db8::/32'],
      count: 1,
      warnings: [],
    });
    expect(deps.bypass.writes).toEqual([]);
  });

  it('asks for a repeated address once', async () => {
    const deps = makeDeps();
    const result = await updateBypassSet(deps, { add: ['192.0.2.1', '192.0.2.1/32'], actor: 'alice' });
    expect(result.added).toEqual(['192.0.2.1/32']);
    expect(deps.bypass.sets[4].addresses).toEqual(['192.0.2.1/32']);
  });

  it.each([
    [{ add: ['192.0.2.1', '0.0.0.0/0'] }, 'add[1]'],
    [{ add: ['192.0.2.1', '10.0.0.0/7'] }, 'add[1]'],
    [{ add: ['2001:db8::/31', '2001:db8::1'] }, 'add[0]'],
    [{ add: ['::/0'] }, 'add[0]'],
    [{ add: ['192.0.2.1'], remove: ['example.com'] }, 'remove[0]'],
    [{ add: [42] }, 'add[0]'],
    [{ add: ['192.0.2.1'], remove: ['192.0.2.1/32'] }, 'remove[0]'],
    [{}, 'body'],
    [{ add: [], remove: [] }, 'body'],
  ])('refuses %j as a whole, naming %s, and writes nothing', async (input, field) => {
    const deps = makeDeps();
    const run = updateBypassSet(deps, { ...input, actor: 'alice' });
    await expect(run).rejects.toBeInstanceOf(ValidationError);
    await expect(run).rejects.toMatchObject({
      errors: expect.arrayContaining([expect.objectContaining({ field })]),
    });
    expect(deps.bypass.writes).toEqual([]);
  });

  it.each([
    ['IPv4', ['0.0.0.0/1', '128.0.0.0/1']],
    ['IPv6', ['::/1', '8000::/1']],
  ])('refuses the two halves of the %s internet, naming each, and writes nothing', async (version, add) => {
    const deps = makeDeps();
    const min = version === 'IPv4' ? 8 : 32;
    const reason = `/1 would let a large part of the internet through maintenance; the shortest prefix allowed for ${version} is /${min}`;
    const run = updateBypassSet(deps, { add: ['198.51.100.7', ...add], actor: 'alice' });
    await expect(run).rejects.toBeInstanceOf(ValidationError);
    await expect(run).rejects.toMatchObject({
      errors: [
        { field: 'add[1]', message: reason },
        { field: 'add[2]', message: reason },
      ],
    });
    expect(deps.bypass.writes).toEqual([]);
  });

  it('accepts the shortest prefixes allowed, /8 and /32', async () => {
    const deps = makeDeps();
    const result = await updateBypassSet(deps, { add: ['11.0.0.0/8', '2001:db8::/32'], actor: 'alice' });
    expect(result.added).toEqual(['11.0.0.0/8', '2001:db8::/32']);
  });

  it('removes an over-broad entry someone stored by hand', async () => {
    const deps = makeDeps();
    deps.bypass.externalWrite(4, ['0.0.0.0/1', '198.51.100.0/24']);
    deps.bypass.externalWrite(6, ['8000::/1']);
    const result = await updateBypassSet(deps, { remove: ['0.0.0.0/1', '8000::/1'], actor: 'alice' });
    expect(result).toMatchObject({ removed: ['0.0.0.0/1', '8000::/1'], count: 1 });
    expect(deps.bypass.sets[4].addresses).toEqual(['198.51.100.0/24']);
    expect(deps.bypass.sets[6].addresses).toEqual([]);
  });

  it('adds private, loopback, link-local, CGNAT and unique-local entries, and names each in warnings', async () => {
    const deps = makeDeps();
    deps.bypass.externalWrite(4, ['192.168.0.0/16']);
    const add = [
      '10.1.2.3',
      '198.51.100.0/24',
      '192.168.7.9/16',
      '127.0.0.1',
      '169.254.0.0/16',
      '100.64.1.0/24',
      '192.0.2.1',
      'FD12:3456::/48',
      'fe80::1',
      '::1',
      '2001:db8::/48',
    ];
    const result = await updateBypassSet(deps, { add, actor: 'alice' });
    const never =
      "; CloudFront only ever sees a visitor's public address, so behind CloudFront this entry never matches";
    expect(result.warnings).toEqual([
      {
        field: 'add[0]',
        cidr: '10.1.2.3/32',
        range: 'private',
        message: `lies in a private range (RFC 1918)${never}`,
      },
      {
        field: 'add[2]',
        cidr: '192.168.0.0/16',
        range: 'private',
        message: `lies in a private range (RFC 1918)${never}`,
      },
      {
        field: 'add[3]',
        cidr: '127.0.0.1/32',
        range: 'loopback',
        message: `lies in the loopback range${never}`,
      },
      {
        field: 'add[4]',
        cidr: '169.254.0.0/16',
        range: 'link-local',
        message: `lies in the link-local range${never}`,
      },
      {
        field: 'add[5]',
        cidr: '100.64.1.0/24',
        range: 'cgnat',
        message: `lies in the carrier-grade NAT range (100.64.0.0/10, RFC 6598)${never}`,
      },
      {
        field: 'add[7]',
        cidr: 'fd12:3456::/48',
        range: 'unique-local',
        message: `lies in the unique-local range (fc00::/7, RFC 4193)${never}`,
      },
      {
        field: 'add[8]',
        cidr: 'fe80::1/128',
        range: 'link-local',
        message: `lies in the link-local range${never}`,
      },
      { field: 'add[9]', cidr: '::1/128', range: 'loopback', message: `lies in the loopback range${never}` },
    ]);
    // Warned entries are still stored; the one already there is reported unchanged, and still warned.
    expect(result.unchanged).toEqual(['192.168.0.0/16']);
    expect(result.count).toBe(add.length);
  });

  it('does not warn about removing a private address', async () => {
    const deps = makeDeps();
    deps.bypass.externalWrite(4, ['10.0.0.0/8']);
    const result = await updateBypassSet(deps, { remove: ['10.0.0.0/8'], actor: 'alice' });
    expect(result).toMatchObject({ removed: ['10.0.0.0/8'], warnings: [] });
  });

  it('refuses a batch that would pass 10,000 addresses in either set before writing any', async () => {
    const deps = makeDeps();
    deps.bypass.externalWrite(
      6,
      Array.from({ length: 10_000 }, (_, i) => `2001:db8::${i.toString(16)}/128`),
    );
    const run = updateBypassSet(deps, { add: ['192.0.2.1', '2001:db8:1::1'], actor: 'alice' });
    await expect(run).rejects.toBeInstanceOf(ValidationError);
    await expect(run).rejects.toMatchObject({
      errors: [{ field: 'add', message: expect.stringMatching(/IPv6.*10001.*10000/) }],
    });
    expect(deps.bypass.writes).toEqual([]);
  });

  it('accepts exactly 10,000 addresses in one set', async () => {
    const deps = makeDeps();
    const add = Array.from({ length: 10_000 }, (_, i) => `10.${i >> 8}.${i & 255}.0/24`);
    const result = await updateBypassSet(deps, { add, actor: 'alice' });
    expect(result.count).toBe(10_000);
  });

  it("re-reads and keeps the other writer's addresses when the lock token moved on", async () => {
    const deps = makeDeps();
    const put = deps.bypass.put.bind(deps.bypass);
    let raced = false;
    deps.bypass.put = async (snapshot, addresses) => {
      if (!raced) {
        // Between our read and our write, someone else adds an address: our lock token is now stale.
        raced = true;
        deps.bypass.externalWrite(4, ['203.0.113.0/24']);
      }
      return put(snapshot, addresses);
    };
    const result = await updateBypassSet(deps, { add: ['192.0.2.0/24'], actor: 'alice' });
    expect(result).toMatchObject({ added: ['192.0.2.0/24'], count: 2 });
    expect(deps.bypass.sets[4].addresses).toEqual(['203.0.113.0/24', '192.0.2.0/24']);
    expect(deps.clock.slept).toHaveLength(1);
  });

  it('undoes the IPv4 change when the IPv6 write fails, then reports the failure', async () => {
    const deps = makeDeps();
    deps.bypass.externalWrite(4, ['192.0.2.0/24']);
    deps.bypass.failWrites[6].push(new UpstreamError('AWS failed: InternalErrorException'));
    const run = updateBypassSet(deps, {
      add: ['198.51.100.1', '2001:db8::1'],
      remove: ['192.0.2.0/24'],
      actor: 'alice',
    });
    await expect(run).rejects.toBeInstanceOf(UpstreamError);
    expect(deps.bypass.sets[4].addresses).toEqual(['192.0.2.0/24']);
    expect(deps.bypass.sets[6].addresses).toEqual([]);
  });

  it('says exactly what was applied when the undo fails too', async () => {
    const deps = makeDeps();
    deps.bypass.failWrites[6].push(new UpstreamError('v6 failed'));
    const put = deps.bypass.put.bind(deps.bypass);
    let v4Writes = 0;
    deps.bypass.put = async (snapshot, addresses) => {
      if (snapshot.version === 4 && ++v4Writes > 1) throw new UpstreamError('undo failed');
      return put(snapshot, addresses);
    };
    const run = updateBypassSet(deps, { add: ['198.51.100.1', '2001:db8::1'], actor: 'alice' });
    await expect(run).rejects.toBeInstanceOf(PartialChangeError);
    await expect(run).rejects.toMatchObject({
      applied: { version: 'IPv4', added: ['198.51.100.1/32'], removed: [] },
    });
  });

  it.each([
    ['the budget comes first', 27_000, 2_000],
    ['the deadline comes first', 8_000, 8_000 - UNDO_RESERVE_MS],
  ])(
    'stops the writes in time for an undo, and the undo before the answer (%s)',
    async (_case, deadlineMs, writesStopBy) => {
      const deps = makeDeps(deadlineMs);
      deps.policy = { ...deps.policy, budgetMs: deadlineMs === 27_000 ? 2_000 : 60_000 };
      const start = deps.clock.now().getTime();
      const put = deps.bypass.put.bind(deps.bypass);
      const attempts: Array<{ version: number; at: number }> = [];
      deps.bypass.put = async (snapshot, addresses) => {
        attempts.push({ version: snapshot.version, at: deps.clock.now().getTime() - start });
        // IPv4 is written once 90% of the writes' time is gone; IPv6 and then the undo never get through.
        if (snapshot.version === 4 && attempts.length === 1) {
          deps.clock.advance(writesStopBy * 0.9);
          return put(snapshot, addresses);
        }
        throw new ThrottledError();
      };
      await expect(
        updateBypassSet(deps, { add: ['192.0.2.1', '2001:db8::1'], actor: 'alice' }),
      ).rejects.toBeInstanceOf(PartialChangeError);
      const v6 = attempts.filter((a) => a.version === 6).map((a) => a.at);
      const undo = attempts
        .slice(1)
        .filter((a) => a.version === 4)
        .map((a) => a.at);
      expect(v6.length).toBeGreaterThan(0);
      expect(Math.max(...v6)).toBeLessThan(writesStopBy);
      expect(undo.length).toBeGreaterThan(0);
      expect(Math.max(...undo)).toBeGreaterThan(writesStopBy);
      expect(Math.max(...undo)).toBeLessThanOrEqual(deadlineMs - MIN_TIME_FOR_WRITE_MS);
    },
  );

  it('starts no write once the request has been answered', async () => {
    const deps = makeDeps();
    deps.deadline.close();
    await expect(updateBypassSet(deps, { add: ['192.0.2.1'], actor: 'alice' })).rejects.toThrow(/not sent/);
    expect(deps.bypass.sets[4].addresses).toEqual([]);
  });

  it('answers ConflictError when the set keeps changing under it, with nothing applied', async () => {
    const deps = makeDeps();
    const get = deps.bypass.get.bind(deps.bypass);
    deps.bypass.get = async (version) => {
      const snapshot = await get(version);
      deps.bypass.externalWrite(version, deps.bypass.sets[version].addresses);
      return snapshot;
    };
    await expect(updateBypassSet(deps, { add: ['192.0.2.1'], actor: 'alice' })).rejects.toBeInstanceOf(
      ConflictError,
    );
    expect(deps.bypass.sets[4].addresses).toEqual([]);
  });
});

describe('parseBypassRequest', () => {
  it('refuses over-broad additions with the same errors as updateBypassSet, for Slack to show before queuing', () => {
    expect(() => parseBypassRequest({ add: ['192.0.2.1', '0.0.0.0/1'] })).toThrow(
      expect.objectContaining({
        errors: [
          {
            field: 'add[1]',
            message:
              '/1 would let a large part of the internet through maintenance; the shortest prefix allowed for IPv4 is /8',
          },
        ],
      }),
    );
  });

  it('still returns the deltas alone, warnings or not', () => {
    const deltas = parseBypassRequest({ add: ['10.1.2.3'], remove: ['::/1'] });
    expect(deltas).toEqual({
      4: { add: [{ value: '10.1.2.3/32', version: 4, prefix: 32 }], remove: [] },
      6: { add: [], remove: [{ value: '::/1', version: 6, prefix: 1 }] },
    });
  });
});

describe('listBypassSet', () => {
  it('lists both sets canonically, IPv4 first, numerically sorted, with the per-version limit', async () => {
    const deps = makeDeps();
    deps.bypass.externalWrite(4, ['198.51.100.0/24', '10.0.0.0/8', '9.0.0.0/8']);
    deps.bypass.externalWrite(6, ['2001:DB8::/32', '2001:db8::1/128']);
    expect(await listBypassSet(deps)).toEqual({
      addresses: [
        { cidr: '9.0.0.0/8', version: 4 },
        { cidr: '10.0.0.0/8', version: 4 },
        { cidr: '198.51.100.0/24', version: 4 },
        { cidr: '2001:db8::/32', version: 6 },
        { cidr: '2001:db8::1/128', version: 6 },
      ],
      count: 5,
      limit: 10_000,
    });
  });

  it('lists an over-broad entry stored by hand in its place, so it can be seen and removed', async () => {
    const deps = makeDeps();
    deps.bypass.externalWrite(4, ['198.51.100.0/24', '0.0.0.0/1']);
    expect((await listBypassSet(deps)).addresses).toEqual([
      { cidr: '0.0.0.0/1', version: 4 },
      { cidr: '198.51.100.0/24', version: 4 },
    ]);
  });
});
