/** What the doctor needs to know about the CloudFront distribution in front of the site. */
export interface DistributionView {
  id: string;
  /** The web ACL attached (its ARN), or null. */
  webAclId: string | null;
  errorResponses: Array<{ errorCode: number; responseCode: string | null; pagePath: string | null }>;
  behaviors: Array<{ pathPattern: string; targetOriginId: string }>;
  /** Ids of the origins that are S3 buckets. */
  s3OriginIds: string[];
}

/** Looks at the edge: the distribution's configuration, and whether the maintenance page is really served. */
export interface EdgeInspector {
  /** Throws MisconfiguredError when the distribution does not exist. */
  distribution(): Promise<DistributionView>;
  /** Fetches the maintenance page as a visitor would; `detail` says what went wrong. */
  pageServed(): Promise<{ ok: boolean; detail: string }>;
}
