import { parseCommand } from '../../../src/cli/args';
import { describeDetails, historyLines, quoted } from '../../../src/cli/history-commands';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../../../src/cli/run';
import { type Entry, encodeCursor } from '../../../src/domain/history';
import { problemAnswer, useApiStub } from '../../support/cli';
import { anEntry as baseEntry } from '../../support/history';

/** An entry of this suite's history: by ops-laptop, on 1 March. */
const anEntry = (overrides: Partial<Entry> = {}): Entry =>
  baseEntry({ at: '2026-03-01T10:00:00.000Z', actor: 'ops-laptop', ...overrides });

/** A page as the API answers it, newest first. */
const PAGE = {
  entries: [
    anEntry({
      id: 'c4',
      at: '2026-03-01T11:30:00.000Z',
      action: 'maintenance.off',
      details: { reason: null, retryAfterSeconds: null },
    }),
    anEntry({
      id: 'c3',
      at: '2026-03-01T10:20:00.000Z',
      actor: 'slack:Jane Doe (U024BE7LH)',
      action: 'bypass.update',
      details: { added: ['198.51.100.0/24', '2001:db8::/32'], removed: ['192.0.2.7/32'] },
    }),
    anEntry({
      id: 'c2',
      at: '2026-03-01T10:05:00.000Z',
      actor: 'ci',
      action: 'exemptions.update',
      details: { added: [], removed: ['/health'] },
    }),
    anEntry(),
  ],
  nextCursor: null,
};

const NEXT = encodeCursor({ at: '2026-03-01T10:00:00.000Z', id: 'c1' });
const USAGE_HINT = "\nRun 'maintenance --help' for usage.\n";

describe('parseCommand for history', () => {
  it('reads --limit by the API rule and passes --cursor through as given', () => {
    expect(parseCommand(['history'])).toEqual({ kind: 'history', json: false });
    expect(parseCommand(['history', '--limit', '100', '--cursor', 'abc', '--json'])).toEqual({
      kind: 'history',
      json: true,
      limit: 100,
      cursor: 'abc',
    });
  });
});

describe('maintenance history over HTTP', () => {
  const { api, cli } = useApiStub({ status: 200, body: JSON.stringify(PAGE) });

  it.each([
    [[], '/maintenance/history'],
    [['--limit', '5'], '/maintenance/history?limit=5'],
    [['--cursor', NEXT], `/maintenance/history?cursor=${NEXT}`],
    [['--cursor', NEXT, '--limit', '07'], `/maintenance/history?limit=7&cursor=${NEXT}`],
    [['--cursor', 'a b&c=d/é'], '/maintenance/history?cursor=a%20b%26c%3Dd%2F%C3%A9'],
  ])('for %j sends GET %s', async (flags, path) => {
    expect((await cli(['history', ...flags])).code).toBe(EXIT_OK);

    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]).toMatchObject({ method: 'GET', path, body: '' });
  });

  it('prints one aligned line per entry, newest first, and nothing on stderr on the last page', async () => {
    expect(await cli(['history'])).toEqual({
      code: EXIT_OK,
      stdout: [
        '2026-03-01T11:30:00.000Z  maintenance.off    ops-laptop',
        '2026-03-01T10:20:00.000Z  bypass.update      slack:Jane Doe (U024BE7LH)  added 198.51.100.0/24, 2001:db8::/32; removed 192.0.2.7/32',
        '2026-03-01T10:05:00.000Z  exemptions.update  ci                          removed /health',
        '2026-03-01T10:00:00.000Z  maintenance.on     ops-laptop                  reason "Database upgrade"; Retry-After 1800 s',
        '',
      ].join('\n'),
      stderr: '',
    });
  });

  it('gives the command for the next page on stderr, with the --limit given', async () => {
    api.answer = { status: 200, body: JSON.stringify({ entries: [anEntry()], nextCursor: NEXT }) };

    expect(await cli(['history', '--limit', '1'])).toEqual({
      code: EXIT_OK,
      stdout:
        '2026-03-01T10:00:00.000Z  maintenance.on  ops-laptop  reason "Database upgrade"; Retry-After 1800 s\n',
      stderr: `maintenance: more: maintenance history --cursor ${NEXT} --limit 1\n`,
    });
    expect((await cli(['history'])).stderr).toBe(`maintenance: more: maintenance history --cursor ${NEXT}\n`);
  });

  it('prints nothing on stdout and says so on stderr when the history is empty', async () => {
    api.answer = { status: 200, body: '{"entries":[],"nextCursor":null}' };

    expect(await cli(['history'])).toEqual({
      code: EXIT_OK,
      stdout: '',
      stderr: 'maintenance: the history is empty\n',
    });
    expect((await cli(['history', '--cursor', NEXT])).stderr).toBe(
      'maintenance: no entries older than this cursor\n',
    );
  });

  it('--json prints the answer exactly as received and nothing on stderr, more pages or not', async () => {
    const raw = JSON.stringify({ entries: [anEntry()], nextCursor: NEXT });
    api.answer = { status: 200, body: raw };

    expect(await cli(['history', '--json'])).toEqual({ code: EXIT_OK, stdout: `${raw}\n`, stderr: '' });
  });

  it.each(['0', '101', 'abc', '-1', '5.0', ''])(
    'refuses --limit %j before sending anything, exit 2',
    async (limit) => {
      expect(await cli(['history', `--limit=${limit}`])).toEqual({
        code: EXIT_USAGE,
        stdout: '',
        stderr: `maintenance: --limit must be a whole number from 1 to 100.${USAGE_HINT}`,
      });
      expect(api.requests).toEqual([]);
    },
  );

  it.each([
    [['history', 'all'], "Unexpected argument 'all' for 'history'."],
    [['history', '--reason', 'x'], "'history' does not take --reason."],
    [['history', '--cursor'], "Option '--cursor <value>' argument missing"],
  ])('exits 2 for %j without calling the API: %s', async (argv, message) => {
    expect(await cli(argv)).toEqual({
      code: EXIT_USAGE,
      stdout: '',
      stderr: `maintenance: ${message}${USAGE_HINT}`,
    });
    expect(api.requests).toEqual([]);
  });

  it("shows the API's refusal of a cursor as for every command, exit 1", async () => {
    const refused = {
      field: 'cursor',
      message: "is not a cursor this API gave out (pass a page's nextCursor)",
    };
    const detail = 'The request is invalid.';
    api.answer = problemAnswer({ title: 'Invalid request', status: 400, detail, errors: [refused] });

    expect(await cli(['history', '--cursor', 'nope'])).toEqual({
      code: EXIT_FAILURE,
      stdout: '',
      stderr: `maintenance: Invalid request (HTTP 400): ${detail}\n  - ${refused.field}: ${refused.message}\n`,
    });
  });

  it('refuses a 200 that is not a page of the history, exit 1', async () => {
    api.answer = { status: 200, body: '{"entries":[{"id":"c1"}],"nextCursor":null}' };

    const result = await cli(['history']);

    expect(result.code).toBe(EXIT_FAILURE);
    expect(result.stderr).toMatch(
      /^maintenance: Unexpected answer to GET http:\/\/127\.0\.0\.1:\d+\/maintenance\/history: /,
    );
  });

  it('fails with exit 1 and sends nothing without MAINTENANCE_API_URL', async () => {
    const result = await cli(['history'], { MAINTENANCE_API_URL: undefined });

    expect(result.code).toBe(EXIT_FAILURE);
    expect(result.stderr).toContain('MAINTENANCE_API_URL must be set');
    expect(api.requests).toEqual([]);
  });
});

describe('describeDetails', () => {
  it.each([
    [{ reason: null, retryAfterSeconds: 300 }, 'no reason; Retry-After 300 s'],
    [{ reason: 'Say "hi"' }, 'reason "Say \\"hi\\""'],
  ])('describes a maintenance.on with %j as %j', (details, text) => {
    expect(describeDetails(anEntry({ details }))).toBe(text);
  });

  it('gives the reason of a maintenance.off, and nothing without one', () => {
    expect(describeDetails(anEntry({ action: 'maintenance.off', details: { reason: 'Done' } }))).toBe(
      'reason "Done"',
    );
    expect(describeDetails(anEntry({ action: 'maintenance.off', details: { reason: null } }))).toBe('');
  });

  it('names the first 5 of a long list, then counts the rest', () => {
    const added = Array.from({ length: 8 }, (_, i) => `/p${i}`);

    expect(
      describeDetails(anEntry({ action: 'exemptions.update', details: { added, removed: ['/x'] } })),
    ).toBe('added /p0, /p1, /p2, /p3, /p4 and 3 more; removed /x');
  });

  it('says a change with neither list changed nothing it can name', () => {
    expect(describeDetails(anEntry({ action: 'bypass.update', details: {} }))).toBe(
      'nothing added or removed',
    );
  });
});

describe('what the history prints of stored text', () => {
  it('quotes and escapes an actor or list entry a terminal could act on', () => {
    const [line] = historyLines([
      anEntry({
        actor: 'evil\u001b[2J\u202e',
        action: 'exemptions.update',
        details: { added: ['/a\u0085b'], removed: [] },
      }),
    ]);

    expect(line).toBe(
      '2026-03-01T10:00:00.000Z  exemptions.update  "evil\\u001b[2J\\u202e"  added "/a\\u0085b"',
    );
  });

  it('escapes what JSON leaves as it is in a quoted reason', () => {
    expect(quoted('a\u2028b\u007f')).toBe('"a\\u2028b\\u007f"');
  });
});

describe('describeDetails of window entries', () => {
  const window = {
    windowId: 'w1',
    startsAt: '2026-12-06T02:00:00.000Z',
    endsAt: '2026-12-06T03:00:00.000Z',
    reason: 'Database upgrade',
    retryAfterSeconds: null,
  };

  it.each<[Entry['action'], Entry['details'], string]>([
    [
      'window.create',
      window,
      'window w1 2026-12-06T02:00:00.000Z to 2026-12-06T03:00:00.000Z; reason "Database upgrade"',
    ],
    [
      'window.create',
      { ...window, reason: null, retryAfterSeconds: 600 },
      'window w1 2026-12-06T02:00:00.000Z to 2026-12-06T03:00:00.000Z; Retry-After 600 s',
    ],
    [
      'window.cancel',
      { ...window, wasActive: false, turnedOff: false },
      'window w1 2026-12-06T02:00:00.000Z to 2026-12-06T03:00:00.000Z; reason "Database upgrade"; was scheduled',
    ],
    [
      'window.cancel',
      { ...window, wasActive: true, turnedOff: true },
      'window w1 2026-12-06T02:00:00.000Z to 2026-12-06T03:00:00.000Z; reason "Database upgrade"; was active: turned maintenance off',
    ],
    [
      'window.cancel',
      { ...window, reason: null, wasActive: true, turnedOff: false },
      'window w1 2026-12-06T02:00:00.000Z to 2026-12-06T03:00:00.000Z; was active: left maintenance alone (taken over)',
    ],
    [
      'window.end',
      { ...window, reason: null, outcome: 'left-alone', changedBy: 'ops-laptop' },
      'window w1 2026-12-06T02:00:00.000Z to 2026-12-06T03:00:00.000Z; left maintenance alone: taken over by ops-laptop',
    ],
    [
      'window.end',
      { ...window, reason: null, outcome: 'missed', changedBy: null },
      'window w1 2026-12-06T02:00:00.000Z to 2026-12-06T03:00:00.000Z; missed: its start never came in time, nothing to turn off',
    ],
    ['window.create', {}, 'window'],
  ])('describes a %s with %j in one line', (action, details, text) => {
    expect(describeDetails(anEntry({ action, details }))).toBe(text);
  });

  it("names a window's maintenance.on by its end and its window", () => {
    const details = { ...window, retryAfterSeconds: 3600, reason: null, endsAt: '2026-12-06T03:00:00.000Z' };
    expect(describeDetails(anEntry({ actor: 'window:w1', details }))).toBe(
      'no reason; Retry-After 3600 s; until 2026-12-06T03:00:00.000Z; window w1',
    );
  });

  it('escapes what a terminal could act on in a window entry', () => {
    const details = { windowId: 'w\u001b[2J', changedBy: 'x\u202e', outcome: 'left-alone' };
    expect(describeDetails(anEntry({ action: 'window.end', details }))).toBe(
      'window "w\\u001b[2J"; left maintenance alone: taken over by "x\\u202e"',
    );
  });
});
