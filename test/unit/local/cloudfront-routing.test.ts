import type { DistributionConfig } from '@aws-sdk/client-cloudfront';
import {
  pathPatternMatches,
  s3BucketOf,
  selectBehaviour,
} from '../../../scripts/local/edge/cloudfront-routing';

describe('pathPatternMatches', () => {
  it.each([
    ['/maintenance/*', '/maintenance/style.css', true],
    ['/maintenance/*', '/maintenance/', true],
    ['/maintenance/*', '/maintenance', false],
    ['/maintenance/*', '/maintenance/a/b/c.js', true],
    ['maintenance/*', '/maintenance/index.html', true],
    ['/Maintenance/*', '/maintenance/index.html', false],
    ['*.jpg', '/images/a.jpg', true],
    ['/images/*.jpg', '/images/sub/a.jpg', true],
    ['/images/*.jpg', '/images/a.jpeg', false],
    ['/a?c', '/abc', true],
    ['/a?c', '/ac', false],
    ['/a?c', '/abbc', false],
    ['/v1.0/*', '/v1x0/x', false],
    ['/(x)+[y]/*', '/(x)+[y]/z', true],
    ['*', '/anything?at=all', true],
  ])('%s against %s is %s', (pattern, path, expected) => {
    expect(pathPatternMatches(pattern, path)).toBe(expected);
  });
});

const config = (
  behaviours: Array<{ PathPattern: string; TargetOriginId: string; methods?: string[] }>,
): DistributionConfig =>
  ({
    Origins: {
      Quantity: 3,
      Items: [
        {
          Id: 'app',
          DomainName: 'origin.invalid',
          CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: 'https-only' },
        },
        { Id: 'maintenance-site', DomainName: 'site-bucket.s3.us-east-1.amazonaws.com' },
        { Id: 'assets', DomainName: 'assets.s3.amazonaws.com' },
      ],
    },
    DefaultCacheBehavior: {
      TargetOriginId: 'app',
      AllowedMethods: { Quantity: 3, Items: ['GET', 'HEAD', 'POST'] },
    },
    CacheBehaviors: {
      Quantity: behaviours.length,
      Items: behaviours.map((b) => ({
        PathPattern: b.PathPattern,
        TargetOriginId: b.TargetOriginId,
        ...(b.methods ? { AllowedMethods: { Quantity: b.methods.length, Items: b.methods } } : {}),
      })),
    },
  }) as unknown as DistributionConfig;

describe('selectBehaviour', () => {
  const distribution = config([
    { PathPattern: '/maintenance/*', TargetOriginId: 'maintenance-site', methods: ['GET', 'HEAD'] },
    { PathPattern: '/maintenance/*.png', TargetOriginId: 'assets' },
  ]);

  it('takes the first cache behaviour whose pattern matches, in the listed order', () => {
    expect(selectBehaviour(distribution, '/maintenance/logo.png')).toMatchObject({
      pathPattern: '/maintenance/*',
      origin: { Id: 'maintenance-site' },
      allowedMethods: ['GET', 'HEAD'],
    });
  });

  it('falls back to the default cache behaviour', () => {
    expect(selectBehaviour(distribution, '/checkout')).toMatchObject({
      pathPattern: '*',
      origin: { Id: 'app' },
      allowedMethods: ['GET', 'HEAD', 'POST'],
    });
  });

  it('gives a behaviour without allowed methods GET and HEAD', () => {
    const later = config([{ PathPattern: '/img/*', TargetOriginId: 'assets' }]);
    expect(selectBehaviour(later, '/img/a.png').allowedMethods).toEqual(['GET', 'HEAD']);
  });

  it('refuses a behaviour whose origin the distribution does not have', () => {
    expect(() => selectBehaviour(config([{ PathPattern: '/x/*', TargetOriginId: 'gone' }]), '/x/y')).toThrow(
      /origin "gone", which it does not have/,
    );
  });
});

describe('s3BucketOf', () => {
  it.each([
    ['site-bucket.s3.us-east-1.amazonaws.com', 'site-bucket'],
    ['assets.s3.amazonaws.com', 'assets'],
    ['old.bucket.s3-eu-west-1.amazonaws.com', 'old.bucket'],
    ['origin.invalid', undefined],
  ])('reads %s as %s', (domain, bucket) => {
    expect(s3BucketOf({ Id: 'o', DomainName: domain })).toBe(bucket);
  });

  it('never reads a custom origin as a bucket', () => {
    expect(
      s3BucketOf({
        Id: 'web',
        DomainName: 'site.s3-website-us-east-1.amazonaws.com',
        CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: 'http-only' },
      }),
    ).toBeUndefined();
  });
});
