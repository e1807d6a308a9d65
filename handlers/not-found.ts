import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { allowedMethods } from '../src/api/routes';
import { HttpError } from './lib/http-errors';
import { toProblem } from './lib/problem';

/**
 * The `$default` route: unknown paths and methods get problem+json instead of the gateway's own 404. A
 * path some route of the API description serves is 405 with the methods it serves; any other path 404.
 */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>().handler(
  async (event) => {
    const path = event.rawPath ?? '/';
    const method = event.requestContext?.http?.method ?? 'GET';
    const allowed = allowedMethods(path);
    if (allowed.length > 0) {
      return toProblem(
        new HttpError(405, 'Method not allowed', `${method} is not allowed on ${path}.`, {
          allow: allowed.join(', '),
        }),
      );
    }
    return toProblem(new HttpError(404, 'Not found', `No route for ${method} ${path}.`));
  },
);
