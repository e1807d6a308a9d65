import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { jsonLogger } from '../../src/adapters/json-logger';
import { DomainError, type ErrorCode, PartialChangeError, ValidationError } from '../../src/domain/errors';
import type { Logger } from '../../src/ports/logger';
import { HttpError } from './http-errors';

/** The one map from the core's error codes to HTTP (RFC 9457 problem details). */
const BY_CODE: Record<ErrorCode, { status: number; title: string }> = {
  validation: { status: 400, title: 'Invalid request' },
  unauthenticated: { status: 401, title: 'Unauthenticated' },
  forbidden: { status: 403, title: 'Forbidden' },
  'not-found': { status: 404, title: 'Not found' },
  conflict: { status: 409, title: 'Conflicting change' },
  'stale-lock': { status: 409, title: 'Conflicting change' },
  throttled: { status: 502, title: 'AWS is throttling' },
  upstream: { status: 502, title: 'AWS failed' },
  timeout: { status: 502, title: 'AWS did not answer in time' },
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

/** What became of the change, for a failed request (`Deadline.outcome`). */
export interface Outcome {
  detail: string;
  unconfirmedWrites: string[];
}

/**
 * A 5xx says what became of the change: the outcome's sentence is added to the detail, and writes sent
 * without an answer are listed in `unconfirmedWrites`. A partial change's detail already says what it applied.
 */
function withOutcome(status: number, detail: string, error: unknown, outcome?: Outcome) {
  if (status < 500 || !outcome) return { detail, extra: {} };
  const extra = outcome.unconfirmedWrites.length ? { unconfirmedWrites: outcome.unconfirmedWrites } : {};
  return { detail: error instanceof PartialChangeError ? detail : `${detail} ${outcome.detail}`, extra };
}

/** The one event a failed request logs: 5xx only (a 4xx is the caller's to fix, and answered in full). */
export const REQUEST_FAILED = 'request-failed';

/**
 * Renders any thrown value as a problem response. A 5xx is logged once, with its code, detail and cause;
 * unknown errors are bugs: logged, and answered with a 500 that exposes nothing but the outcome.
 */
export function toProblem(
  error: unknown,
  outcome?: Outcome,
  logger: Logger = jsonLogger,
): APIGatewayProxyStructuredResultV2 {
  if (error instanceof HttpError) {
    return problem(error.status, slugify(error.title), error.title, error.message, {}, error.headers);
  }
  if (error instanceof DomainError) {
    const { status, title } = BY_CODE[error.code];
    const own =
      error instanceof ValidationError
        ? { errors: error.errors }
        : error instanceof PartialChangeError
          ? { applied: error.applied }
          : {};
    const headers: Record<string, string> =
      error.code === 'unauthenticated' ? { 'www-authenticate': 'Bearer realm="waf-maintenance"' } : {};
    const { detail, extra } = withOutcome(status, error.message, error, outcome);
    if (status >= 500)
      logger.error(REQUEST_FAILED, { code: error.code, message: detail, cause: error.cause });
    return problem(status, error.code, title, detail, { ...own, ...extra }, headers);
  }
  logger.error(REQUEST_FAILED, { code: 'internal', message: 'unhandled error', error });
  const { detail, extra } = withOutcome(
    500,
    'Something went wrong on our side; nothing about it is exposed here.',
    error,
    outcome,
  );
  return problem(500, 'internal', 'Internal error', detail, extra);
}

function slugify(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}
