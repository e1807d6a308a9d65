import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SCHEDULE_OPERATIONS } from '../../src/adapters/aws/deadline-http-handler';

/**
 * A forwarding proxy between the SDK and moto that can hold, drop or fail any one AWS call, and delay
 * every call as AWS's own latency would. It turns "what if AWS hangs here" into a test, and logs each call
 * with the times it arrived and reached the emulator, so a test can prove that nothing was written after a
 * request had been answered.
 */

/** One call as the proxy saw it. Times are `Date.now()` milliseconds. */
export interface ProxiedCall {
  /** The part of `x-amz-target` before the dot (`AWSWAF_20190729`), or the REST service (`Lambda`). */
  service: string;
  /** The part of `x-amz-target` after the dot (`UpdateIPSet`), or a name for REST calls (`Invoke`). */
  operation: string;
  /** The `Name` or `TableName` of a JSON request body, which tells two IP sets apart. */
  resource: string | undefined;
  arrivedAt: number;
  /** When it was sent on to the emulator; undefined if it never was (dropped, or its client gave up). */
  forwardedAt: number | undefined;
  /** The emulator's status, 0 until it answered. */
  status: number;
  /** From arrival to the end of the response (NaN until done). */
  ms: number;
  /** The client closed the connection before getting its answer. */
  clientGone: boolean;
}

/** What identifies a call before it is forwarded; `key` is a DynamoDB item's `pk` (`change#...`, `entry#...`). */
export type CallId = Pick<ProxiedCall, 'service' | 'operation' | 'resource'> & { key?: string | undefined };

export type CallMatch = (call: CallId) => boolean;

/**
 * What to do to the calls that `match`, `times` of them (default: all):
 * - `stall-request`: hold the call before it reaches AWS; forward it afterwards only if its client still
 *   waits (a client that gave up never reached AWS);
 * - `stall-response`: AWS gets the call at once (a write is applied), its answer is held back;
 * - `drop`: close the connection without an answer;
 * - `fail`: answer with an AWS error instead of forwarding.
 */
export type Fault = { match: CallMatch; times?: number } & (
  | { kind: 'stall-request' | 'stall-response'; ms: number }
  | { kind: 'drop' }
  | { kind: 'fail'; status: number; errorType: string }
);

export interface FaultProxy {
  url: string;
  inject(fault: Fault): void;
  /** Removes every fault (delays stay). */
  heal(): void;
  calls(): ProxiedCall[];
  reset(): void;
  stop(): Promise<void>;
}

/** The match for one AWS operation, optionally of one resource, optionally of items whose key starts so. */
export function operation(name: string, resource?: string, keyPrefix?: string): CallMatch {
  return (call) =>
    call.operation === name &&
    (resource === undefined || call.resource === resource) &&
    (keyPrefix === undefined || (call.key ?? '').startsWith(keyPrefix));
}

/** REST-protocol operations carry no `x-amz-target`: matched on method and path. */
const REST_OPERATIONS: Array<{ method: string; path: RegExp; service: string; operation: string }> = [
  {
    method: 'POST',
    path: /^\/2015-03-31\/functions\/[^/]+\/invocations(\?|$)/,
    service: 'Lambda',
    operation: 'Invoke',
  },
  // EventBridge Scheduler (restJson1), by the Lambdas' own table: the schedule's name is the path's last segment.
  ...Object.entries(SCHEDULE_OPERATIONS).map(([method, operation]) => ({
    method,
    path: /^\/schedules\/[^/?]+(\?|$)/,
    service: 'Scheduler',
    operation,
  })),
];

function identify(req: IncomingMessage, body: Buffer): CallId {
  const target = String(req.headers['x-amz-target'] ?? '');
  const rest = REST_OPERATIONS.find((r) => r.method === req.method && r.path.test(req.url ?? ''));
  const dot = target.indexOf('.');
  const service = target ? target.slice(0, dot) : (rest?.service ?? 'REST');
  const operation = target ? target.slice(dot + 1) : (rest?.operation ?? `${req.method} ${req.url}`);
  let resource: string | undefined;
  let key: string | undefined;
  try {
    const parsed = JSON.parse(body.toString('utf8')) as {
      Name?: unknown;
      TableName?: unknown;
      Item?: { pk?: { S?: unknown } };
      Key?: { pk?: { S?: unknown } };
    };
    const named = parsed.Name ?? parsed.TableName;
    resource = typeof named === 'string' ? named : undefined;
    const pk = (parsed.Item ?? parsed.Key)?.pk?.S;
    key = typeof pk === 'string' ? pk : undefined;
  } catch {
    resource = undefined;
  }
  if (rest?.service === 'Scheduler') {
    resource = decodeURIComponent(/^\/schedules\/([^/?]+)/.exec(req.url ?? '')?.[1] ?? '');
  }
  return { service, operation, resource, key };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

/**
 * Starts the proxy on a free port of 127.0.0.1. `delayOf` adds latency to every call (the bench's model of
 * AWS's round trips); faults are injected per test.
 *
 * @example
 * const proxy = await startFaultProxy(process.env.AWS_ENDPOINT_URL);
 * proxy.inject({ kind: 'stall-request', ms: 35_000, match: operation('GetRuleGroup') });
 */
export async function startFaultProxy(
  upstreamUrl: string,
  delayOf: (call: CallId) => number = () => 0,
): Promise<FaultProxy> {
  const upstream = new URL(upstreamUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  let faults: Array<Fault & { left: number }> = [];
  let log: ProxiedCall[] = [];

  const take = (call: CallId) => {
    const fault = faults.find((f) => f.left > 0 && f.match(call));
    if (fault) fault.left--;
    return fault;
  };

  const forward = (req: IncomingMessage, body: Buffer, call: ProxiedCall) =>
    new Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }>((resolve, reject) => {
      call.forwardedAt = Date.now();
      const out = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
          agent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }),
          );
        },
      );
      out.on('error', reject);
      out.end(body);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const id = identify(req, body);
    const call: ProxiedCall = {
      ...id,
      arrivedAt: Date.now(),
      forwardedAt: undefined,
      status: 0,
      ms: Number.NaN,
      clientGone: false,
    };
    log.push(call);
    res.on('close', () => {
      if (!res.writableFinished) call.clientGone = true;
    });
    const fault = take(id);
    await sleep(delayOf(id));
    if (fault?.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'fail') {
      res.writeHead(fault.status, {
        'content-type': 'application/x-amz-json-1.1',
        'x-amzn-errortype': fault.errorType,
      });
      res.end(JSON.stringify({ __type: fault.errorType, message: 'injected by the fault proxy' }));
      return;
    }
    if (fault?.kind === 'stall-request') {
      await sleep(fault.ms);
      if (call.clientGone) return;
    }
    const answer = await forward(req, body, call);
    call.status = answer.status;
    if (fault?.kind === 'stall-response') await sleep(fault.ms);
    if (call.clientGone) return;
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
    call.ms = Date.now() - call.arrivedAt;
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks)).catch((error: Error) => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`fault proxy: upstream failed: ${error.message}`);
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    inject: (fault) => faults.push({ ...fault, left: fault.times ?? Number.POSITIVE_INFINITY }),
    heal: () => {
      faults = [];
    },
    calls: () => [...log],
    reset: () => {
      log = [];
    },
    stop: () =>
      new Promise<void>((resolve) => {
        faults = [];
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
