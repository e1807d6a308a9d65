import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';

/**
 * How the local edge talks to origins: the custom origin (ORIGIN_URL or the sample site) gets the
 * viewer's request as it came, streamed both ways; the S3 origin is the emulator's bucket, read path-style
 * without signing (moto serves objects so; CloudFront would sign with its origin access control).
 */

/** Added to what the edge forwards and answers, as a proxy does (RFC 9110, Via): recognisably this edge. */
export const VIA = '1.1 waf-maintenance-local-edge';

// Connection-specific fields are not forwarded by a proxy (RFC 9110, 7.6.1).
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** CloudFront answers 502 when it cannot connect to the origin, 504 when the origin does not answer in time. */
export class OriginUnreachable extends Error {
  constructor(
    readonly status: 502 | 504,
    message: string,
  ) {
    super(message);
    this.name = 'OriginUnreachable';
  }
}

export interface OriginTimeouts {
  /** CloudFront's origin response timeout (OriginReadTimeout, 30 s by default): silence this long is a 504. */
  readTimeoutMs: number;
}

/** OriginReadTimeout of an origin's config, in ms: "the default (if you don't specify otherwise) is 30 seconds". */
export function originTimeouts(origin: {
  CustomOriginConfig?: { OriginReadTimeout?: number };
}): OriginTimeouts {
  return { readTimeoutMs: (origin.CustomOriginConfig?.OriginReadTimeout ?? 30) * 1000 };
}

function endToEnd(headers: IncomingHttpHeaders, drop: string[] = []): Record<string, string | string[]> {
  const named = String(headers.connection ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase());
  return Object.fromEntries(
    Object.entries(headers).filter(
      (entry): entry is [string, string | string[]] =>
        entry[1] !== undefined &&
        !HOP_BY_HOP.has(entry[0]) &&
        !named.includes(entry[0]) &&
        !drop.includes(entry[0]),
    ),
  );
}

/** `via` with this edge appended to what was there. */
export function withVia(headers: Record<string, string | string[]>): Record<string, string | string[]> {
  const before = [headers.via ?? []].flat();
  return { ...headers, via: [...before, VIA].join(', ') };
}

/** The origin's answer as the viewer gets it: its own headers, minus the connection's, plus `via`. */
export function viewerHeaders(upstream: IncomingMessage, keep?: string[]): Record<string, string | string[]> {
  const headers = endToEnd(upstream.headers);
  return withVia(
    keep ? Object.fromEntries(Object.entries(headers).filter(([name]) => keep.includes(name))) : headers,
  );
}

export interface UpstreamRequest {
  method: string;
  headers: Record<string, string | string[]>;
  body?: Readable;
  timeouts: OriginTimeouts;
  /** Ends the request (the edge is closing). */
  signal?: AbortSignal;
}

/**
 * One request to an origin; resolves with the response once its head arrives, or rejects with
 * OriginUnreachable: 502 when it cannot connect (or the connection fails), 504 past the read timeout.
 */
export function requestOrigin(url: URL, init: UpstreamRequest): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, {
      method: init.method,
      headers: init.headers,
      timeout: init.timeouts.readTimeoutMs,
      ...(init.signal ? { signal: init.signal } : {}),
    });
    req.once('response', resolve);
    req.once('timeout', () =>
      req.destroy(
        new OriginUnreachable(504, `${url.origin} did not answer within ${init.timeouts.readTimeoutMs} ms`),
      ),
    );
    req.once('error', (error) =>
      reject(
        error instanceof OriginUnreachable
          ? error
          : new OriginUnreachable(502, `${url.origin}: ${error.message}`),
      ),
    );
    if (init.body) {
      init.body.pipe(req);
      init.body.once('error', () => req.destroy());
    } else req.end();
  });
}

/**
 * Forwards the viewer's request (method, path, query, headers, body) to the custom origin at `originUrl`,
 * whose path, if any, prefixes the request's (as OriginPath does). Host becomes the origin's, as CloudFront
 * sends the origin's domain; X-Forwarded-For gets the viewer's address appended, as CloudFront does.
 *
 * @example
 * const res = await forwardToOrigin(req, new URL('http://127.0.0.1:5173'), { readTimeoutMs: 30_000 });
 */
export function forwardToOrigin(
  viewer: IncomingMessage,
  originUrl: URL,
  init: Pick<UpstreamRequest, 'timeouts' | 'signal'>,
): Promise<IncomingMessage> {
  const target = new URL(`${originUrl.pathname.replace(/\/+$/, '')}${viewer.url ?? '/'}`, originUrl);
  const forwardedFor = [viewer.headers['x-forwarded-for'], viewer.socket.remoteAddress]
    .filter(Boolean)
    .join(', ');
  const headers = withVia({
    ...endToEnd(viewer.headers, ['host', 'x-forwarded-for']),
    host: originUrl.host,
    'x-forwarded-for': forwardedFor,
  });
  return requestOrigin(target, { ...init, method: viewer.method ?? 'GET', headers, body: viewer });
}

/**
 * Reads `path` (as the viewer sent it: its keys are URL-encoded alike) from `bucket` in the emulator,
 * path-style: `<emulator>/<bucket><path>`.
 */
export function fetchFromBucket(
  emulatorUrl: string,
  bucket: string,
  path: string,
  init: Pick<UpstreamRequest, 'method' | 'timeouts' | 'signal'>,
): Promise<IncomingMessage> {
  const url = new URL(`${emulatorUrl.replace(/\/+$/, '')}/${bucket}${path}`);
  return requestOrigin(url, { ...init, headers: { via: VIA } });
}

/** The whole body, for an error page (small, and cached); refuses more than `limit` bytes. */
export async function readAll(response: IncomingMessage, limit = 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      response.destroy();
      throw new Error(`an error page of more than ${limit} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
