import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { createHandler as createGet } from '../../handlers/get-exemptions';
import { createHandler as createUpdate } from '../../handlers/update-exemptions';
import { API, type Route } from '../../src/api/routes';
import { ROLES, type Role } from '../../src/domain/roles';
import { httpEvent, lambdaContext } from './events';
import {
  ADMIN_TOKEN,
  FAST_RETRIES,
  FakeClock,
  InMemoryAuditLog,
  InMemoryRuleGroup,
  InMemoryTokenRegistry,
  OPERATOR_TOKEN,
} from './fakes';

/** A bearer token for each role, held by `<role>-bot`. */
export const TOKENS: Record<Role, string> = { operator: OPERATOR_TOKEN, admin: ADMIN_TOKEN };

/** What the exemption handlers need, as fakes: the switch's group (off, no exempt path) and a token per role. */
export function exemptionDeps() {
  return {
    ruleGroup: new InMemoryRuleGroup(),
    audit: new InMemoryAuditLog(),
    tokens: new InMemoryTokenRegistry(ROLES.map((role) => [TOKENS[role], `${role}-bot`, role])),
    clock: new FakeClock(),
    policy: FAST_RETRIES,
  };
}

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>;

/** A request as the handlers got it, for asserting on what the CLI sent. */
export interface Served {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/**
 * A fetch for the CLI's client that serves each route by its handler, in-process: the request becomes
 * the event API Gateway would send, the handler's result the response. A route it does not serve is 404.
 */
export function handlerFetch(routes: ReadonlyArray<readonly [Route, Handler]>) {
  const served: Served[] = [];
  const fetch = async (
    url: URL,
    init: { method: string; headers: Record<string, string>; body?: string },
  ) => {
    const request = { method: init.method, path: url.pathname, headers: init.headers, body: init.body };
    served.push(request);
    const handler = routes.find(([route]) => route.method === request.method && route.path === request.path);
    if (!handler) return new Response('', { status: 404 });
    const result = (await handler[1](httpEvent(request), lambdaContext)) as APIGatewayProxyStructuredResultV2;
    const headers = Object.entries(result.headers ?? {}).map(([name, value]): [string, string] => [
      name,
      String(value),
    ]);
    return new Response(result.body ?? '', { status: result.statusCode ?? 200, headers });
  };
  return { fetch: fetch as unknown as typeof globalThis.fetch, served };
}

/** Both exemption routes served by their handlers over `deps`. */
export function exemptionsFetch(deps: ReturnType<typeof exemptionDeps>) {
  return handlerFetch([
    [API.getExemptions, createGet(deps)],
    [API.updateExemptions, createUpdate(deps)],
  ]);
}
