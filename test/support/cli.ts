import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Output } from '../../src/cli/io';
import { type RunDeps, run } from '../../src/cli/run';
import { aStatus } from './fakes';

/** An Output that keeps what was written, for asserting on stdout and stderr without spawning. */
export function collector(): Output & { text: () => string } {
  const chunks: string[] = [];
  return { write: (chunk: string) => chunks.push(chunk), text: () => chunks.join('') };
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface StubAnswer {
  status: number;
  body: string;
  contentType?: string;
}

/**
 * A real HTTP server on 127.0.0.1 standing in for the API: it records every request and answers with
 * whatever the test set in `answer` (or never answers, when `hang` is true).
 */
export interface ApiStub {
  url: string;
  requests: RecordedRequest[];
  answer: StubAnswer;
  hang: boolean;
  close(): Promise<void>;
}

/** A stub not yet listening: `listen` binds it to a free port on 127.0.0.1 and sets its `url`. */
function apiStub(): { stub: ApiStub; listen: () => Promise<void> } {
  const stub: ApiStub = {
    url: '',
    requests: [],
    answer: { status: 200, body: '{}' },
    hang: false,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      stub.requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      if (stub.hang) return;
      res.writeHead(stub.answer.status, {
        'content-type': stub.answer.contentType ?? 'application/json',
        'cache-control': 'no-store',
      });
      res.end(stub.answer.body);
    });
  });
  const listen = async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    stub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
  return { stub, listen };
}

export async function startApiStub(): Promise<ApiStub> {
  const { stub, listen } = apiStub();
  await listen();
  return stub;
}

/** The bearer token the CLI sends the stub in these tests: well-formed, held by nobody. */
export const CLI_TOKEN = `wmt_${'A'.repeat(43)}`;

/**
 * One ApiStub for the enclosing `describe`: listening before its first test and closed after its last;
 * before each test it forgets the requests, answers again (no `hang`) and, given `answer`, answers that.
 * `cli` runs one `maintenance` invocation against it with CLI_TOKEN.
 *
 * @example
 * const { api, cli } = useApiStub({ status: 200, body: JSON.stringify(statusBody()) });
 * it('says it is on', async () => expect((await cli(['status'])).stdout).toMatch(/ON/));
 */
export function useApiStub(answer?: StubAnswer) {
  const { stub: api, listen } = apiStub();
  beforeAll(listen);
  afterAll(() => api.close());
  beforeEach(() => {
    api.requests = [];
    api.hang = false;
    if (answer) api.answer = { ...answer };
  });
  const cli = (argv: string[], env: Record<string, string | undefined> = {}) =>
    runCli(argv, {
      env: { MAINTENANCE_API_URL: api.url, MAINTENANCE_TOKEN: CLI_TOKEN, ...env },
      timeoutMs: 2_000,
    });
  return { api, cli };
}

/** A refusal as the API sends it: `problem` as problem+json (RFC 9457), under the status it names. */
export function problemAnswer(problem: {
  type?: string;
  title: string;
  status: number;
  detail: string;
  errors?: unknown[];
}): StubAnswer {
  return { status: problem.status, contentType: 'application/problem+json', body: JSON.stringify(problem) };
}

/**
 * A Status as the API answers it, set by `ops-laptop`, with overrides. It leaves out the link's fields
 * (`bypassLink`, `siteUrl`), as an API from before the bypass link answers; tests that need them add them.
 */
export function statusBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const { bypassLink: _link, siteUrl: _site, ...status } = aStatus({ changedBy: 'ops-laptop' });
  return { ...status, ...overrides };
}

/**
 * Runs one `maintenance` invocation in-process with captured stdout and stderr.
 *
 * @example
 * const { code, stdout } = await runCli(['status'], { env: { MAINTENANCE_API_URL: url, MAINTENANCE_TOKEN: t } });
 */
export async function runCli(
  argv: string[],
  deps: Omit<RunDeps, 'stdout' | 'stderr'>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = collector();
  const stderr = collector();
  const code = await run(argv, { ...deps, stdout, stderr });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}
