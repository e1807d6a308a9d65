import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Output } from '../../src/cli/io';
import { type RunDeps, run } from '../../src/cli/run';

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

export async function startApiStub(): Promise<ApiStub> {
  let server: Server | undefined;
  const stub: ApiStub = {
    url: '',
    requests: [],
    answer: { status: 200, body: '{}' },
    hang: false,
    close: () =>
      new Promise<void>((resolve) => {
        server?.closeAllConnections();
        server?.close(() => resolve());
      }),
  };
  server = createServer((req, res) => {
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
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  stub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return stub;
}

/** A Status as the API answers it, with overrides. */
export function statusBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    enabled: true,
    action: 'BLOCK',
    reason: 'Database upgrade',
    retryAfterSeconds: 1800,
    changedAt: '2026-03-01T10:00:00.000Z',
    changedBy: 'ops-laptop',
    ...overrides,
  };
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
