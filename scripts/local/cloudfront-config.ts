import type {
  CacheBehavior,
  CustomErrorResponse,
  CustomOriginConfig,
  DefaultCacheBehavior,
  DistributionConfig,
  ForwardedValues,
  Origin,
  ViewerCertificate,
} from '@aws-sdk/client-cloudfront';

type Cfn = Record<string, unknown>;

/** CloudFormation writes a list; the CloudFront API wants `{ Quantity, Items }`. */
function list<T>(items: unknown): { Quantity: number; Items: T[] } {
  const array = (items ?? []) as T[];
  return { Quantity: array.length, Items: array };
}

/** Copies the keys of `from` not named in `skip`, so settings spelled alike in both pass unchanged. */
function rest(from: Cfn, skip: string[]): Cfn {
  return Object.fromEntries(Object.entries(from).filter(([key]) => !skip.includes(key)));
}

function forwardedValues(cfn: Cfn): ForwardedValues {
  const cookies = (cfn.Cookies ?? { Forward: 'none' }) as Cfn;
  return {
    QueryString: Boolean(cfn.QueryString),
    Cookies: {
      Forward: cookies.Forward as 'none',
      ...(cookies.WhitelistedNames ? { WhitelistedNames: list(cookies.WhitelistedNames) } : {}),
    },
    ...(cfn.Headers ? { Headers: list(cfn.Headers) } : {}),
    ...(cfn.QueryStringCacheKeys ? { QueryStringCacheKeys: list(cfn.QueryStringCacheKeys) } : {}),
  };
}

function cacheBehavior(cfn: Cfn): DefaultCacheBehavior & Partial<CacheBehavior> {
  const listed = (key: string, extra: Cfn = {}) =>
    cfn[key] ? { [key]: { ...extra, ...list(cfn[key]) } } : {};
  return {
    ...rest(cfn, [
      'AllowedMethods',
      'CachedMethods',
      'ForwardedValues',
      'TrustedSigners',
      'TrustedKeyGroups',
      'LambdaFunctionAssociations',
      'FunctionAssociations',
    ]),
    ...(cfn.AllowedMethods
      ? {
          AllowedMethods: {
            ...list(cfn.AllowedMethods),
            CachedMethods: list(cfn.CachedMethods ?? ['GET', 'HEAD']),
          },
        }
      : {}),
    ...(cfn.ForwardedValues ? { ForwardedValues: forwardedValues(cfn.ForwardedValues as Cfn) } : {}),
    ...listed('TrustedSigners', { Enabled: true }),
    ...listed('TrustedKeyGroups', { Enabled: true }),
    ...listed('LambdaFunctionAssociations'),
    ...listed('FunctionAssociations'),
  } as DefaultCacheBehavior;
}

function customOriginConfig(cfn: Cfn): CustomOriginConfig {
  return {
    // CloudFormation's defaults; the API insists on both ports.
    HTTPPort: 80,
    HTTPSPort: 443,
    ...rest(cfn, ['OriginSSLProtocols']),
    ...(cfn.OriginSSLProtocols ? { OriginSslProtocols: list(cfn.OriginSSLProtocols) } : {}),
  } as CustomOriginConfig;
}

function origin(cfn: Cfn): Origin {
  return {
    ...rest(cfn, ['OriginCustomHeaders', 'CustomOriginConfig']),
    CustomHeaders: list(cfn.OriginCustomHeaders),
    ...(cfn.CustomOriginConfig
      ? { CustomOriginConfig: customOriginConfig(cfn.CustomOriginConfig as Cfn) }
      : {}),
  } as Origin;
}

function customErrorResponse(cfn: Cfn): CustomErrorResponse {
  return {
    ...cfn,
    ErrorCode: Number(cfn.ErrorCode),
    // A number in CloudFormation, a string in the API.
    ...(cfn.ResponseCode === undefined ? {} : { ResponseCode: String(cfn.ResponseCode) }),
  } as CustomErrorResponse;
}

/** CloudFormation spells these acronyms differently from the API. */
function viewerCertificate(cfn: Cfn): ViewerCertificate {
  const renamed: Record<string, string> = {
    AcmCertificateArn: 'ACMCertificateArn',
    IamCertificateId: 'IAMCertificateId',
    SslSupportMethod: 'SSLSupportMethod',
  };
  return Object.fromEntries(Object.entries(cfn).map(([k, v]) => [renamed[k] ?? k, v])) as ViewerCertificate;
}

/**
 * Translates a CloudFormation `DistributionConfig` (intrinsics already resolved) into the CloudFront API's
 * shape for CreateDistribution: lists become `{ Quantity, Items }`, `CachedMethods` moves into
 * `AllowedMethods`, `IPV6Enabled` becomes `IsIPV6Enabled`, `OriginCustomHeaders` `CustomHeaders`, the
 * certificate's acronyms change case, error response codes become strings, and the API's required
 * `CallerReference` (its idempotency token) and `Comment` are filled in.
 *
 * @example
 * toDistributionConfig({ Enabled: true, Origins: [...], DefaultCacheBehavior: {...} }, 'my-stack-Cdn')
 * // { CallerReference: 'my-stack-Cdn', Comment: '', Enabled: true, Origins: { Quantity: 1, Items: [...] }, ... }
 */
export function toDistributionConfig(cfn: Cfn, callerReference: string): DistributionConfig {
  const restrictions = (cfn.Restrictions as Cfn | undefined)?.GeoRestriction as Cfn | undefined;
  const logging = cfn.Logging as Cfn | undefined;
  return {
    ...rest(cfn, [
      'Aliases',
      'CNAMEs',
      'IPV6Enabled',
      'Origins',
      'DefaultCacheBehavior',
      'CacheBehaviors',
      'CustomErrorResponses',
      'ViewerCertificate',
      'Logging',
      'Restrictions',
    ]),
    CallerReference: callerReference,
    Comment: (cfn.Comment as string | undefined) ?? '',
    ...(cfn.Aliases || cfn.CNAMEs ? { Aliases: list(cfn.Aliases ?? cfn.CNAMEs) } : {}),
    ...(cfn.IPV6Enabled === undefined ? {} : { IsIPV6Enabled: Boolean(cfn.IPV6Enabled) }),
    Origins: list(((cfn.Origins ?? []) as Cfn[]).map(origin)),
    DefaultCacheBehavior: cacheBehavior((cfn.DefaultCacheBehavior ?? {}) as Cfn),
    CacheBehaviors: list(((cfn.CacheBehaviors ?? []) as Cfn[]).map(cacheBehavior)),
    CustomErrorResponses: list(((cfn.CustomErrorResponses ?? []) as Cfn[]).map(customErrorResponse)),
    ...(cfn.ViewerCertificate ? { ViewerCertificate: viewerCertificate(cfn.ViewerCertificate as Cfn) } : {}),
    ...(logging ? { Logging: { Enabled: true, IncludeCookies: false, Prefix: '', ...logging } } : {}),
    ...(restrictions
      ? {
          Restrictions: {
            GeoRestriction: {
              RestrictionType: restrictions.RestrictionType as 'none',
              ...list<string>(restrictions.Locations),
            },
          },
        }
      : {}),
  } as DistributionConfig;
}
