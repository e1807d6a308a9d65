import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { fillPath } from '../../src/api/routes';

/** An API Gateway HTTP API (payload 2.0) event as a deployed API sends it: header names lower-cased. */
export function httpEvent(
  overrides: {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
    isBase64Encoded?: boolean;
    /** As sent, `limit=5&cursor=...`; queryStringParameters joins repeats with commas, as API Gateway does. */
    rawQueryString?: string;
    /** The values of the route's `{name}` segments: the path is then the route's, filled in. */
    pathParameters?: Record<string, string>;
  } = {},
): APIGatewayProxyEventV2 {
  const method = overrides.method ?? 'GET';
  const route = overrides.path ?? '/maintenance';
  const params = overrides.pathParameters;
  const path = params ? fillPath(route, params) : route;
  const rawQueryString = overrides.rawQueryString ?? '';
  const joined: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    joined[name] = name in joined ? `${joined[name]},${value}` : value;
  }
  return {
    version: '2.0',
    routeKey: `${method} ${route}`,
    rawPath: path,
    ...(params ? { pathParameters: params } : {}),
    rawQueryString,
    ...(rawQueryString ? { queryStringParameters: joined } : {}),
    headers: overrides.headers ?? {},
    body: overrides.body,
    isBase64Encoded: overrides.isBase64Encoded ?? false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '198.51.100.7', userAgent: 'jest' },
      requestId: 'req-1',
      routeKey: `${method} ${route}`,
      stage: '$default',
      time: '23/Nov/2026:10:00:00 +0000',
      timeEpoch: 0,
    },
  };
}

/** A JSON POST with a bearer token. */
export function jsonPost(
  token: string | undefined,
  body: unknown,
  path = '/maintenance',
): APIGatewayProxyEventV2 {
  return httpEvent({
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export const lambdaContext = {
  functionName: 'test',
  getRemainingTimeInMillis: () => 28_000,
} as unknown as Context;

/** A Lambda context whose remaining time counts down from `timeoutMs`, as Lambda's does. */
export function countingDownContext(timeoutMs: number): Context {
  const started = Date.now();
  return {
    functionName: 'test',
    getRemainingTimeInMillis: () => timeoutMs - (Date.now() - started),
  } as unknown as Context;
}

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>;

/** Invokes a middy handler and returns status, lower-cased headers and the parsed JSON body. */
export async function invoke(handler: Handler, event: APIGatewayProxyEventV2, context = lambdaContext) {
  const result = (await handler(event, context)) as APIGatewayProxyStructuredResultV2;
  const headers = Object.fromEntries(
    Object.entries(result.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]),
  );
  return {
    status: result.statusCode ?? 200,
    headers,
    body: result.body ? JSON.parse(result.body) : undefined,
  };
}
