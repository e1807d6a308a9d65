import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { AnswerOf, BodyOf, TokenRoute } from '../../src/api/routes';
import type { Deadline } from '../../src/domain/deadline';
import type { Principal } from '../../src/domain/roles';
import { type Clock, systemClock } from '../../src/ports/clock';
import type { Logger } from '../../src/ports/logger';
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

export interface RouteDeps {
  tokens: TokenRegistry;
  clock?: Clock;
  /** Where a 5xx is logged; the JSON console logger when none is given. */
  logger?: Logger;
}

/** `{ statusCode, body }` from a route becomes a JSON response with the shared headers. */
export interface RouteResult<TAnswer> {
  statusCode: number;
  body: TAnswer;
}

function bearerToken(event: Event): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header(event, 'authorization') ?? '');
  return match?.[1];
}

/**
 * The one handler shape every authenticated route shares, in the order the contract's status codes need:
 * bearer auth (401/403) for the route's role, then the body by the route's schema (413, 415, 400), then
 * `handle`, whose answer must be what the route describes. Nothing reaches `handle` unless all pass, so a
 * refused request changes nothing. Role and schema come from the route's description (src/api/routes.ts)
 * alone, so a handler cannot disagree with it.
 *
 * The whole request runs under one deadline (the Lambda's remaining time less a second): every AWS call
 * carries it, the answer goes out by then at the latest, and once it has gone out nothing the request
 * started can send anything to AWS. A failure's problem says what became of the change (`Deadline.outcome`).
 *
 * @example
 * export const handler = httpRoute(API.getBypass, { tokens }, async () => ({ statusCode: 200, body: listing }));
 */
export function httpRoute<R extends TokenRoute>(
  route: R,
  deps: RouteDeps,
  handle: (ctx: RouteContext<BodyOf<R>>) => Promise<RouteResult<AnswerOf<R>>>,
) {
  const clock = deps.clock ?? systemClock;
  // middy's own early timeout is off: it shares one AbortController between invocations and aborts
  // nothing when the handler answers; answerInTime does both per request.
  return middy<Event, Result, Error, Context>({ timeoutEarlyInMillis: 0 }).handler(async (event, context) => {
    const deadline = requestDeadline(context, clock);
    try {
      const result = await answerInTime(deadline, async () => {
        const principal = await authenticate(
          { tokens: deps.tokens },
          { token: bearerToken(event), required: route.role },
        );
        const body = (route.body ? readJsonBody(event, route.body) : undefined) as BodyOf<R>;
        return handle({ principal, body, event, deadline });
      });
      return {
        statusCode: result.statusCode,
        headers: { ...BASE_HEADERS, 'content-type': 'application/json' },
        body: JSON.stringify(result.body),
      };
    } catch (error) {
      return toProblem(error, deadline.outcome(), deps.logger);
    }
  });
}
