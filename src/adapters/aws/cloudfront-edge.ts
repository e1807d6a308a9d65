import {
  type CloudFrontClient,
  type DistributionConfig,
  GetDistributionConfigCommand,
  ListDistributionsByWebACLIdCommand,
  ListDistributionsCommand,
} from '@aws-sdk/client-cloudfront';
import { GetWebACLCommand, type WAFV2Client, type WebACL } from '@aws-sdk/client-wafv2';
import { MisconfiguredError } from '../../domain/errors';
import type { DistributionView, EdgeInspector } from '../../ports/edge-inspector';
import { translateAwsError } from './aws-errors';
import { parseWebAclArn, wafAddress } from './waf-arn';

// An S3 bucket's (regional) REST endpoint: `bucket.s3.us-east-1.amazonaws.com`, `bucket.s3.amazonaws.com`.
const S3_DOMAIN = /\.s3[.-]([a-z0-9-]+\.)?amazonaws\.com$/;

/**
 * How distributions are found by web ACL. `by-web-acl` is CloudFront's ListDistributionsByWebACLId, what
 * the deployed stack uses. moto lacks that call (and leaves WebACLId out of ListDistributions' summaries),
 * so the local stack uses `scan`: every distribution's GetDistributionConfig, and its WebACLId, which is
 * what ListDistributionsByWebACLId answers from (CloudFront API reference); the adapter's unit test pins
 * the deployed call's exact input and paging.
 */
export type DistributionLookup = 'by-web-acl' | 'scan';

/** Follows CloudFront's Marker/NextMarker paging to the end. */
async function allPages<T>(
  page: (marker: string | undefined) => Promise<{ items: T[]; next?: string | undefined }>,
) {
  const items: T[] = [];
  let marker: string | undefined;
  do {
    const out = await page(marker);
    items.push(...out.items);
    marker = out.next;
  } while (marker);
  return items;
}

/**
 * The edge as AWS describes it: web ACLs from WAF, distributions from CloudFront, and the maintenance page
 * fetched over HTTP(S) as a visitor would get it (through CloudFront in AWS, so the origin access control
 * and bucket policy are exercised too).
 */
export class CloudFrontEdge implements EdgeInspector {
  constructor(
    private readonly clients: { cloudfront: CloudFrontClient; waf: WAFV2Client },
    private readonly options: { pageUrl: string; lookup: DistributionLookup },
    private readonly fetchImpl: typeof fetch = fetch,
    private readonly timeoutMs = 3_000,
  ) {}

  async webAcl(arn: string): Promise<WebACL> {
    const ref = parseWebAclArn(arn);
    try {
      const out = await this.clients.waf.send(new GetWebACLCommand(wafAddress(ref)));
      if (!out.WebACL) throw new MisconfiguredError(`GetWebACL returned no web ACL for ${ref.name}`);
      return out.WebACL;
    } catch (error) {
      throw translateAwsError(error, { operation: 'GetWebACL', resource: `web ACL ${ref.name}` });
    }
  }

  async distributionsOf(webAclArn: string): Promise<string[]> {
    const { cloudfront } = this.clients;
    const operation =
      this.options.lookup === 'by-web-acl'
        ? 'ListDistributionsByWebACLId'
        : 'ListDistributions and GetDistributionConfig';
    try {
      if (this.options.lookup === 'by-web-acl') {
        return await allPages(async (Marker) => {
          const list = (
            await cloudfront.send(new ListDistributionsByWebACLIdCommand({ WebACLId: webAclArn, Marker }))
          ).DistributionList;
          return {
            items: (list?.Items ?? []).map((d) => d.Id ?? ''),
            next: list?.IsTruncated ? list.NextMarker : undefined,
          };
        });
      }
      const ids = await allPages(async (Marker) => {
        const list = (await cloudfront.send(new ListDistributionsCommand({ Marker }))).DistributionList;
        const items = (list?.Items ?? []).map((d) => d.Id ?? '');
        return { items, next: list?.IsTruncated ? list.NextMarker : undefined };
      });
      const carried = await Promise.all(
        ids.map(
          async (Id) =>
            (await cloudfront.send(new GetDistributionConfigCommand({ Id }))).DistributionConfig?.WebACLId,
        ),
      );
      return ids.filter((_id, i) => carried[i] === webAclArn);
    } catch (error) {
      throw translateAwsError(error, {
        operation,
        resource: `the distributions of ${parseWebAclArn(webAclArn).name}`,
      });
    }
  }

  async distribution(id: string): Promise<DistributionView> {
    let c: DistributionConfig | undefined;
    try {
      c = (await this.clients.cloudfront.send(new GetDistributionConfigCommand({ Id: id })))
        .DistributionConfig;
    } catch (error) {
      throw translateAwsError(error, { operation: 'GetDistributionConfig', resource: `distribution ${id}` });
    }
    return {
      id,
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
    const url = this.options.pageUrl;
    try {
      const res = await this.fetchImpl(url, { method: 'GET', signal: AbortSignal.timeout(this.timeoutMs) });
      await res.body?.cancel();
      return { ok: res.ok, detail: `${url} answered ${res.status}` };
    } catch (error) {
      return { ok: false, detail: `${url} could not be fetched: ${(error as Error).message}` };
    }
  }
}
