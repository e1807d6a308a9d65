import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { API } from '../src/api/routes';
import { listHistory } from '../src/use-cases/list-history';
import { awsDeps, type Deps } from './lib/aws-deps';
import { httpRoute } from './lib/http';

/**
 * The query's parameters, each with every value it was given. From the raw query string: API Gateway's
 * `queryStringParameters` joins a repeated parameter's values with commas, which would hide a repeat.
 */
function queryParams(event: APIGatewayProxyEventV2): Record<string, string[]> {
  const params: Record<string, string[]> = {};
  for (const [name, value] of new URLSearchParams(event.rawQueryString ?? '')) {
    params[name] = [...(params[name] ?? []), value];
  }
  return params;
}

/** GET /maintenance/history (operator): every change, newest first, a page at a time. */
export function createHandler(deps: Pick<Deps, 'audit' | 'tokens'> & Partial<Pick<Deps, 'logger'>>) {
  return httpRoute(API.getHistory, deps, async ({ event }) => ({
    statusCode: 200,
    body: await listHistory(deps, queryParams(event)),
  }));
}

export const handler = createHandler(awsDeps());
