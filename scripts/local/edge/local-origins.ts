import type { IncomingMessage } from 'node:http';
import type { DistributionConfig, Origin } from '@aws-sdk/client-cloudfront';
import { s3BucketOf, selectBehaviour } from './cloudfront-routing';
import { type BufferedResponse, plainText } from './error-responses';
import {
  fetchFromBucket,
  forwardToOrigin,
  OriginUnreachable,
  originTimeouts,
  readAll,
  requestOrigin,
  VIA,
  viewerHeaders,
} from './origin-forwarding';

/** S3's object headers a viewer gets through CloudFront; the emulator's own (server, CORS, ids) stay behind. */
const OBJECT_HEADERS = [
  'content-type',
  'content-length',
  'cache-control',
  'etag',
  'last-modified',
  'expires',
  'content-encoding',
  'content-language',
  'content-disposition',
];

/** An origin's answer, its head read and its body still streaming. */
export interface OriginResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: IncomingMessage;
}

/**
 * Where the distribution's origins are locally: an S3 origin is its bucket in the emulator; every custom
 * origin is ORIGIN_URL (or the sample site), with the origin's OriginPath still applied.
 */
export class LocalOrigins {
  constructor(
    private readonly where: { emulatorUrl: string; originUrl: string },
    /** Aborts what is under way when the edge closes. */
    private readonly signal: AbortSignal,
  ) {}

  /**
   * The viewer's request at `origin`: a custom origin gets it whole (method, path, query, headers, body),
   * the bucket a GET or HEAD of the path. Rejects with OriginUnreachable.
   */
  async forward(origin: Origin, viewer: IncomingMessage, path: string): Promise<OriginResponse> {
    const init = { timeouts: originTimeouts(origin), signal: this.signal };
    const bucket = s3BucketOf(origin);
    const body = bucket
      ? await fetchFromBucket(this.where.emulatorUrl, bucket, `${origin.OriginPath ?? ''}${path}`, {
          ...init,
          method: viewer.method === 'HEAD' ? 'HEAD' : 'GET',
        })
      : await forwardToOrigin(viewer, this.customOrigin(origin), init);
    return {
      status: body.statusCode ?? 502,
      headers: viewerHeaders(body, bucket ? OBJECT_HEADERS : undefined),
      body,
    };
  }

  /**
   * An error page, fetched with a GET through the behaviour its path selects, as CloudFront does (no WAF
   * on the way). An origin that cannot be reached gives its 502 or 504, as CloudFront would.
   */
  async page(config: DistributionConfig, path: string): Promise<BufferedResponse> {
    const { origin } = selectBehaviour(config, path);
    const init = { method: 'GET', timeouts: originTimeouts(origin), signal: this.signal };
    const bucket = s3BucketOf(origin);
    try {
      const response = bucket
        ? await fetchFromBucket(this.where.emulatorUrl, bucket, `${origin.OriginPath ?? ''}${path}`, init)
        : await requestOrigin(this.customOrigin(origin, path), { ...init, headers: { via: VIA } });
      const headers = viewerHeaders(response, ['content-type']) as Record<string, string>;
      return { status: response.statusCode ?? 502, headers, body: await readAll(response) };
    } catch (error) {
      if (!(error instanceof OriginUnreachable)) throw error;
      return plainText(error.status, `The error page ${path} could not be fetched: ${error.message}`);
    }
  }

  /** ORIGIN_URL's path, then the origin's OriginPath, then `path`. */
  private customOrigin(origin: Origin, path = ''): URL {
    if (!origin.CustomOriginConfig) {
      throw new Error(`origin ${origin.Id} is neither an S3 bucket nor a custom origin`);
    }
    const url = new URL(this.where.originUrl);
    url.pathname = `${url.pathname.replace(/\/+$/, '')}${origin.OriginPath ?? ''}${path}`;
    return url;
  }
}
