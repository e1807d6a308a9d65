import {
  type CloudFrontClient,
  type DistributionConfig,
  GetDistributionConfigCommand,
} from '@aws-sdk/client-cloudfront';
import type { DistributionView, EdgeInspector } from '../../ports/edge-inspector';
import { translateAwsError } from './aws-errors';

// An S3 bucket's (regional) REST endpoint: `bucket.s3.us-east-1.amazonaws.com`, `bucket.s3.amazonaws.com`.
const S3_DOMAIN = /\.s3[.-]([a-z0-9-]+\.)?amazonaws\.com$/;

/**
 * The distribution as CloudFront describes it, and the maintenance page fetched over HTTP(S) as a visitor
 * would get it (through CloudFront in AWS, so the origin access control and bucket policy are exercised too).
 */
export class CloudFrontEdge implements EdgeInspector {
  constructor(
    private readonly client: CloudFrontClient,
    private readonly distributionId: string,
    private readonly pageUrl: string,
    private readonly fetchImpl: typeof fetch = fetch,
    private readonly timeoutMs = 3_000,
  ) {}

  async distribution(): Promise<DistributionView> {
    let c: DistributionConfig | undefined;
    try {
      c = (await this.client.send(new GetDistributionConfigCommand({ Id: this.distributionId })))
        .DistributionConfig;
    } catch (error) {
      throw translateAwsError(error, {
        operation: 'GetDistributionConfig',
        resource: `distribution ${this.distributionId}`,
      });
    }
    return {
      id: this.distributionId,
      webAclId: c?.WebACLId || null,
      errorResponses: (c?.CustomErrorResponses?.Items ?? []).map((e) => ({
        errorCode: e.ErrorCode ?? 0,
        responseCode: e.ResponseCode ?? null,
        pagePath: e.ResponsePagePath ?? null,
      })),
      behaviors: (c?.CacheBehaviors?.Items ?? []).map((b) => ({
        pathPattern: b.PathPattern ?? '',
        targetOriginId: b.TargetOriginId ?? '',
      })),
      s3OriginIds: (c?.Origins?.Items ?? [])
        .filter((o) => o.S3OriginConfig || o.OriginAccessControlId || S3_DOMAIN.test(o.DomainName ?? ''))
        .map((o) => o.Id ?? ''),
    };
  }

  async pageServed(): Promise<{ ok: boolean; detail: string }> {
    try {
      const res = await this.fetchImpl(this.pageUrl, {
        method: 'GET',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await res.body?.cancel();
      return res.ok
        ? { ok: true, detail: `${this.pageUrl} answered ${res.status}` }
        : { ok: false, detail: `${this.pageUrl} answered ${res.status}` };
    } catch (error) {
      return { ok: false, detail: `${this.pageUrl} could not be fetched: ${(error as Error).message}` };
    }
  }
}
