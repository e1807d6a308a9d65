import { parseCommand } from '../../../src/cli/args';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../../../src/cli/run';
import { describeWindow, windowLines } from '../../../src/cli/window-commands';
import { CLI_TOKEN, problemAnswer, runCli, statusBody, useApiStub } from '../../support/cli';
import { FakeClock } from '../../support/fakes';
import { aWindow } from '../../support/window-fakes';
import { usageMessage } from './usage-message';

const ID = '1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed';
const START = '2026-12-06T02:00:00Z';
const END = '2026-12-06T03:00:00Z';
const USAGE_HINT = "\nRun 'maintenance --help' for usage.\n";

describe('parseCommand for windows', () => {
  it('reads schedule with its moments as typed, and its reason and Retry-After by the domain rules', () => {
    expect(parseCommand(['schedule', '--start', START, '--end', END])).toEqual({
      kind: 'schedule',
      json: false,
      startsAt: START,
      endsAt: END,
    });
    expect(
      parseCommand([
        'schedule',
        '--start=2026-12-06T03:00:00+01:00',
        `--end=${END}`,
        '--reason',
        'Database upgrade',
        '--retry-after',
        '600',
        '--json',
      ]),
    ).toEqual({
      kind: 'schedule',
      json: true,
      startsAt: '2026-12-06T03:00:00+01:00',
      endsAt: END,
      reason: 'Database upgrade',
      retryAfterSeconds: 600,
    });
  });

  it('reads windows and cancel ID', () => {
    expect(parseCommand(['windows', '--json'])).toEqual({ kind: 'windows', json: true });
    expect(parseCommand(['cancel', ID])).toEqual({ kind: 'cancel', json: false, id: ID });
  });

  it('reads on --until as typed and on --for as seconds from when it is sent', () => {
    expect(parseCommand(['on', '--until', END])).toEqual({
      kind: 'set',
      json: false,
      enabled: true,
      ends: { at: END },
    });
    expect(parseCommand(['on', '--for', '1h30m', '--reason', 'Deploy'])).toEqual({
      kind: 'set',
      json: false,
      enabled: true,
      reason: 'Deploy',
      ends: { inSeconds: 5_400 },
    });
  });

  it.each([
    [['schedule', '--end', END], "'schedule' needs --start."],
    [['schedule', '--start', START], "'schedule' needs --end."],
    [
      ['schedule', '--start', '2026-12-06T02:00:00', '--end', END],
      '--start must be an RFC 3339 date and time with an offset, like 2026-12-01T22:00:00Z.',
    ],
    [
      ['schedule', '--start', START, '--end', '2026-12-06 03:00'],
      '--end must be an RFC 3339 date and time with an offset, like 2026-12-01T22:00:00Z.',
    ],
    [
      ['schedule', '--start', START, '--end', END, '--retry-after', '0'],
      '--retry-after must be a whole number',
    ],
    [['schedule', '--start', START, '--end', END, '--for', '1h'], "'schedule' does not take --for."],
    [['windows', 'all'], "Unexpected argument 'all' for 'windows'."],
    [['cancel'], "'cancel' needs a window ID."],
    [['cancel', ID, ID], `Unexpected argument '${ID}' for 'cancel'.`],
    [['cancel', ''], "ID must be a window's id, as 'maintenance windows' lists it."],
    [['on', '--until', END, '--for', '1h'], "'on' takes --until or --for, not both."],
    [['on', '--for', '45'], '--for must be a duration like 45m, 2h or 1h30m, from 1s to 7d.'],
    [['on', '--for', '8d'], '--for must be a duration like 45m, 2h or 1h30m, from 1s to 7d.'],
    [['on', '--for', '0m'], '--for must be a duration like 45m, 2h or 1h30m, from 1s to 7d.'],
    [['on', '--until', 'tomorrow'], '--until must be an RFC 3339 date and time with an offset'],
    [['off', '--until', END], "'off' does not take --until."],
    [['off', '--for', '1h'], "'off' does not take --for."],
  ])('refuses %j: %s', (argv, message) => {
    expect(usageMessage(argv)).toContain(message);
  });
});

describe('maintenance schedule, windows and cancel over HTTP', () => {
  const { api, cli } = useApiStub({ status: 201, body: JSON.stringify(aWindow()) });

  it('schedule posts the window as typed and prints it in one line', async () => {
    const result = await cli(['schedule', '--start', START, '--end', END, '--reason', 'Database upgrade']);

    expect(result).toEqual({
      code: EXIT_OK,
      stdout: `Scheduled window ${ID}: 2026-12-06T02:00:00.000Z to 2026-12-06T03:00:00.000Z (1h); reason "Database upgrade"\n`,
      stderr: '',
    });
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]).toMatchObject({ method: 'POST', path: '/maintenance/windows' });
    expect(api.requests[0]?.headers.authorization).toBe(`Bearer ${CLI_TOKEN}`);
    expect(JSON.parse(api.requests[0]?.body ?? '')).toEqual({
      startsAt: START,
      endsAt: END,
      reason: 'Database upgrade',
    });
  });

  it('schedule sends the Retry-After and prints the answer exactly with --json', async () => {
    const raw = JSON.stringify(aWindow({ retryAfterSeconds: 600 }));
    api.answer = { status: 201, body: raw };

    const result = await cli(['schedule', '--start', START, '--end', END, '--retry-after', '600', '--json']);

    expect(result).toEqual({ code: EXIT_OK, stdout: `${raw}\n`, stderr: '' });
    expect(JSON.parse(api.requests[0]?.body ?? '')).toEqual({
      startsAt: START,
      endsAt: END,
      retryAfterSeconds: 600,
    });
  });

  it("shows the API's refusal of an overlapping window, exit 1", async () => {
    const detail = `The window overlaps window ${ID} (2026-12-06T02:00:00.000Z to 2026-12-06T03:00:00.000Z, scheduled); nothing was scheduled.`;
    api.answer = problemAnswer({ title: 'Conflict', status: 409, detail });

    expect(await cli(['schedule', '--start', START, '--end', END])).toEqual({
      code: EXIT_FAILURE,
      stdout: '',
      stderr: `maintenance: Conflict (HTTP 409): ${detail}\n`,
    });
  });

  it('sends nothing for a moment without an offset, exit 2', async () => {
    expect(await cli(['schedule', '--start', '2026-12-06T02:00', '--end', END])).toEqual({
      code: EXIT_USAGE,
      stdout: '',
      stderr: `maintenance: --start must be an RFC 3339 date and time with an offset, like 2026-12-01T22:00:00Z.${USAGE_HINT}`,
    });
    expect(api.requests).toEqual([]);
  });

  it('windows prints a table of the windows, by start as the API lists them', async () => {
    const active = aWindow({
      id: '0c2f8e4a-1111-4222-8333-444455556666',
      startsAt: '2026-11-23T09:30:00.000Z',
      endsAt: '2026-11-23T10:15:00.000Z',
      state: 'active',
      reason: null,
    });
    api.answer = { status: 200, body: JSON.stringify({ windows: [active, aWindow()] }) };

    expect(await cli(['windows'])).toEqual({
      code: EXIT_OK,
      stdout: [
        'ID                                    STARTS                    ENDS                      STATE      REASON',
        '0c2f8e4a-1111-4222-8333-444455556666  2026-11-23T09:30:00.000Z  2026-11-23T10:15:00.000Z  active     -',
        `${ID}  2026-12-06T02:00:00.000Z  2026-12-06T03:00:00.000Z  scheduled  Database upgrade`,
        '',
      ].join('\n'),
      stderr: '',
    });
    expect(api.requests[0]).toMatchObject({ method: 'GET', path: '/maintenance/windows', body: '' });
  });

  it('windows says so when there are none, and --json prints the answer exactly', async () => {
    api.answer = { status: 200, body: '{"windows":[]}' };

    expect(await cli(['windows'])).toEqual({
      code: EXIT_OK,
      stdout: 'No scheduled or active windows.\n',
      stderr: '',
    });
    expect(await cli(['windows', '--json'])).toEqual({
      code: EXIT_OK,
      stdout: '{"windows":[]}\n',
      stderr: '',
    });
  });

  it('cancel sends DELETE to the window, its id percent-encoded, and prints the cancelled window', async () => {
    api.answer = { status: 200, body: JSON.stringify(aWindow({ state: 'cancelled' })) };

    expect(await cli(['cancel', ID])).toEqual({
      code: EXIT_OK,
      stdout: `Cancelled window ${ID}: 2026-12-06T02:00:00.000Z to 2026-12-06T03:00:00.000Z (1h); reason "Database upgrade"\n`,
      stderr: '',
    });
    expect(api.requests[0]).toMatchObject({ method: 'DELETE', path: `/maintenance/windows/${ID}`, body: '' });

    await cli(['cancel', 'a/b c']);
    expect(api.requests[1]?.path).toBe('/maintenance/windows/a%2Fb%20c');
  });

  it("shows the API's 404 for an unknown id, exit 1", async () => {
    const detail = 'No scheduled or active window has the id "nope".';
    api.answer = problemAnswer({ title: 'Not found', status: 404, detail });

    expect(await cli(['cancel', 'nope'])).toEqual({
      code: EXIT_FAILURE,
      stdout: '',
      stderr: `maintenance: Not found (HTTP 404): ${detail}\n`,
    });
  });

  it('says which role may cancel when the API answers 403', async () => {
    api.answer = problemAnswer({ title: 'Forbidden', status: 403, detail: 'Not allowed.' });

    expect((await cli(['cancel', ID])).stderr).toBe(
      'maintenance: Forbidden (HTTP 403): Not allowed. The role of MAINTENANCE_TOKEN is too low: ' +
        'an operator or admin token may cancel a maintenance window.\n',
    );
  });

  it('refuses a 200 that is not a window, exit 1', async () => {
    api.answer = { status: 200, body: '{"id":"w1"}' };

    const result = await cli(['cancel', ID]);

    expect(result.code).toBe(EXIT_FAILURE);
    expect(result.stderr).toMatch(
      /^maintenance: Unexpected answer to DELETE http:\/\/127\.0\.0\.1:\d+\/maintenance\/windows\//,
    );
  });
});

describe('maintenance on --until/--for and the status of a window', () => {
  const ends = '2026-11-23T10:45:00.000Z';
  const answer = { ...statusBody({ changedBy: 'ops-laptop', endsAt: ends }), changed: true };
  const { api } = useApiStub({ status: 200, body: JSON.stringify(answer) });
  const clock = new FakeClock(Date.parse('2026-11-23T10:00:00.000Z'));
  const cli = (argv: string[]) =>
    runCli(argv, {
      env: { MAINTENANCE_API_URL: api.url, MAINTENANCE_TOKEN: CLI_TOKEN },
      timeoutMs: 2_000,
      clock,
    });

  it('on --for sends endsAt as now plus the duration, and says when it ends', async () => {
    const result = await cli(['on', '--for', '45m', '--reason', 'Database upgrade']);

    expect(JSON.parse(api.requests[0]?.body ?? '')).toEqual({
      enabled: true,
      reason: 'Database upgrade',
      endsAt: ends,
    });
    expect(result.code).toBe(EXIT_OK);
    expect(result.stdout).toBe(
      `Maintenance is now ON (BLOCK) since 2026-03-01T10:00:00.000Z by ops-laptop: Database upgrade; Retry-After 1800 s; ends by itself at ${ends}\n`,
    );
  });

  it('on --until sends endsAt as typed', async () => {
    await cli(['on', '--until', '2026-11-23T11:45:00+01:00']);

    expect(JSON.parse(api.requests[0]?.body ?? '')).toEqual({
      enabled: true,
      endsAt: '2026-11-23T11:45:00+01:00',
    });
  });

  it('on --until and --for together is a usage error that sends nothing, exit 2', async () => {
    expect(await cli(['on', '--until', ends, '--for', '45m'])).toEqual({
      code: EXIT_USAGE,
      stdout: '',
      stderr: `maintenance: 'on' takes --until or --for, not both.${USAGE_HINT}`,
    });
    expect(api.requests).toEqual([]);
  });

  it('status shows when maintenance ends by itself, and nothing of it when null', async () => {
    api.answer = { status: 200, body: JSON.stringify(statusBody({ endsAt: ends })) };
    expect((await cli(['status'])).stdout).toBe(
      `Maintenance is ON (BLOCK) since 2026-03-01T10:00:00.000Z by ops-laptop: Database upgrade; Retry-After 1800 s; ends by itself at ${ends}\n`,
    );

    api.answer = { status: 200, body: JSON.stringify(statusBody({ endsAt: null })) };
    expect((await cli(['status'])).stdout).not.toContain('ends by itself');
  });
});

describe('what the window commands print of stored text', () => {
  it('quotes and escapes what a terminal could act on', () => {
    const window = aWindow({ id: 'w\u001b[2J', reason: 'a\u202eb' });

    expect(describeWindow(window, 'Cancelled')).toBe(
      'Cancelled window "w\\u001b[2J": 2026-12-06T02:00:00.000Z to 2026-12-06T03:00:00.000Z (1h); reason "a\\u202eb"',
    );
    expect(windowLines([window])[1]).toBe(
      '"w\\u001b[2J"  2026-12-06T02:00:00.000Z  2026-12-06T03:00:00.000Z  scheduled  "a\\u202eb"',
    );
  });
});
