import { toDistributionConfig } from '../../../scripts/local/cloudfront-config';

const WEB_ACL = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/w/1';
const SITE_DOMAIN = 'site.s3.us-east-1.amazonaws.com';

/** serverless.yml's DistributionConfig after resolveIntrinsics, with no certificate. */
function templateConfig(overrides: Record<string, unknown> = {}) {
  return {
    Enabled: true,
    Comment: 'waf-maintenance dev',
    HttpVersion: 'http2and3',
    IPV6Enabled: true,
    WebACLId: WEB_ACL,
    ViewerCertificate: { CloudFrontDefaultCertificate: true },
    Origins: [
      {
        Id: 'app',
        DomainName: 'app.example.com',
        CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] },
      },
      {
        Id: 'maintenance-site',
        DomainName: SITE_DOMAIN,
        OriginAccessControlId: 'OAC1',
        S3OriginConfig: { OriginAccessIdentity: '' },
      },
    ],
    DefaultCacheBehavior: {
      TargetOriginId: 'app',
      ViewerProtocolPolicy: 'redirect-to-https',
      AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'POST', 'PATCH', 'DELETE'],
      CachedMethods: ['GET', 'HEAD'],
      Compress: true,
      CachePolicyId: 'cache-disabled',
      OriginRequestPolicyId: 'all-viewer',
    },
    CacheBehaviors: [
      {
        PathPattern: '/maintenance/*',
        TargetOriginId: 'maintenance-site',
        ViewerProtocolPolicy: 'redirect-to-https',
        AllowedMethods: ['GET', 'HEAD'],
        CachedMethods: ['GET', 'HEAD'],
        Compress: true,
        CachePolicyId: 'caching-optimized',
      },
    ],
    CustomErrorResponses: [502, 503, 504].map((ErrorCode) => ({
      ErrorCode,
      ResponseCode: 503,
      ResponsePagePath: '/maintenance/index.html',
      ErrorCachingMinTTL: 5,
    })),
    ...overrides,
  };
}

describe('toDistributionConfig', () => {
  it('adds the CallerReference and keeps what both spell alike', () => {
    const config = toDistributionConfig(templateConfig(), 'waf-maintenance-dev-MaintenanceDistribution');

    expect(config).toMatchObject({
      CallerReference: 'waf-maintenance-dev-MaintenanceDistribution',
      Comment: 'waf-maintenance dev',
      Enabled: true,
      HttpVersion: 'http2and3',
      IsIPV6Enabled: true,
      WebACLId: WEB_ACL,
      ViewerCertificate: { CloudFrontDefaultCertificate: true },
    });
    expect(config).not.toHaveProperty('IPV6Enabled');
    expect(config).not.toHaveProperty('Aliases');
  });

  it('turns the origins into { Quantity, Items }, the S3 one with its OAC and empty identity', () => {
    const { Origins } = toDistributionConfig(templateConfig(), 'ref');

    expect(Origins).toEqual({
      Quantity: 2,
      Items: [
        {
          Id: 'app',
          DomainName: 'app.example.com',
          CustomHeaders: { Quantity: 0, Items: [] },
          CustomOriginConfig: {
            HTTPPort: 80,
            HTTPSPort: 443,
            OriginProtocolPolicy: 'https-only',
            OriginSslProtocols: { Quantity: 1, Items: ['TLSv1.2'] },
          },
        },
        {
          Id: 'maintenance-site',
          DomainName: SITE_DOMAIN,
          OriginAccessControlId: 'OAC1',
          S3OriginConfig: { OriginAccessIdentity: '' },
          CustomHeaders: { Quantity: 0, Items: [] },
        },
      ],
    });
  });

  it('moves CachedMethods into AllowedMethods, for the default and the /maintenance/* behaviour', () => {
    const { DefaultCacheBehavior, CacheBehaviors } = toDistributionConfig(templateConfig(), 'ref');

    expect(DefaultCacheBehavior).toEqual({
      TargetOriginId: 'app',
      ViewerProtocolPolicy: 'redirect-to-https',
      AllowedMethods: {
        Quantity: 7,
        Items: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'POST', 'PATCH', 'DELETE'],
        CachedMethods: { Quantity: 2, Items: ['GET', 'HEAD'] },
      },
      Compress: true,
      CachePolicyId: 'cache-disabled',
      OriginRequestPolicyId: 'all-viewer',
    });
    expect(CacheBehaviors).toEqual({
      Quantity: 1,
      Items: [
        {
          PathPattern: '/maintenance/*',
          TargetOriginId: 'maintenance-site',
          ViewerProtocolPolicy: 'redirect-to-https',
          AllowedMethods: {
            Quantity: 2,
            Items: ['GET', 'HEAD'],
            CachedMethods: { Quantity: 2, Items: ['GET', 'HEAD'] },
          },
          Compress: true,
          CachePolicyId: 'caching-optimized',
        },
      ],
    });
  });

  it('lists the custom error responses with their response codes as strings', () => {
    const { CustomErrorResponses } = toDistributionConfig(templateConfig(), 'ref');

    expect(CustomErrorResponses).toEqual({
      Quantity: 3,
      Items: [502, 503, 504].map((ErrorCode) => ({
        ErrorCode,
        ResponseCode: '503',
        ResponsePagePath: '/maintenance/index.html',
        ErrorCachingMinTTL: 5,
      })),
    });
  });

  it('renames the certificate acronyms and lists the aliases when a certificate is set', () => {
    const config = toDistributionConfig(
      templateConfig({
        Aliases: ['www.example.com', 'example.com'],
        ViewerCertificate: {
          AcmCertificateArn: 'arn:aws:acm:us-east-1:1:certificate/c',
          SslSupportMethod: 'sni-only',
          MinimumProtocolVersion: 'TLSv1.2_2021',
        },
      }),
      'ref',
    );

    expect(config.Aliases).toEqual({ Quantity: 2, Items: ['www.example.com', 'example.com'] });
    expect(config.ViewerCertificate).toEqual({
      ACMCertificateArn: 'arn:aws:acm:us-east-1:1:certificate/c',
      SSLSupportMethod: 'sni-only',
      MinimumProtocolVersion: 'TLSv1.2_2021',
    });
  });

  it('translates the less used settings: headers, forwarded values, signers, logging, geo restriction', () => {
    const config = toDistributionConfig(
      templateConfig({
        Comment: undefined,
        Origins: [
          {
            Id: 'app',
            DomainName: 'app.example.com',
            OriginCustomHeaders: [{ HeaderName: 'X-Origin-Verify', HeaderValue: 's3cret' }],
            CustomOriginConfig: { OriginProtocolPolicy: 'https-only', HTTPSPort: 8443 },
          },
        ],
        DefaultCacheBehavior: {
          TargetOriginId: 'app',
          ViewerProtocolPolicy: 'https-only',
          ForwardedValues: {
            QueryString: true,
            Headers: ['Host'],
            Cookies: { Forward: 'whitelist', WhitelistedNames: ['s'] },
          },
          TrustedKeyGroups: ['kg1'],
          FunctionAssociations: [{ EventType: 'viewer-request', FunctionARN: 'arn:f' }],
        },
        CacheBehaviors: undefined,
        CustomErrorResponses: undefined,
        Logging: { Bucket: 'logs.s3.amazonaws.com', Prefix: 'cf/' },
        Restrictions: { GeoRestriction: { RestrictionType: 'blacklist', Locations: ['KP'] } },
      }),
      'ref',
    );

    expect(config.Comment).toBe('');
    expect(config.Origins?.Items?.[0]).toMatchObject({
      CustomHeaders: { Quantity: 1, Items: [{ HeaderName: 'X-Origin-Verify', HeaderValue: 's3cret' }] },
      CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 8443 },
    });
    expect(config.DefaultCacheBehavior).toMatchObject({
      ForwardedValues: {
        QueryString: true,
        Headers: { Quantity: 1, Items: ['Host'] },
        Cookies: { Forward: 'whitelist', WhitelistedNames: { Quantity: 1, Items: ['s'] } },
      },
      TrustedKeyGroups: { Enabled: true, Quantity: 1, Items: ['kg1'] },
      FunctionAssociations: { Quantity: 1, Items: [{ EventType: 'viewer-request', FunctionARN: 'arn:f' }] },
    });
    expect(config.CacheBehaviors).toEqual({ Quantity: 0, Items: [] });
    expect(config.CustomErrorResponses).toEqual({ Quantity: 0, Items: [] });
    expect(config.Logging).toEqual({
      Enabled: true,
      IncludeCookies: false,
      Bucket: 'logs.s3.amazonaws.com',
      Prefix: 'cf/',
    });
    expect(config.Restrictions).toEqual({
      GeoRestriction: { RestrictionType: 'blacklist', Quantity: 1, Items: ['KP'] },
    });
  });
});
