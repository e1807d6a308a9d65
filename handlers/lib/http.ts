import middy, { type MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import { UpstreamError, ValidationError } from '../../src/domain/errors';
import type { Principal, Role } from '../../src/domain/roles';
import type { TokenRegistry } from '../../src/ports/token-registry';
import { authenticate } from '../../src/use-cases/authenticate';
import { HttpError } from './http-errors';
import { BASE_HEADERS, toProblem } from './problem';

export const MAX_BODY_BYTES = 1024 * 1024;

type Event = APIGatewayProxyEventV2;
type Result = APIGatewayProxyStructuredResultV2;

export interface RouteContext<TBody> {
  principal: Principal;
  body: TBody;
  event: Event;
}

export interface RouteOptions<TBody> {
  role: Role;
  tokens: TokenRegistry;
  /** A strict zod schema for the JSON body; omit for routes without a body. */
  body?: z.ZodMiniType<TBody>;
}

/** `{ status, body }` from a route becomes a JSON response with the shared headers. */
export interface RouteResult {
  statusCode: number;
  body: unknown;
}

/** A request header by lower-case name, whatever casing the event carries. */
export function header(event: Event, name: string): string | undefined {
  // HTTP API lower-cases header names; REST (and some tests) may not.
  const headers = event.headers ?? {};
  return headers[name] ?? Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
}

function bearerToken(event: Event): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header(event, 'authorization') ?? '');
  return match?.[1];
}

/** The body's bytes as the client sent them, base64-decoded when API Gateway encoded them. */
export function rawBody(event: Event): Buffer {
  if (event.body === undefined || event.body === null) return Buffer.alloc(0);
  return Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
}

/**
 * A second before the Lambda's own timeout, answer 502 rather than let Lambda cut the function off (which
 * API Gateway turns into a bare 500/503): the problem says the outcome is unknown, and how to find it out.
 */
export const BEFORE_TIMEOUT = {
  timeoutEarlyInMillis: 1_000,
  timeoutEarlyResponse: (): never => {
    throw new UpstreamError(
      'AWS did not answer in time; the change may or may not have been applied. Check GET /maintenance before retrying.',
    );
  },
};

/** Refused before anything else runs: maps every throw below to a problem response. */
const problemResponses: MiddlewareObj<Event, Result> = {
  onError: async (request) => {
    request.response = toProblem(request.error);
  },
};

/**
 * Parses and validates the body: 413 over 1 MiB, 415 unless `application/json`, 400 for malformed JSON,
 * wrong types or unknown fields (each listed in `errors`).
 */
function parseBody<TBody>(event: Event, schema: z.ZodMiniType<TBody>): TBody {
  const raw = rawBody(event);
  if (raw.length > MAX_BODY_BYTES) {
    throw new HttpError(
      413,
      'Payload too large',
      `The body is ${raw.length} bytes; the limit is ${MAX_BODY_BYTES}.`,
    );
  }
  const type = (header(event, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new HttpError(
      415,
      'Unsupported media type',
      'Send the body as JSON with Content-Type: application/json.',
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new ValidationError(
      [{ field: 'body', message: 'is not valid JSON' }],
      'The body is not valid JSON.',
    );
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new ValidationError(
      parsed.error.issues.flatMap((issue) => {
        const at = issue.path.join('.');
        // Name each unknown key, so the caller sees which one to drop.
        if (issue.code === 'unrecognized_keys') {
          return issue.keys.map((key) => ({
            field: at ? `${at}.${key}` : key,
            message: 'is not a known field',
          }));
        }
        return [{ field: at || 'body', message: issue.message }];
      }),
    );
  }
  return parsed.data;
}

/**
 * The one middleware stack every authenticated route shares, in the order the contract's status codes
 * need: problem+json errors, bearer auth (401/403), then body size (413), media type (415), JSON and
 * schema (400). Nothing reaches `route` unless all of them pass, so a refused request changes nothing.
 *
 * @example
 * export const handler = httpRoute({ role: 'operator', tokens }, async () => ({ statusCode: 200, body: status }));
 */
export function httpRoute<TBody = undefined>(
  options: RouteOptions<TBody>,
  route: (ctx: RouteContext<TBody>) => Promise<RouteResult>,
) {
  return middy<Event, Result, Error, Context>(BEFORE_TIMEOUT)
    .use(problemResponses)
    .handler(async (event) => {
      const principal = await authenticate(
        { tokens: options.tokens },
        { token: bearerToken(event), required: options.role },
      );
      const body = options.body ? parseBody(event, options.body) : (undefined as TBody);
      const result = await route({ principal, body, event });
      return {
        statusCode: result.statusCode,
        headers: { ...BASE_HEADERS, 'content-type': 'application/json' },
        body: JSON.stringify(result.body),
      };
    });
}
