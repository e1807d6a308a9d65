import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { DomainError, type ErrorCode, PartialChangeError, ValidationError } from '../../src/domain/errors';
import { HttpError } from './http-errors';

/** The one map from the core's error codes to HTTP (RFC 9457 problem details). */
const BY_CODE: Record<ErrorCode, { status: number; title: string }> = {
  validation: { status: 400, title: 'Invalid request' },
  unauthenticated: { status: 401, title: 'Unauthenticated' },
  forbidden: { status: 403, title: 'Forbidden' },
  conflict: { status: 409, title: 'Conflicting change' },
  'stale-lock': { status: 409, title: 'Conflicting change' },
  throttled: { status: 502, title: 'AWS is throttling' },
  upstream: { status: 502, title: 'AWS failed' },
  misconfigured: { status: 502, title: 'Deployment is misconfigured' },
  'partial-change': { status: 502, title: 'Change only partly applied' },
};

export const PROBLEM_TYPE_BASE = 'urn:waf-maintenance:problem:';

export const BASE_HEADERS = { 'cache-control': 'no-store' } as const;

function problem(
  status: number,
  slug: string,
  title: string,
  detail: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: status,
    headers: { ...BASE_HEADERS, 'content-type': 'application/problem+json', ...headers },
    body: JSON.stringify({ type: `${PROBLEM_TYPE_BASE}${slug}`, title, status, detail, ...extra }),
  };
}

/**
 * Renders any thrown value as a problem response. Unknown errors are bugs: logged, and answered with a
 * 500 that exposes nothing.
 */
export function toProblem(error: unknown): APIGatewayProxyStructuredResultV2 {
  if (error instanceof HttpError) {
    return problem(error.status, slugify(error.title), error.title, error.message, {}, error.headers);
  }
  if (error instanceof DomainError) {
    const { status, title } = BY_CODE[error.code];
    const extra =
      error instanceof ValidationError
        ? { errors: error.errors }
        : error instanceof PartialChangeError
          ? { applied: error.applied }
          : {};
    const headers: Record<string, string> =
      error.code === 'unauthenticated' ? { 'www-authenticate': 'Bearer realm="waf-maintenance"' } : {};
    if (status >= 500)
      console.error(
        JSON.stringify({
          level: 'error',
          code: error.code,
          message: error.message,
          cause: String(error.cause ?? ''),
        }),
      );
    return problem(status, error.code, title, error.message, extra, headers);
  }
  console.error(
    JSON.stringify({
      level: 'error',
      message: 'unhandled error',
      error: String(error),
      stack: (error as Error)?.stack,
    }),
  );
  return problem(
    500,
    'internal',
    'Internal error',
    'Something went wrong on our side; nothing about it is exposed here.',
  );
}

function slugify(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}
