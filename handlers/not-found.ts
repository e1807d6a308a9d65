import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { HttpError } from './lib/http-errors';
import { toProblem } from './lib/problem';

/** The methods each known path answers; anything else on them is 405, any other path 404. */
export const ROUTES: Record<string, string[]> = {
  '/maintenance': ['GET', 'POST'],
  '/maintenance/bypass': ['GET', 'POST'],
  '/slack/command': ['POST'],
};

/** The `$default` route: unknown paths and methods get problem+json instead of the gateway's own 404. */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>().handler(
  async (event) => {
    const path = event.rawPath ?? '/';
    const method = event.requestContext?.http?.method ?? 'GET';
    const allowed = ROUTES[path];
    if (allowed) {
      return toProblem(
        new HttpError(405, 'Method not allowed', `${method} is not allowed on ${path}.`, {
          allow: allowed.join(', '),
        }),
      );
    }
    return toProblem(new HttpError(404, 'Not found', `No route for ${method} ${path}.`));
  },
);
