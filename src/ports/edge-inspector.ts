import type { WebACL } from '@aws-sdk/client-wafv2';

/** What the doctor needs to know about the CloudFront distribution in front of the site (managed mode). */
export interface DistributionView {
  id: string;
  /** The web ACL attached (its ARN), or null. */
  webAclId: string | null;
  errorResponses: Array<{ errorCode: number; responseCode: string | null; pagePath: string | null }>;
  behaviors: Array<{ pathPattern: string; targetOriginId: string }>;
  /** Ids of the origins that are S3 buckets. */
  s3OriginIds: string[];
}

/**
 * Looks at the edge in front of the site: the web ACLs that should carry the switch, the distributions
 * that carry them, and (managed mode) the stack's distribution and the page it serves.
 */
export interface EdgeInspector {
  /** The web ACL as WAF holds it; throws MisconfiguredError when it does not exist. */
  webAcl(arn: string): Promise<WebACL>;
  /** Ids of the CloudFront distributions associated with the web ACL. */
  distributionsOf(webAclArn: string): Promise<string[]>;
  /** Throws MisconfiguredError when the distribution does not exist. */
  distribution(id: string): Promise<DistributionView>;
  /** Fetches the maintenance page as a visitor would; `detail` says what went wrong. */
  pageServed(): Promise<{ ok: boolean; detail: string }>;
}
