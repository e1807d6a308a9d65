import type { DistributionConfig } from '@aws-sdk/client-cloudfront';

/**
 * The distribution's custom error responses, as CloudFront applies them to an origin's error (CloudFront
 * Developer Guide, "Generate custom error responses" and "Control how long CloudFront caches errors"):
 * for an ErrorCode with a ResponsePagePath, the viewer gets that page, fetched through the behaviour
 * its path selects, with ResponseCode (else the origin's status). If the page cannot be had, the viewer
 * gets what the page's origin answered instead. CloudFront then keeps the error for the object for
 * ErrorCachingMinTTL seconds (10 by default) and only asks the origin again after that, so a visitor can
 * get the error page for that long after the origin has recovered: what the local edge shows, too.
 *
 * Left out here: errors with no ResponsePagePath pass through uncached (CloudFront would cache them for
 * ErrorCachingMinTTL, or 10 seconds), and a longer Cache-Control max-age from the origin is not honoured.
 */

/** A whole response, buffered: an error page is small, and a cached one is served many times. */
export interface BufferedResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export type PageFetcher = (path: string) => Promise<BufferedResponse>;

/** The edge's own short answers (an unreachable origin, an invalid method, its loud 500s). */
export const plainText = (status: number, text: string): BufferedResponse => ({
  status,
  headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
  body: Buffer.from(`${text}\n`),
});

const DEFAULT_ERROR_CACHING_SECONDS = 10;

/**
 * What the viewer gets instead of an origin's `status`, and for how long it is kept; undefined when the
 * distribution has no error page for that status (the origin's answer goes through as it is).
 *
 * @example
 * await customErrorResponse(config, 502, fetchThroughBehaviour);
 * // { response: { status: 503, headers: { 'content-type': 'text/html; charset=utf-8' }, body }, ttlSeconds: 5 }
 */
export async function customErrorResponse(
  config: DistributionConfig,
  status: number,
  fetchPage: PageFetcher,
): Promise<{ response: BufferedResponse; ttlSeconds: number } | undefined> {
  const rule = config.CustomErrorResponses?.Items?.find((r) => r.ErrorCode === status);
  if (!rule?.ResponsePagePath) return undefined;
  const ttlSeconds = rule.ErrorCachingMinTTL ?? DEFAULT_ERROR_CACHING_SECONDS;
  const page = await fetchPage(rule.ResponsePagePath);
  if (page.status < 200 || page.status > 299) return { response: page, ttlSeconds };
  const contentType = page.headers['content-type'];
  return {
    response: {
      // A number in the distribution's config, but the API types it as a string.
      status: rule.ResponseCode ? Number(rule.ResponseCode) : status,
      headers: contentType ? { 'content-type': contentType } : {},
      body: page.body,
    },
    ttlSeconds,
  };
}

/** The custom error responses CloudFront is holding, per path, each until its ErrorCachingMinTTL passes. */
export class ErrorResponseCache {
  private readonly entries = new Map<string, { response: BufferedResponse; until: number }>();

  constructor(
    private readonly now: () => number = Date.now,
    /** Bounds memory however many paths fail; the oldest entry goes first. */
    private readonly maxEntries = 1_000,
  ) {}

  get(path: string): BufferedResponse | undefined {
    const entry = this.entries.get(path);
    if (entry && entry.until > this.now()) return entry.response;
    this.entries.delete(path);
    return undefined;
  }

  put(path: string, response: BufferedResponse, ttlSeconds: number): void {
    if (ttlSeconds <= 0) return;
    this.entries.delete(path);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(path, { response, until: this.now() + ttlSeconds * 1000 });
  }
}
