import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { msSince } from './stats';

/**
 * A forwarding proxy in front of moto (or any fake AWS endpoint) that adds the round trip moto does not
 * have. moto answers in a few milliseconds; AWS WAF's control plane takes on the order of 100 ms, DynamoDB
 * about 10 ms, SSM and Lambda's Invoke about 20 ms from a Lambda in the same region. Without that,
 * "handler vs bare SDK" would compare in-process overhead against nothing, and the ratio would say little
 * about what an operator waits for.
 *
 * It also counts calls per operation (the part of `x-amz-target` after the dot, or the name a path rule
 * gives), which is how the bench checks that one toggle or one Slack acknowledgement makes exactly the AWS
 * calls it should.
 */

/** Added latency by `x-amz-target` prefix (JSON-protocol services name their operation there). */
export const DEFAULT_DELAYS: Record<string, number> = {
  'AWSWAF_20190729.': 100,
  'DynamoDB_20120810.': 10,
  // A GetParameter with decryption: SSM plus a KMS decrypt behind it.
  'AmazonSSM.': 20,
};

/**
 * Added latency for REST-protocol operations, which carry no `x-amz-target`: matched on method and path.
 * An asynchronous Lambda Invoke only queues the event, but takes about 20 ms from inside the region.
 */
export const PATH_DELAYS: Array<{ method: string; path: RegExp; operation: string; delayMs: number }> = [
  {
    method: 'POST',
    path: /^\/2015-03-31\/functions\/[^/]+\/invocations(\?|$)/,
    operation: 'Invoke',
    delayMs: 20,
  },
];

export interface ProxiedCall {
  operation: string;
  /** From the request's arrival to the end of the response, the added delay included (NaN until done). */
  ms: number;
  status: number;
}

export interface LatencyProxy {
  url: string;
  /** Calls seen since the last reset, in arrival order. */
  calls(): ProxiedCall[];
  /** Calls since the last reset, counted per operation. */
  counts(): Record<string, number>;
  reset(): void;
  stop(): Promise<void>;
}

function operationOf(req: IncomingMessage): { operation: string; delayMs: number } {
  const target = String(req.headers['x-amz-target'] ?? '');
  for (const [prefix, delayMs] of Object.entries(DEFAULT_DELAYS)) {
    if (target.startsWith(prefix)) return { operation: target.slice(prefix.length), delayMs };
  }
  for (const { method, path, operation, delayMs } of PATH_DELAYS) {
    if (req.method === method && path.test(req.url ?? '')) return { operation, delayMs };
  }
  return { operation: target || `${req.method} ${req.url}`, delayMs: 0 };
}

/**
 * Starts the proxy on a free port of 127.0.0.1.
 *
 * @example
 * const proxy = await startLatencyProxy(moto.url); process.env.AWS_ENDPOINT_URL = proxy.url; ...; await proxy.stop();
 */
export async function startLatencyProxy(upstreamUrl: string): Promise<LatencyProxy> {
  const upstream = new URL(upstreamUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  let log: ProxiedCall[] = [];

  const forward = (
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    call: ProxiedCall,
    started: bigint,
  ) => {
    const out = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent,
      },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
        res.on('finish', () => {
          call.ms = msSince(started);
          call.status = res.statusCode;
        });
      },
    );
    out.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`latency proxy: upstream failed: ${error.message}`);
    });
    out.end(body);
  };

  const server = createServer((req, res) => {
    const started = process.hrtime.bigint();
    const { operation, delayMs } = operationOf(req);
    // Logged on arrival, so a caller that has its response already sees the call counted.
    const call: ProxiedCall = { operation, ms: Number.NaN, status: 0 };
    log.push(call);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      setTimeout(() => forward(req, res, body, call, started), delayMs);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    calls: () => [...log],
    counts: () => {
      const counts: Record<string, number> = {};
      for (const call of log) counts[call.operation] = (counts[call.operation] ?? 0) + 1;
      return counts;
    },
    reset: () => {
      log = [];
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
