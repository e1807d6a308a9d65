import type * as z from 'zod/mini';
import type { Role } from '../domain/roles';
import {
  bypassChange,
  bypassListing,
  createWindowBody,
  exemptionsChange,
  exemptionsListing,
  historyPage,
  setMaintenanceAnswer,
  setMaintenanceBody,
  statusAnswer,
  updateBypassBody,
  updateExemptionsBody,
  windowAnswer,
  windowsListing,
} from './schemas';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What every route has, whoever calls it. */
export interface Route {
  method: HttpMethod;
  /** As API Gateway and serverless.yml write it: `/maintenance/windows/{id}`, each `{name}` one path segment. */
  path: string;
  /** What calling it does, for the words of a refusal: "only an admin token may change the bypass set". */
  action: string;
}

/** A route for bearer tokens: the least role it needs, its JSON body's strict schema (if it takes a body), its answer's. */
export interface TokenRoute<TBody = unknown, TAnswer = unknown> extends Route {
  role: Role;
  body?: z.ZodMiniType<TBody>;
  answer: z.ZodMiniType<TAnswer>;
}

/** A route Slack calls: its signature stands in for a token, its body is Slack's form, its answer a Slack message. */
export interface SlackRoute extends Route {
  role: 'slack-signature';
}

/**
 * The HTTP API, one entry a route. Each key is the name of the function in serverless.yml that serves the
 * route (test/integration/routes-agree.test.ts holds the two to each other). Handlers (handlers/lib/http.ts),
 * the not-found route's Allow and the CLI's client (src/cli/api-client.ts) all read their routes here.
 *
 * @example
 * API.updateBypass.role // 'admin'
 * API.updateBypass.body.safeParse({ add: ['192.0.2.1'] }).success // true
 */
export const API = {
  getMaintenance: {
    method: 'GET',
    path: '/maintenance',
    role: 'operator',
    action: 'read the status',
    answer: statusAnswer,
  },
  setMaintenance: {
    method: 'POST',
    path: '/maintenance',
    role: 'operator',
    action: 'turn maintenance on or off',
    body: setMaintenanceBody,
    answer: setMaintenanceAnswer,
  },
  getBypass: {
    method: 'GET',
    path: '/maintenance/bypass',
    role: 'operator',
    action: 'list the bypass set',
    answer: bypassListing,
  },
  updateBypass: {
    method: 'POST',
    path: '/maintenance/bypass',
    role: 'admin',
    action: 'change the bypass set',
    body: updateBypassBody,
    answer: bypassChange,
  },
  getExemptions: {
    method: 'GET',
    path: '/maintenance/exemptions',
    role: 'operator',
    action: 'list the exempt paths',
    answer: exemptionsListing,
  },
  updateExemptions: {
    method: 'POST',
    path: '/maintenance/exemptions',
    role: 'admin',
    action: 'change the exempt paths',
    body: updateExemptionsBody,
    answer: exemptionsChange,
  },
  createWindow: {
    method: 'POST',
    path: '/maintenance/windows',
    role: 'operator',
    action: 'schedule a maintenance window',
    body: createWindowBody,
    answer: windowAnswer,
  },
  listWindows: {
    method: 'GET',
    path: '/maintenance/windows',
    role: 'operator',
    action: 'list the maintenance windows',
    answer: windowsListing,
  },
  cancelWindow: {
    method: 'DELETE',
    path: '/maintenance/windows/{id}',
    role: 'operator',
    action: 'cancel a maintenance window',
    answer: windowAnswer,
  },
  getHistory: {
    method: 'GET',
    path: '/maintenance/history',
    role: 'operator',
    action: 'read the history',
    // Query: limit (1-100, default 20) and cursor, read by src/domain/values/history-query.ts.
    answer: historyPage,
  },
  slackCommand: {
    method: 'POST',
    path: '/slack/command',
    role: 'slack-signature',
    action: 'run a slash command',
  },
} as const satisfies Record<string, TokenRoute | SlackRoute>;

/** The body a route's handler gets: its schema's output, or undefined for a route without a body. */
export type BodyOf<R> = R extends { body: infer S extends z.ZodMiniType } ? z.output<S> : undefined;
/** The body a client sends: its schema's input. */
export type RequestOf<R> = R extends { body: infer S extends z.ZodMiniType } ? z.input<S> : undefined;
/** What a 2xx answer holds, as a client reads it. */
export type AnswerOf<R> = R extends { answer: infer S extends z.ZodMiniType } ? z.output<S> : never;

type ParamNames<P extends string> = P extends `${string}{${infer N}}${infer Rest}`
  ? N | ParamNames<Rest>
  : never;
/** The values of a path's `{name}` segments: `{ id: string }` for `/maintenance/windows/{id}`. */
export type PathParams<P extends string> = Record<ParamNames<P>, string>;

const isParam = (segment: string) => segment.startsWith('{') && segment.endsWith('}');

/** Whether `path` is one that `pattern` (a route's path) serves, as API Gateway matches them. */
function matches(pattern: string, path: string): boolean {
  const want = pattern.split('/');
  const got = path.split('/');
  return want.length === got.length && want.every((s, i) => (isParam(s) ? got[i] !== '' : s === got[i]));
}

/**
 * The methods some route serves on `path`, in the description's order; empty for a path no route has.
 *
 * @example
 * allowedMethods('/maintenance') // ['GET', 'POST']
 * allowedMethods('/nope') // []
 */
export function allowedMethods(path: string, routes: readonly Route[] = Object.values(API)): HttpMethod[] {
  return [...new Set(routes.filter((route) => matches(route.path, path)).map((route) => route.method))];
}

/**
 * A route's path with its `{name}` segments filled in, each percent-encoded. Throws if one has no value.
 *
 * @example
 * fillPath('/maintenance/windows/{id}', { id: 'w 1' }) // '/maintenance/windows/w%201'
 */
export function fillPath<P extends string>(path: P, params: PathParams<P>): string {
  const values: Partial<Record<string, string>> = params;
  return path
    .split('/')
    .map((segment) => {
      if (!isParam(segment)) return segment;
      const value = values[segment.slice(1, -1)];
      if (value === undefined || value === '') throw new Error(`${path} needs a value for ${segment}`);
      return encodeURIComponent(value);
    })
    .join('/');
}
