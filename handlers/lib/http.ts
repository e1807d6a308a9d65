import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import type { Deadline } from '../../src/domain/deadline';
import type { Principal, Role } from '../../src/domain/roles';
import { type Clock, systemClock } from '../../src/ports/clock';
import type { TokenRegistry } from '../../src/ports/token-registry';
import { authenticate } from '../../src/use-cases/authenticate';
import { answerInTime, requestDeadline } from './answer-in-time';
import { header, readJsonBody } from './json-body';
import { BASE_HEADERS, toProblem } from './problem';

export { header, MAX_BODY_BYTES, rawBody } from './json-body';

type Event = APIGatewayProxyEventV2;
type Result = APIGatewayProxyStructuredResultV2;

export interface RouteContext<TBody> {
  principal: Principal;
  body: TBody;
  event: Event;
  /** The request's deadline: hand it to the use case, which checks it before every write. */
  deadline: Deadline;
}

export interface RouteOptions<TBody> {
  role: Role;
  tokens: TokenRegistry;
  /** A strict zod schema for the JSON body; omit for routes without a body. */
  body?: z.ZodMiniType<TBody>;
  clock?: Clock;
}

/** `{ status, body }` from a route becomes a JSON response with the shared headers. */
export interface RouteResult {
  statusCode: number;
  body: unknown;
}

function bearerToken(event: Event): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header(event, 'authorization') ?? '');
  return match?.[1];
}

/**
 * The one handler shape every authenticated route shares, in the order the contract's status codes need:
 * bearer auth (401/403), then the body (413, 415, 400), then the route. Nothing reaches `route` unless all
 * pass, so a refused request changes nothing.
 *
 * The whole request runs under one deadline (the Lambda's remaining time less a second): every AWS call
 * carries it, the answer goes out by then at the latest, and once it has gone out nothing the request
 * started can send anything to AWS. A failure's problem says what became of the change (`Deadline.outcome`).
 *
 * @example
 * export const handler = httpRoute({ role: 'operator', tokens }, async () => ({ statusCode: 200, body: status }));
 */
export function httpRoute<TBody = undefined>(
  options: RouteOptions<TBody>,
  route: (ctx: RouteContext<TBody>) => Promise<RouteResult>,
) {
  const clock = options.clock ?? systemClock;
  // middy's own early timeout is off: it shares one AbortController between invocations and aborts
  // nothing when the handler answers; answerInTime does both per request.
  return middy<Event, Result, Error, Context>({ timeoutEarlyInMillis: 0 }).handler(async (event, context) => {
    const deadline = requestDeadline(context, clock);
    try {
      const result = await answerInTime(deadline, async () => {
        const principal = await authenticate(
          { tokens: options.tokens },
          { token: bearerToken(event), required: options.role },
        );
        const body = options.body ? readJsonBody(event, options.body) : (undefined as TBody);
        return route({ principal, body, event, deadline });
      });
      return {
        statusCode: result.statusCode,
        headers: { ...BASE_HEADERS, 'content-type': 'application/json' },
        body: JSON.stringify(result.body),
      };
    } catch (error) {
      return toProblem(error, deadline.outcome());
    }
  });
}
