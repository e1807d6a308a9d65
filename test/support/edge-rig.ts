import { createServer, type IncomingHttpHeaders, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { awsDeps } from '../../handlers/lib/aws-deps';
import { windowDeps } from '../../handlers/lib/window-deps';
import { createHandler as createSet } from '../../handlers/set-maintenance';
import { createHandler as createUpdateBypass } from '../../handlers/update-bypass';
import { type RunningEdge, startEdgeServer } from '../../scripts/local/edge/edge-server';
import type { ProvisionedStack } from '../../scripts/local/provision';
import { mintToken } from '../../src/use-cases/mint-token';
import { invoke, jsonPost } from './events';
import { handlerEnv, provisionTestStack } from './stack';

/**
 * A visitor's whole path for integration tests: a stack provisioned in moto, the real handlers that change it,
 * an origin of the test's own that records what reaches it, and the local edge in front of that origin.
 */

export interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export type OriginAnswer = (seen: Seen) => { status: number; headers: Record<string, string>; body: string };

export interface RecordingOrigin {
  url: string;
  seen: Seen[];
  server: Server;
}

/** An origin on 127.0.0.1 that records every request it is asked and answers with `answer`. */
export async function startRecordingOrigin(answer: OriginAnswer): Promise<RecordingOrigin> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const asked = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      seen.push(asked);
      const reply = answer(asked);
      res.writeHead(reply.status, { ...reply.headers, connection: 'close' });
      res.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

export interface Visit {
  /** The visitor's own loopback address; the edge takes the viewer from the TCP peer. */
  from?: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** One visitor's request, as a browser or curl would send it, bounded at 10 s. */
export function visit(edge: RunningEdge, path: string, options: Visit = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(edge.url);
    const req = request(
      {
        hostname,
        port,
        // As sent, byte for byte: a URL would resolve `..` and `%2e%2e` before the edge could see them.
        path,
        method: options.method ?? 'GET',
        headers: options.headers,
        localAddress: options.from ?? '127.0.0.2',
        timeout: 10_000,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${path} took more than 10 s`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

export interface EdgeRig {
  stack: ProvisionedStack;
  origin: RecordingOrigin;
  edge: RunningEdge;
  operator: string;
  admin: string;
  /** POST /maintenance through the real handler as an operator; fails the test unless it answers 200. */
  toggle(body: object): Promise<void>;
  /** POST /maintenance/bypass through the real handler as an admin; fails the test unless it answers 200. */
  bypass(body: { add?: string[]; remove?: string[] }): Promise<void>;
  close(): Promise<void>;
}

export async function startEdgeRig(
  name: string,
  options: { answer: OriginAnswer; now?: () => number },
): Promise<EdgeRig> {
  const stack = await provisionTestStack(name);
  const deps = { ...awsDeps(handlerEnv(stack)), ...windowDeps(handlerEnv(stack)) };
  const operator = (await mintToken(deps, { name: `${name}-operator`, role: 'operator' })).token;
  const admin = (await mintToken(deps, { name: `${name}-admin`, role: 'admin' })).token;
  const setMaintenance = createSet(deps);
  const updateBypass = createUpdateBypass(deps);
  const origin = await startRecordingOrigin(options.answer);
  const edge = await startEdgeServer({
    port: 0,
    distributionId: stack.distributionId,
    originUrl: origin.url,
    emulatorUrl: process.env.AWS_ENDPOINT_URL as string,
    now: options.now,
  });
  const expectOk = async (res: Promise<{ status: number; body?: unknown }>, what: string) => {
    const answered = await res;
    if (answered.status !== 200)
      throw new Error(`${what} answered ${answered.status}: ${String(answered.body)}`);
  };
  return {
    stack,
    origin,
    edge,
    operator,
    admin,
    toggle: (body) => expectOk(invoke(setMaintenance, jsonPost(operator, body)), 'POST /maintenance'),
    bypass: (body) =>
      expectOk(
        invoke(updateBypass, jsonPost(admin, body, '/maintenance/bypass')),
        'POST /maintenance/bypass',
      ),
    close: async () => {
      await edge.close();
      await new Promise((resolve) => origin.server.close(resolve));
    },
  };
}
