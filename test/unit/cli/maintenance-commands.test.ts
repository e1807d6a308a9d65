import {
  problemAnswer,
  runCli,
  startApiStub,
  statusBody,
  CLI_TOKEN as TOKEN,
  useApiStub,
} from '../../support/cli';

describe('maintenance status/on/off over HTTP', () => {
  const { api, cli } = useApiStub({ status: 200, body: JSON.stringify(statusBody()) });

  it('status sends GET /maintenance with the bearer token and prints a summary', async () => {
    const result = await cli(['status']);

    expect(result).toEqual({
      code: 0,
      stdout:
        'Maintenance is ON (BLOCK) since 2026-03-01T10:00:00.000Z by ops-laptop: Database upgrade; Retry-After 1800 s\n',
      stderr: '',
    });
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]).toMatchObject({ method: 'GET', path: '/maintenance', body: '' });
    expect(api.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('status --json prints the response body exactly', async () => {
    const raw =
      '{"enabled":false,"action":"COUNT","reason":null,"retryAfterSeconds":null,"changedAt":null,"changedBy":null}';
    api.answer = { status: 200, body: raw };

    const result = await cli(['status', '--json']);

    expect(result).toEqual({ code: 0, stdout: `${raw}\n`, stderr: '' });
  });

  it('on posts enabled, reason and retryAfterSeconds as JSON and reports the change', async () => {
    api.answer = { status: 200, body: JSON.stringify({ ...statusBody(), changed: true }) };

    const result = await cli(['on', '--reason', 'Database upgrade', '--retry-after', '1800']);

    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      'Maintenance is now ON (BLOCK) since 2026-03-01T10:00:00.000Z by ops-laptop: Database upgrade; Retry-After 1800 s\n',
    );
    const request = api.requests[0];
    expect(request).toMatchObject({ method: 'POST', path: '/maintenance' });
    expect(request?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request?.body ?? '')).toEqual({
      enabled: true,
      reason: 'Database upgrade',
      retryAfterSeconds: 1800,
    });
  });

  it('off sends only enabled when no reason is given and says when nothing changed', async () => {
    api.answer = {
      status: 200,
      body: JSON.stringify({
        ...statusBody({ enabled: false, action: 'COUNT', retryAfterSeconds: null, reason: null }),
        changed: false,
      }),
    };

    const result = await cli(['off']);

    expect(JSON.parse(api.requests[0]?.body ?? '')).toEqual({ enabled: false });
    expect(result.stdout).toBe(
      'Maintenance was already OFF (COUNT) since 2026-03-01T10:00:00.000Z by ops-laptop\n',
    );
    expect(result.code).toBe(0);
  });

  it('off --reason --json sends the reason and prints the answer as received', async () => {
    const raw = JSON.stringify({
      ...statusBody({ enabled: false, action: 'COUNT', reason: 'Done' }),
      changed: true,
    });
    api.answer = { status: 200, body: raw };

    const result = await cli(['off', '--reason', 'Done', '--json']);

    expect(JSON.parse(api.requests[0]?.body ?? '')).toEqual({ enabled: false, reason: 'Done' });
    expect(result).toEqual({ code: 0, stdout: `${raw}\n`, stderr: '' });
  });

  it('keeps a path prefix of MAINTENANCE_API_URL', async () => {
    await cli(['status'], { MAINTENANCE_API_URL: `${api.url}/prod/` });

    expect(api.requests[0]?.path).toBe('/prod/maintenance');
  });

  it('renders a problem+json refusal with its detail and every field error, exit 1', async () => {
    api.answer = problemAnswer({
      type: 'urn:waf-maintenance:problem:validation',
      title: 'Invalid request',
      status: 400,
      detail: 'The request is invalid.',
      errors: [
        { field: 'reason', message: 'Too big: expected string to have <=500 characters' },
        { field: 'retryAfterSeconds', message: 'Too big' },
      ],
    });

    const result = await cli(['on', '--reason', 'x']);

    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: [
        'maintenance: Invalid request (HTTP 400): The request is invalid.',
        '  - reason: Too big: expected string to have <=500 characters',
        '  - retryAfterSeconds: Too big',
        '',
      ].join('\n'),
    });
  });

  it('points at MAINTENANCE_TOKEN when the API answers 401', async () => {
    api.answer = problemAnswer({
      title: 'Unauthenticated',
      status: 401,
      detail: 'A valid bearer token is required.',
    });

    const result = await cli(['status']);

    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'maintenance: Unauthenticated (HTTP 401): A valid bearer token is required. Check MAINTENANCE_TOKEN.\n',
    );
  });

  it('says the token role is too low when the API answers 403', async () => {
    api.answer = problemAnswer({ title: 'Forbidden', status: 403, detail: 'Not allowed.' });

    const result = await cli(['on']);

    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'maintenance: Forbidden (HTTP 403): Not allowed. The role of MAINTENANCE_TOKEN is too low: ' +
        'an operator or admin token may turn maintenance on or off.\n',
    });
  });

  it('fails on a 200 to on/off that does not say whether anything changed', async () => {
    api.answer = { status: 200, body: JSON.stringify(statusBody()) };

    const result = await cli(['on']);

    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`Unexpected answer to POST ${api.url}/maintenance`);
  });

  it('reports a refusal that is not problem+json by its status and an excerpt of the body', async () => {
    api.answer = { status: 502, contentType: 'text/plain', body: 'upstream went away' };

    const result = await cli(['status', '--json']);

    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `maintenance: HTTP 502 Bad Gateway from GET ${api.url}/maintenance: upstream went away\n`,
    );
  });

  it('fails on a 200 whose body is not a Status', async () => {
    api.answer = { status: 200, body: '<html>captive portal</html>', contentType: 'text/html' };

    const result = await cli(['status']);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `Unexpected answer to GET ${api.url}/maintenance: <html>captive portal</html>`,
    );
  });

  it('gives up after the timeout when the API does not answer', async () => {
    api.hang = true;
    const { code, stderr } = await runCli(['status'], {
      env: { MAINTENANCE_API_URL: api.url, MAINTENANCE_TOKEN: TOKEN },
      timeoutMs: 100,
    });

    expect(code).toBe(1);
    expect(stderr).toBe(`maintenance: No answer to GET ${api.url}/maintenance within 0.1 s.\n`);
  });

  it('says when the API cannot be reached', async () => {
    const closed = await startApiStub();
    await closed.close();

    const result = await cli(['status'], { MAINTENANCE_API_URL: closed.url });

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^maintenance: Could not reach GET http:\/\/127\.0\.0\.1:\d+\/maintenance: .*ECONNREFUSED/,
    );
  });

  it.each([
    [{ MAINTENANCE_API_URL: undefined }, 'MAINTENANCE_API_URL must be set'],
    [{ MAINTENANCE_TOKEN: '' }, 'MAINTENANCE_TOKEN must be set'],
    [
      { MAINTENANCE_API_URL: '', MAINTENANCE_TOKEN: undefined },
      'MAINTENANCE_API_URL and MAINTENANCE_TOKEN must be set',
    ],
    [{ MAINTENANCE_API_URL: 'not a url' }, 'MAINTENANCE_API_URL is not a valid URL: not a url'],
  ])('fails with exit 1 and sends nothing when the environment is %j', async (env, message) => {
    const result = await cli(['on'], env);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(message);
    expect(api.requests).toHaveLength(0);
  });

  it('refuses a bad --retry-after with exit 2 before calling the API', async () => {
    const result = await cli(['on', '--retry-after', 'soon']);

    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      "maintenance: --retry-after must be a whole number of seconds from 1 to 86400.\nRun 'maintenance --help' for usage.\n",
    );
    expect(api.requests).toHaveLength(0);
  });
});
