import { parseCommand } from '../../../src/cli/args';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../../../src/cli/run';
import type { Role } from '../../../src/domain/roles';
import { MAX_EXEMPTIONS } from '../../../src/domain/values';
import { runCli } from '../../support/cli';
import { exemptionDeps, exemptionsFetch, type Served, TOKENS } from '../../support/exemptions';

const API_URL = 'https://api.example.com';

describe('parseCommand for exempt', () => {
  it('reads exempt list with and without --json', () => {
    expect(parseCommand(['exempt', 'list'])).toEqual({ kind: 'exempt-list', json: false });
    expect(parseCommand(['exempt', 'list', '--json'])).toEqual({ kind: 'exempt-list', json: true });
  });

  it('passes the paths of exempt add and remove through exactly as typed, in order', () => {
    expect(parseCommand(['exempt', 'add', '/health', '/api/webhooks/*', 'no-slash', '/'])).toEqual({
      kind: 'exempt-change',
      json: false,
      operation: 'add',
      paths: ['/health', '/api/webhooks/*', 'no-slash', '/'],
    });
    expect(parseCommand(['--json', 'exempt', 'remove', '/health'])).toEqual({
      kind: 'exempt-change',
      json: true,
      operation: 'remove',
      paths: ['/health'],
    });
  });
});

/** The CLI against the exemption handlers themselves, in-process, over a fake rule group. */
describe('maintenance exempt, against the handlers', () => {
  let deps: ReturnType<typeof exemptionDeps>;
  let served: Served[];
  let fetch: typeof globalThis.fetch;

  beforeEach(() => {
    deps = exemptionDeps();
    ({ fetch, served } = exemptionsFetch(deps));
    jest.spyOn(console, 'info').mockImplementation(() => undefined);
  });

  afterEach(() => jest.restoreAllMocks());

  const cli = (argv: string[], role: Role | 'none' = 'admin') =>
    runCli(argv, {
      env: { MAINTENANCE_API_URL: API_URL, ...(role === 'none' ? {} : { MAINTENANCE_TOKEN: TOKENS[role] }) },
      fetch,
    });
  const exempt = () => deps.ruleGroup.state.exemptions.map((e) => e.path);

  describe('list', () => {
    it('prints nothing on stdout and the summary on stderr when no path is exempt', async () => {
      expect(await cli(['exempt', 'list'], 'operator')).toEqual({
        code: EXIT_OK,
        stdout: '',
        stderr: `0 paths are exempt from maintenance (limit ${MAX_EXEMPTIONS})\n`,
      });
      expect(served).toEqual([
        expect.objectContaining({ method: 'GET', path: '/maintenance/exemptions', body: undefined }),
      ]);
    });

    it('prints one path a line on stdout, in the order they were added, and the summary on stderr', async () => {
      await cli(['exempt', 'add', '/health', '/api/webhooks/*']);

      expect(await cli(['exempt', 'list'], 'operator')).toEqual({
        code: EXIT_OK,
        stdout: '/health\n/api/webhooks/*\n',
        stderr: `2 paths are exempt from maintenance (limit ${MAX_EXEMPTIONS})\n`,
      });
    });

    it('--json prints the answer exactly as received and nothing on stderr', async () => {
      await cli(['exempt', 'add', '/health']);

      expect(await cli(['exempt', 'list', '--json'], 'operator')).toEqual({
        code: EXIT_OK,
        stdout: `{"paths":["/health"],"count":1,"limit":${MAX_EXEMPTIONS}}\n`,
        stderr: '',
      });
    });
  });

  describe('add and remove', () => {
    it('add sends every path exactly as typed and says what became of each, then how many are exempt', async () => {
      expect(await cli(['exempt', 'add', '/health', '/api/webhooks/*'])).toEqual({
        code: EXIT_OK,
        stdout: 'added /health\nadded /api/webhooks/*\n2 paths are now exempt from maintenance.\n',
        stderr: '',
      });
      expect(served.map((request) => JSON.parse(request.body ?? ''))).toEqual([
        { add: ['/health', '/api/webhooks/*'] },
      ]);
      expect(exempt()).toEqual(['/health', '/api/webhooks/*']);
    });

    it('add names the paths that were already exempt', async () => {
      await cli(['exempt', 'add', '/health']);

      expect((await cli(['exempt', 'add', '/status', '/health'])).stdout).toBe(
        'added /status\nunchanged /health: already exempt\n2 paths are now exempt from maintenance.\n',
      );
    });

    it('remove reports removed paths and those that were not exempt', async () => {
      await cli(['exempt', 'add', '/health', '/status']);

      expect(await cli(['exempt', 'remove', '/status', '/never'])).toEqual({
        code: EXIT_OK,
        stdout: 'removed /status\nunchanged /never: not exempt\n1 path is now exempt from maintenance.\n',
        stderr: '',
      });
      expect(JSON.parse(served.at(-1)?.body ?? '')).toEqual({ remove: ['/status', '/never'] });
      expect(exempt()).toEqual(['/health']);
    });

    it('--json prints the change exactly as received and nothing on stderr', async () => {
      expect(await cli(['exempt', 'add', '/health', '--json'])).toEqual({
        code: EXIT_OK,
        stdout: '{"added":["/health"],"removed":[],"unchanged":[],"count":1}\n',
        stderr: '',
      });
    });

    it('prints each path the API refused with what was typed at its position, changes nothing, exit 1', async () => {
      expect(await cli(['exempt', 'add', '/health', '/api/webhooks/*', '/'])).toEqual({
        code: EXIT_FAILURE,
        stdout: '',
        stderr: [
          'maintenance: Invalid request (HTTP 400): The request is invalid.',
          '  - add[2] "/": would exempt the whole site',
          '',
        ].join('\n'),
      });
      expect(deps.ruleGroup.writes).toEqual([]);
    });

    it(`says the limit in the API's words when there would be ${MAX_EXEMPTIONS + 1} paths, exit 1`, async () => {
      const paths = Array.from({ length: MAX_EXEMPTIONS + 1 }, (_, i) => `/p${i}`);

      const result = await cli(['exempt', 'add', ...paths, '--json']);

      expect(result).toEqual({
        code: EXIT_FAILURE,
        stdout: '',
        stderr: expect.stringContaining(
          `\n  - add[20] "/p20": there would be ${MAX_EXEMPTIONS + 1} exempt paths; the limit is ${MAX_EXEMPTIONS}\n`,
        ),
      });
      expect(exempt()).toEqual([]);
    });

    it('says the token role is too low when an operator tries, exit 1', async () => {
      expect(await cli(['exempt', 'remove', '/health'], 'operator')).toEqual({
        code: EXIT_FAILURE,
        stdout: '',
        stderr:
          'maintenance: Forbidden (HTTP 403): Token "operator-bot" has role operator; this needs admin. ' +
          'The role of MAINTENANCE_TOKEN is too low: only an admin token may change the exempt paths.\n',
      });
    });

    it('fails with exit 1 and sends nothing without MAINTENANCE_TOKEN', async () => {
      const result = await cli(['exempt', 'add', '/health'], 'none');

      expect(result.code).toBe(EXIT_FAILURE);
      expect(result.stderr).toContain('MAINTENANCE_TOKEN must be set');
      expect(served).toEqual([]);
    });
  });

  it.each([
    [['exempt'], "'exempt' needs list, add or remove."],
    [['exempt', 'add'], "'exempt add' needs at least one PATH."],
    [['exempt', 'remove', '--json'], "'exempt remove' needs at least one PATH."],
    [['exempt', 'frobnicate'], "Unknown command 'exempt frobnicate'."],
    [['exempt', 'list', '/health'], "Unexpected argument '/health' for 'exempt list'."],
    [['exempt', 'add', '/health', '--reason', 'x'], "'exempt add' does not take --reason."],
  ])('exits 2 for %j without calling the API: %s', async (argv, message) => {
    expect(await cli(argv)).toEqual({
      code: EXIT_USAGE,
      stdout: '',
      stderr: `maintenance: ${message}\nRun 'maintenance --help' for usage.\n`,
    });
    expect(served).toEqual([]);
  });
});
