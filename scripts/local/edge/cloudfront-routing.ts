import type { DistributionConfig, Origin } from '@aws-sdk/client-cloudfront';

/**
 * Which cache behaviour, and so which origin, CloudFront picks for a request (CloudFront Developer Guide,
 * "Cache behavior settings", Path pattern; API Reference, CacheBehavior.PathPattern): the request's path
 * is compared with each cache behaviour's pattern in the order they are listed, the first that matches
 * wins, and the default cache behaviour (`*`) takes the rest. A pattern is case-sensitive, `*` matches
 * zero or more characters (slashes included) and `?` exactly one; the leading `/` is optional, and the
 * query string is not part of what is compared.
 */

export interface Behaviour {
  /** `*` for the default cache behaviour. */
  pathPattern: string;
  origin: Origin;
  /** The methods CloudFront accepts for it; any other gets 403 (Invalid method). */
  allowedMethods: string[];
}

const withLeadingSlash = (path: string) => (path.startsWith('/') ? path : `/${path}`);

/**
 * @example
 * pathPatternMatches('/maintenance/*', '/maintenance/style.css'); // true
 * pathPatternMatches('images/*.jpg', '/images/a/b.jpg'); // true
 * pathPatternMatches('/Maintenance/*', '/maintenance/x'); // false: case-sensitive
 */
export function pathPatternMatches(pattern: string, path: string): boolean {
  const source = withLeadingSlash(pattern)
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 's').test(withLeadingSlash(path));
}

function originNamed(config: DistributionConfig, id: string | undefined): Origin {
  const origin = config.Origins?.Items?.find((o) => o.Id === id);
  if (!origin) throw new Error(`The distribution's behaviour targets origin "${id}", which it does not have`);
  return origin;
}

/**
 * The behaviour CloudFront applies to `path` (the URI path, no query string).
 *
 * @example
 * selectBehaviour(config, '/maintenance/index.html').origin.Id; // 'maintenance-site'
 * selectBehaviour(config, '/').pathPattern; // '*'
 */
export function selectBehaviour(config: DistributionConfig, path: string): Behaviour {
  const chosen = config.CacheBehaviors?.Items?.find((b) => pathPatternMatches(b.PathPattern ?? '', path));
  const behaviour = chosen ?? config.DefaultCacheBehavior;
  return {
    pathPattern: chosen?.PathPattern ?? '*',
    origin: originNamed(config, behaviour?.TargetOriginId),
    // CloudFront's own default when a behaviour names none: GET and HEAD.
    allowedMethods: behaviour?.AllowedMethods?.Items ?? ['GET', 'HEAD'],
  };
}

/**
 * The bucket an S3 origin names in its domain: `<bucket>.s3.<region>.amazonaws.com` (what the template
 * gives, the bucket's RegionalDomainName), `<bucket>.s3.amazonaws.com` or `<bucket>.s3-<region>.amazonaws.com`.
 * Undefined for a custom origin.
 */
export function s3BucketOf(origin: Origin): string | undefined {
  if (origin.CustomOriginConfig) return undefined;
  return /^(.+)\.s3(?:[.-][a-z0-9-]+)?\.amazonaws\.com$/.exec(origin.DomainName ?? '')?.[1];
}
