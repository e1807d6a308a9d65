import type { DistributionConfig } from '@aws-sdk/client-cloudfront';
import {
  type BufferedResponse,
  customErrorResponse,
  ErrorResponseCache,
} from '../../../scripts/local/edge/error-responses';

const distribution = {
  CustomErrorResponses: {
    Quantity: 3,
    Items: [
      {
        ErrorCode: 502,
        ResponsePagePath: '/maintenance/index.html',
        ResponseCode: '503',
        ErrorCachingMinTTL: 5,
      },
      { ErrorCode: 504, ResponsePagePath: '/maintenance/index.html' },
      { ErrorCode: 500, ErrorCachingMinTTL: 30 },
    ],
  },
} as DistributionConfig;

const page = (status = 200): BufferedResponse => ({
  status,
  headers: { 'content-type': 'text/html; charset=utf-8', etag: '"x"' },
  body: Buffer.from('<p>maintenance</p>'),
});

describe('customErrorResponse', () => {
  it('answers the page at ResponsePagePath with ResponseCode, kept for ErrorCachingMinTTL', async () => {
    const fetched: string[] = [];
    const answer = await customErrorResponse(distribution, 502, async (path) => {
      fetched.push(path);
      return page();
    });
    expect(fetched).toEqual(['/maintenance/index.html']);
    expect(answer).toEqual({
      response: { status: 503, headers: { 'content-type': 'text/html; charset=utf-8' }, body: page().body },
      ttlSeconds: 5,
    });
  });

  it('keeps the origin’s status without a ResponseCode, and CloudFront’s 10 s without a TTL', async () => {
    const answer = await customErrorResponse(distribution, 504, async () => page());
    expect(answer?.response.status).toBe(504);
    expect(answer?.ttlSeconds).toBe(10);
  });

  it('gives what the page’s origin answered when the page is not there', async () => {
    const missing = {
      status: 404,
      headers: { 'content-type': 'application/xml' },
      body: Buffer.from('<NoSuchKey/>'),
    };
    expect(await customErrorResponse(distribution, 502, async () => missing)).toEqual({
      response: missing,
      ttlSeconds: 5,
    });
  });

  it('leaves a status without an error page to the origin', async () => {
    const never = jest.fn(async () => page());
    expect(await customErrorResponse(distribution, 500, never)).toBeUndefined();
    expect(await customErrorResponse(distribution, 503, never)).toBeUndefined();
    expect(await customErrorResponse({} as DistributionConfig, 502, never)).toBeUndefined();
    expect(never).not.toHaveBeenCalled();
  });
});

describe('ErrorResponseCache', () => {
  it('holds a response per path until its TTL has passed', () => {
    let now = 1_000;
    const cache = new ErrorResponseCache(() => now);
    cache.put('/a', page(503), 5);
    now += 4_999;
    expect(cache.get('/a')?.status).toBe(503);
    expect(cache.get('/b')).toBeUndefined();
    now += 1;
    expect(cache.get('/a')).toBeUndefined();
  });

  it('keeps nothing with a TTL of 0', () => {
    const cache = new ErrorResponseCache(() => 0);
    cache.put('/a', page(503), 0);
    expect(cache.get('/a')).toBeUndefined();
  });

  it('bounds how many paths it holds, dropping the oldest first', () => {
    const cache = new ErrorResponseCache(() => 0, 2);
    cache.put('/1', page(503), 60);
    cache.put('/2', page(503), 60);
    cache.put('/3', page(503), 60);
    expect([cache.get('/1'), cache.get('/2'), cache.get('/3')].map((r) => r?.status)).toEqual([
      undefined,
      503,
      503,
    ]);
  });
});
