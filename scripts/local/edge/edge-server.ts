import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import type { DistributionConfig } from '@aws-sdk/client-cloudfront';
import { selectBehaviour } from './cloudfront-routing';
import { type EdgeClients, type EdgeSnapshot, emulatorClients, readEdgeSnapshot } from './config-reader';
import { type BufferedResponse, customErrorResponse, ErrorResponseCache, plainText } from './error-responses';
import { FreshReads } from './fresh-reads';
import { LocalOrigins, type OriginResponse } from './local-origins';
import { OriginUnreachable, withVia } from './origin-forwarding';
import type { WafVerdict } from './waf-evaluator';

/**
 * The local edge: what a visitor of the stack's distribution gets, on 127.0.0.1. Each request is evaluated
 * against the web ACL as the emulator holds it at that moment (FreshReads), with the viewer's address taken
 * from the TCP connection; a Block answers WAF's response; otherwise the request goes to the origin of
 * the behaviour its path selects, and the origin's errors go through the distribution's custom error
 * responses. A web ACL it cannot evaluate, or a config it cannot read, is a loud 500: never an allow.
 * It stands in for CloudFront and WAF locally and is neither: `via` says which edge answered.
 */

export interface EdgeOptions {
  /** 0: a free port. */
  port: number;
  distributionId: string;
  /** The custom origin: ORIGIN_URL, or the sample site. */
  originUrl: string;
  /** Where the S3 origin's bucket is read, path-style. */
  emulatorUrl: string;
  clients?: EdgeClients;
  now?: () => number;
  /** One line per request the edge could not answer as CloudFront would (its 500s). */
  log?: (line: string) => void;
}

export interface RunningEdge {
  url: string;
  port: number;
  close(): Promise<void>;
}

function send(res: ServerResponse, method: string, response: BufferedResponse): void {
  const headers = withVia({ ...response.headers, 'content-length': String(response.body.length) });
  res.writeHead(response.status, headers);
  res.end(method === 'HEAD' ? undefined : response.body);
}

function splitUrl(url: string): { path: string; query: string } {
  const at = url.indexOf('?');
  return at === -1 ? { path: url, query: '' } : { path: url.slice(0, at), query: url.slice(at + 1) };
}

/** WAF's answer: a custom response as it is; WAF's default 403 through CloudFront's error page for 403, if any. */
async function blockResponse(
  verdict: Extract<WafVerdict, { action: 'block' }>,
  errorPage: () => Promise<{ response: BufferedResponse } | undefined>,
): Promise<BufferedResponse> {
  // "Responses that you customize using AWS WAF rules take precedence over ... CloudFront custom error
  // pages" (AWS WAF Developer Guide, "Using AWS WAF with CloudFront custom error pages").
  const page = verdict.custom ? undefined : await errorPage();
  if (page) return page.response;
  const { body } = verdict;
  return {
    status: verdict.status,
    headers: { ...verdict.headers, ...(body ? { 'content-type': body.contentType } : {}) },
    body: Buffer.from(body?.content ?? (verdict.custom ? '' : 'Forbidden: the request was blocked.\n')),
  };
}

class Edge {
  private readonly snapshots: FreshReads<EdgeSnapshot>;
  private readonly errors: ErrorResponseCache;
  private readonly closing = new AbortController();
  private readonly origins: LocalOrigins;

  constructor(private readonly options: EdgeOptions) {
    const clients = options.clients ?? emulatorClients();
    this.snapshots = new FreshReads(() => readEdgeSnapshot(clients, options.distributionId));
    this.errors = new ErrorResponseCache(options.now);
    this.origins = new LocalOrigins(options, this.closing.signal);
  }

  close(): void {
    this.closing.abort();
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const { path, query } = splitUrl(req.url ?? '/');
    let snapshot: EdgeSnapshot;
    let verdict: WafVerdict;
    try {
      snapshot = await this.snapshots.get();
    } catch (error) {
      const why = (error as Error).message;
      return this.fail(req, res, `could not read distribution ${this.options.distributionId}: ${why}`);
    }
    try {
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([name, value]) => [name, [value ?? []].flat().join(', ')]),
      );
      // The TCP peer, as CloudFront gives WAF the viewer's address; never X-Forwarded-For.
      verdict = snapshot.evaluate({ sourceIp: req.socket.remoteAddress ?? '', method, path, query, headers });
    } catch (error) {
      return this.fail(req, res, (error as Error).message);
    }
    const config = snapshot.distribution;
    if (verdict.action === 'allow') return this.route(config, req, res, path);
    const page = () => customErrorResponse(config, verdict.status, (p) => this.origins.page(config, p));
    send(res, method, await blockResponse(verdict, page));
  }

  private async route(config: DistributionConfig, req: IncomingMessage, res: ServerResponse, path: string) {
    const method = req.method ?? 'GET';
    const behaviour = selectBehaviour(config, path);
    // "CloudFront returns a 403 (Invalid method) error" for a method the behaviour does not allow.
    if (!behaviour.allowedMethods.includes(method))
      return send(res, method, plainText(403, 'Invalid method.'));
    const cacheable = method === 'GET' || method === 'HEAD';
    const cached = cacheable ? this.errors.get(path) : undefined;
    if (cached) return send(res, method, cached);

    let answer: OriginResponse | OriginUnreachable;
    try {
      answer = await this.origins.forward(behaviour.origin, req, path);
    } catch (error) {
      if (!(error instanceof OriginUnreachable)) throw error;
      answer = error;
    }
    const replaced =
      answer.status >= 400
        ? await customErrorResponse(config, answer.status, (p) => this.origins.page(config, p))
        : undefined;
    if (replaced) {
      if (!(answer instanceof OriginUnreachable)) answer.body.resume();
      if (cacheable) this.errors.put(path, replaced.response, replaced.ttlSeconds);
      return send(res, method, replaced.response);
    }
    if (answer instanceof OriginUnreachable) {
      return send(
        res,
        method,
        plainText(answer.status, `The local edge could not reach the origin: ${answer.message}`),
      );
    }
    res.writeHead(answer.status, answer.headers);
    await pipeline(answer.body, res).catch(() => undefined);
  }

  /** The loud answer: a 500 that says what the edge could not do, and a line in the log. */
  fail(req: IncomingMessage, res: ServerResponse, message: string): void {
    this.options.log?.(`500 ${req.method} ${req.url}: ${message}`);
    if (res.headersSent) return void res.destroy();
    send(res, req.method ?? 'GET', plainText(500, `Local edge: ${message}`));
  }
}

/**
 * Starts the local edge on 127.0.0.1:`port`.
 *
 * @example
 * const edge = await startEdgeServer({ port: 8080, distributionId, originUrl: site.url, emulatorUrl });
 * await fetch(`${edge.url}/`); // the origin, or the 503 page while maintenance is on
 * await edge.close();
 */
export async function startEdgeServer(options: EdgeOptions): Promise<RunningEdge> {
  const edge = new Edge(options);
  const server = createServer((req, res) => {
    edge.handle(req, res).catch((error: Error) => edge.fail(req, res, error.message));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        edge.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
