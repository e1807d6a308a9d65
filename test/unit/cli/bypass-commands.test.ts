import { problemAnswer, CLI_TOKEN as TOKEN, useApiStub } from '../../support/cli';

const LIST = {
  addresses: [
    { cidr: '198.51.100.0/24', version: 4 },
    { cidr: '2001:db8::/32', version: 6 },
  ],
  count: 2,
  limit: 10000,
};

function changeBody(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({ added: [], removed: [], unchanged: [], count: 0, warnings: [], ...overrides });
}

/** A problem+json refusal whose type is named after its title. */
function problem(status: number, title: string, detail: string, errors?: unknown[]) {
  return problemAnswer({
    type: `urn:waf-maintenance:problem:${title.toLowerCase()}`,
    title,
    status,
    detail,
    ...(errors ? { errors } : {}),
  });
}

describe('maintenance bypass over HTTP', () => {
  const { api, cli } = useApiStub({ status: 200, body: JSON.stringify(LIST) });

  describe('list', () => {
    it('sends GET /maintenance/bypass with the bearer token and no body', async () => {
      await cli(['bypass', 'list']);

      expect(api.requests).toHaveLength(1);
      expect(api.requests[0]).toMatchObject({ method: 'GET', path: '/maintenance/bypass', body: '' });
      expect(api.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(api.requests[0]?.headers['content-type']).toBeUndefined();
    });

    it('prints one CIDR a line on stdout, in the server order, and the summary on stderr', async () => {
      expect(await cli(['bypass', 'list'])).toEqual({
        code: 0,
        stdout: '198.51.100.0/24\n2001:db8::/32\n',
        stderr: '2 addresses bypass maintenance (IPv4: 1 of 10000, IPv6: 1 of 10000)\n',
      });
    });

    it('prints nothing on stdout for an empty set', async () => {
      api.answer = { status: 200, body: JSON.stringify({ addresses: [], count: 0, limit: 10000 }) };

      expect(await cli(['bypass', 'list'])).toEqual({
        code: 0,
        stdout: '',
        stderr: '0 addresses bypass maintenance (IPv4: 0 of 10000, IPv6: 0 of 10000)\n',
      });
    });

    it('--json prints the response body exactly and nothing on stderr', async () => {
      const raw = '{"addresses":[{"cidr":"2001:db8::/32","version":6}],"count":1,"limit":10000}';
      api.answer = { status: 200, body: raw };

      expect(await cli(['bypass', 'list', '--json'])).toEqual({ code: 0, stdout: `${raw}\n`, stderr: '' });
    });

    it('keeps a path prefix of MAINTENANCE_API_URL', async () => {
      await cli(['bypass', 'list'], { MAINTENANCE_API_URL: `${api.url}/prod` });

      expect(api.requests[0]?.path).toBe('/prod/maintenance/bypass');
    });

    it('fails on a 200 whose body is not a bypass listing', async () => {
      api.answer = { status: 200, body: JSON.stringify({ enabled: true, action: 'BLOCK' }) };

      const result = await cli(['bypass', 'list']);

      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(
        `maintenance: Unexpected answer to GET ${api.url}/maintenance/bypass: {"enabled":true,"action":"BLOCK"}\n`,
      );
    });
  });

  describe('add and remove', () => {
    it('add posts {"add": [...]} with every address exactly as typed, unvalidated', async () => {
      api.answer = { status: 200, body: changeBody({ added: ['198.51.100.0/24'], count: 1 }) };

      await cli(['bypass', 'add', '198.51.100.77/24', 'not-an-address', '2001:DB8::1']);

      expect(api.requests).toHaveLength(1);
      const request = api.requests[0];
      expect(request).toMatchObject({ method: 'POST', path: '/maintenance/bypass' });
      expect(request?.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(request?.headers['content-type']).toBe('application/json');
      expect(JSON.parse(request?.body ?? '')).toEqual({
        add: ['198.51.100.77/24', 'not-an-address', '2001:DB8::1'],
      });
    });

    it('remove posts {"remove": [...]} and nothing else', async () => {
      api.answer = { status: 200, body: changeBody({ removed: ['2001:db8::/32'], count: 1 }) };

      await cli(['bypass', 'remove', '2001:db8::/32']);

      expect(api.requests[0]).toMatchObject({ method: 'POST', path: '/maintenance/bypass' });
      expect(JSON.parse(api.requests[0]?.body ?? '')).toEqual({ remove: ['2001:db8::/32'] });
    });

    it('add says which canonical address each typed one became, then the new count', async () => {
      api.answer = {
        status: 200,
        body: changeBody({ added: ['198.51.100.0/24'], unchanged: ['203.0.113.5/32'], count: 3 }),
      };

      expect(await cli(['bypass', 'add', '198.51.100.77/24', '203.0.113.5/32'])).toEqual({
        code: 0,
        stdout: [
          'added 198.51.100.0/24 (from 198.51.100.77/24)',
          'unchanged 203.0.113.5/32: already in the bypass set',
          'The bypass set now holds 3 addresses.',
          '',
        ].join('\n'),
        stderr: '',
      });
    });

    it('remove reports removed and absent addresses', async () => {
      api.answer = {
        status: 200,
        body: changeBody({ removed: ['10.0.0.0/8'], unchanged: ['2001:db8::1/128'], count: 1 }),
      };

      const result = await cli(['bypass', 'remove', '10.0.0.0/8', '2001:DB8::1']);

      expect(result.code).toBe(0);
      expect(result.stdout).toBe(
        [
          'removed 10.0.0.0/8',
          'unchanged 2001:db8::1/128 (from 2001:DB8::1): not in the bypass set',
          'The bypass set now holds 1 address.',
          '',
        ].join('\n'),
      );
    });

    it('--json prints the change exactly as received, warnings included, and nothing on stderr', async () => {
      const raw = changeBody({
        added: ['198.51.100.0/24', '10.1.2.3/32'],
        count: 2,
        warnings: [
          { field: 'add[1]', cidr: '10.1.2.3/32', range: 'private', message: 'lies in a private range' },
        ],
      });
      api.answer = { status: 200, body: raw };

      expect(await cli(['bypass', 'add', '198.51.100.77/24', '10.1.2.3', '--json'])).toEqual({
        code: 0,
        stdout: `${raw}\n`,
        stderr: '',
      });
    });

    it('prints each warning on stderr, naming the position and what was typed, and leaves stdout as it is', async () => {
      const never =
        "CloudFront only ever sees a visitor's public address, so behind CloudFront this entry never matches";
      api.answer = {
        status: 200,
        body: changeBody({
          added: ['198.51.100.0/24', '10.1.2.3/32', 'fd12:3456::/48'],
          count: 3,
          warnings: [
            {
              field: 'add[1]',
              cidr: '10.1.2.3/32',
              range: 'private',
              message: `lies in a private range (RFC 1918); ${never}`,
            },
            {
              field: 'add[2]',
              cidr: 'fd12:3456::/48',
              range: 'unique-local',
              message: `lies in the unique-local range (fc00::/7, RFC 4193); ${never}`,
            },
          ],
        }),
      };

      expect(await cli(['bypass', 'add', '198.51.100.0/24', '10.1.2.3', 'fd12:3456::/48'])).toEqual({
        code: 0,
        stdout: [
          'added 198.51.100.0/24',
          'added 10.1.2.3/32 (from 10.1.2.3)',
          'added fd12:3456::/48',
          'The bypass set now holds 3 addresses.',
          '',
        ].join('\n'),
        stderr: [
          `maintenance: warning: add[1] 10.1.2.3/32 (from 10.1.2.3) lies in a private range (RFC 1918); ${never}.`,
          `maintenance: warning: add[2] fd12:3456::/48 lies in the unique-local range (fc00::/7, RFC 4193); ${never}.`,
          '',
        ].join('\n'),
      });
    });

    it('reports a change from an API deployed before warnings existed, rather than fail after it was made', async () => {
      api.answer = {
        status: 200,
        body: JSON.stringify({ added: ['10.0.0.0/8'], removed: [], unchanged: [], count: 1 }),
      };

      expect(await cli(['bypass', 'add', '10.0.0.0/8'])).toEqual({
        code: 0,
        stdout: 'added 10.0.0.0/8\nThe bypass set now holds 1 address.\n',
        stderr: '',
      });
    });

    it('fails on a 200 whose warnings are not warnings', async () => {
      api.answer = {
        status: 200,
        body: changeBody({ added: ['10.0.0.0/8'], count: 1, warnings: ['private'] }),
      };

      const result = await cli(['bypass', 'add', '10.0.0.0/8']);

      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`Unexpected answer to POST ${api.url}/maintenance/bypass`);
    });

    it('fails on a 200 whose body is not a bypass change', async () => {
      api.answer = { status: 200, body: JSON.stringify(LIST) };

      const result = await cli(['bypass', 'add', '10.0.0.0/8']);

      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(`Unexpected answer to POST ${api.url}/maintenance/bypass`);
    });

    it('prints every invalid entry of a 400 with the address typed at that position, exit 1', async () => {
      api.answer = problem(400, 'Invalid request', 'The request is invalid.', [
        { field: 'add[1]', message: 'not an IPv4 or IPv6 address' },
        { field: 'add[2]', message: '/0 would bypass maintenance for everyone' },
      ]);

      const result = await cli(['bypass', 'add', '10.0.0.0/8', '999.1.1.1', '0.0.0.0/0']);

      expect(result).toEqual({
        code: 1,
        stdout: '',
        stderr: [
          'maintenance: Invalid request (HTTP 400): The request is invalid.',
          '  - add[1] "999.1.1.1": not an IPv4 or IPv6 address',
          '  - add[2] "0.0.0.0/0": /0 would bypass maintenance for everyone',
          '',
        ].join('\n'),
      });
    });

    it('keeps field names it cannot tie to a typed address as the API sent them', async () => {
      api.answer = problem(400, 'Invalid request', 'The request is invalid.', [
        { field: 'add', message: 'the IPv4 set would hold 10001 addresses; the limit is 10000' },
        { field: 'remove[5]', message: 'out of range' },
      ]);

      const result = await cli(['bypass', 'remove', '10.0.0.0/8']);

      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        [
          'maintenance: Invalid request (HTTP 400): The request is invalid.',
          '  - add: the IPv4 set would hold 10001 addresses; the limit is 10000',
          '  - remove[5]: out of range',
          '',
        ].join('\n'),
      );
    });

    it('says the token role is too low when the API answers 403, exit 1', async () => {
      api.answer = problem(403, 'Forbidden', 'Token "ci" has role operator; this needs admin.');

      const result = await cli(['bypass', 'add', '198.51.100.0/24']);

      expect(result).toEqual({
        code: 1,
        stdout: '',
        stderr:
          'maintenance: Forbidden (HTTP 403): Token "ci" has role operator; this needs admin. ' +
          'The role of MAINTENANCE_TOKEN is too low: only an admin token may change the bypass set.\n',
      });
    });

    it('says the token role is too low even when a 403 is not problem+json', async () => {
      api.answer = { status: 403, contentType: 'application/json', body: '{"message":"Forbidden"}' };

      const result = await cli(['bypass', 'remove', '198.51.100.0/24', '--json']);

      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(
        `maintenance: HTTP 403 Forbidden from POST ${api.url}/maintenance/bypass: {"message":"Forbidden"} ` +
          'The role of MAINTENANCE_TOKEN is too low: only an admin token may change the bypass set.\n',
      );
    });

    it('fails with exit 1 and sends nothing without MAINTENANCE_TOKEN', async () => {
      const result = await cli(['bypass', 'add', '10.0.0.0/8'], { MAINTENANCE_TOKEN: undefined });

      expect(result.code).toBe(1);
      expect(result.stderr).toContain('MAINTENANCE_TOKEN must be set');
      expect(api.requests).toHaveLength(0);
    });
  });

  it.each([
    [['bypass'], "'bypass' needs list, add or remove."],
    [['bypass', 'add'], "'bypass add' needs at least one CIDR."],
    [['bypass', 'remove', '--json'], "'bypass remove' needs at least one CIDR."],
    [['bypass', 'frobnicate'], "Unknown command 'bypass frobnicate'."],
    [['bypass', 'list', '--bogus'], "Unknown option '--bogus'"],
    [['bypass', 'list', '10.0.0.0/8'], "Unexpected argument '10.0.0.0/8' for 'bypass list'."],
    [['bypass', 'add', '10.0.0.0/8', '--reason', 'x'], "'bypass add' does not take --reason."],
  ])('exits 2 for %j without calling the API: %s', async (argv, message) => {
    const result = await cli(argv);

    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`maintenance: ${message}`);
    expect(result.stderr).toMatch(/\nRun 'maintenance --help' for usage\.\n$/);
    expect(api.requests).toHaveLength(0);
  });
});
