import {
  type AnswerOf,
  API,
  fillPath,
  type PathParams,
  type RequestOf,
  type TokenRoute,
} from '../api/routes';
import type { BypassChange, SetMaintenanceAnswer, StatusAnswer } from '../api/schemas';
import type { FieldError } from '../domain/errors';
import type { BypassListing } from '../use-cases/list-bypass-set';
import { CliError } from './errors';
import { httpFetch } from './http-fetch';

/** Long enough for a toggle that retries conflicts for its full budget behind API Gateway's 29 s limit. */
export const DEFAULT_TIMEOUT_MS = 35_000;

/** What the client reads of an HTTP answer: the part of fetch's Response that http-fetch.ts provides. */
export interface HttpAnswer {
  ok: boolean;
  status: number;
  statusText: string;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/**
 * What the client needs of fetch. The global fetch fits (tests may pass it); by default the client uses
 * httpFetch, which starts about 110 ms sooner than Node 20's fetch.
 */
export type HttpFetch = (
  url: URL,
  init: { method: string; headers: Record<string, string>; body?: string; signal: AbortSignal },
) => Promise<HttpAnswer>;

export interface ApiClientOptions {
  baseUrl: string;
  token: string;
  fetch?: HttpFetch;
  timeoutMs?: number;
}

/** A successful answer: the parsed body and the text as received, for `--json`. */
export interface ApiAnswer<T> {
  body: T;
  raw: string;
}

export type { BypassChange, SetMaintenanceAnswer, StatusAnswer } from '../api/schemas';

export type SetMaintenanceRequest = RequestOf<typeof API.setMaintenance>;

/** `GET /maintenance/bypass`: every address in both IP sets, sorted by the server. */
export type BypassList = BypassListing;

/** What an add or remove command sends: one list, its entries exactly as typed, for the server to judge. */
export type ChangeRequest = { add: string[] } | { remove: string[] };

/** `POST /maintenance/bypass`: the addresses as given; the server parses and canonicalises them. */
export type BypassChangeRequest = ChangeRequest;

/** `GET /maintenance/exemptions`: the exempt paths, in the order they were added. */
export type ExemptionsList = AnswerOf<typeof API.getExemptions>;

/** `POST /maintenance/exemptions`: what the change did to each path, and how many are exempt now. */
export type ExemptionsChange = AnswerOf<typeof API.updateExemptions>;

/** `GET /maintenance/history`: a page of entries, newest first, and the cursor of the next page (null on the last). */
export type HistoryList = AnswerOf<typeof API.getHistory>;

/** `POST /maintenance/windows`: the moments as typed; the API holds them to the window rules. */
export type WindowRequest = RequestOf<typeof API.createWindow>;

/** A window, as the windows routes answer it. */
export type Window = AnswerOf<typeof API.createWindow>;

/** `GET /maintenance/windows`: the scheduled and active windows, by start. */
export type WindowList = AnswerOf<typeof API.listWindows>;

/** What `history` asks for; a parameter left out is left to the API's default. */
export interface HistoryRequest {
  limit?: number;
  cursor?: string;
}

/** What one call of a route sends besides the token. */
interface Call<R extends TokenRoute> {
  /** The values of the path's `{name}` segments. */
  params?: PathParams<R['path']>;
  /** Query parameters, in this order; one left undefined is not sent. */
  query?: Record<string, string | undefined>;
  body?: RequestOf<R>;
  headers?: Record<string, string>;
}

interface Problem {
  title?: unknown;
  status?: unknown;
  detail?: unknown;
  errors?: unknown;
}

function fieldErrors(value: unknown): FieldError[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) =>
    item && typeof item === 'object' && typeof item.field === 'string' && typeof item.message === 'string'
      ? [{ field: item.field, message: item.message }]
      : [],
  );
}

/**
 * `?name=value&...` for the parameters that have a value, each name and value percent-encoded; empty
 * when none has.
 *
 * @example
 * queryString({ limit: '5', cursor: undefined }) // '?limit=5'
 * queryString({ cursor: 'a b&c' }) // '?cursor=a%20b%26c'
 */
export function queryString(query: Record<string, string | undefined>): string {
  const pairs = Object.entries(query).flatMap(([name, value]) =>
    value === undefined ? [] : [`${encodeURIComponent(name)}=${encodeURIComponent(value)}`],
  );
  return pairs.length === 0 ? '' : `?${pairs.join('&')}`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** What the user can do about a 401 or 403, whatever words the API chose. */
function hintFor(status: number, route: TokenRoute): string {
  if (status === 401) return ' Check MAINTENANCE_TOKEN.';
  if (status !== 403) return '';
  const who = route.role === 'admin' ? 'only an admin token' : 'an operator or admin token';
  return ` The role of MAINTENANCE_TOKEN is too low: ${who} may ${route.action}.`;
}

/**
 * A field error as the user can act on it: one naming a position of a list this request sent (`add[2]`)
 * also quotes the entry sent there, since the user typed a list and the API counts from 0.
 * `{ field: 'add[1]' }` for `{ add: ['/health', 'health'] }` becomes `{ field: 'add[1] "health"' }`.
 */
function withEntrySent(error: FieldError, body: unknown): FieldError {
  const [, list = '', index] = /^(\w+)\[(\d+)\]$/.exec(error.field) ?? [];
  const sent: unknown =
    body && typeof body === 'object' ? (body as Record<string, unknown>)[list] : undefined;
  const entry: unknown = Array.isArray(sent) ? sent[Number(index)] : undefined;
  return typeof entry === 'string' ? { ...error, field: `${error.field} ${JSON.stringify(entry)}` } : error;
}

/** Words for a refused request: the problem's title and detail when the API sent problem+json. */
function refusal(
  response: HttpAnswer,
  text: string,
  what: string,
  route: TokenRoute,
  body: unknown,
): CliError {
  const type = response.headers.get('content-type') ?? '';
  const problem = /json/i.test(type) ? (parseJson(text) as Problem | undefined) : undefined;
  const hint = hintFor(response.status, route);
  if (problem && typeof problem === 'object' && typeof problem.detail === 'string') {
    const title = typeof problem.title === 'string' ? problem.title : response.statusText;
    return new CliError(
      `${title} (HTTP ${response.status}): ${problem.detail}${hint}`,
      fieldErrors(problem.errors).map((error) => withEntrySent(error, body)),
    );
  }
  const excerpt = text.trim().slice(0, 200);
  return new CliError(
    `HTTP ${response.status} ${response.statusText} from ${what}${excerpt ? `: ${excerpt}` : ''}${hint}`,
  );
}

/**
 * A small client for the switch's HTTP API. Every failure (unreachable, timed out, refused, nonsense
 * answer) becomes a CliError whose message is fit for stderr; the token never appears in one.
 *
 * @example
 * const api = new ApiClient({ baseUrl: 'https://api.example.com', token });
 * const { body } = await api.getStatus(); // body.enabled
 */
export class ApiClient {
  private readonly fetch: HttpFetch;
  private readonly timeoutMs: number;
  private readonly base: URL;

  constructor(private readonly options: ApiClientOptions) {
    this.fetch = options.fetch ?? httpFetch;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    try {
      // A trailing slash keeps a path prefix (a custom domain's base path) when resolving routes.
      this.base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
    } catch {
      throw new CliError(`MAINTENANCE_API_URL is not a valid URL: ${options.baseUrl}`);
    }
  }

  getStatus(): Promise<ApiAnswer<StatusAnswer>> {
    return this.request(API.getMaintenance);
  }

  /** GET /maintenance with a fresh look at the edge, for `maintenance doctor`. */
  diagnose(): Promise<ApiAnswer<StatusAnswer>> {
    // The API keeps its look at the edge for a minute; the doctor asks for a fresh one.
    return this.request(API.getMaintenance, { headers: { 'cache-control': 'no-cache' } });
  }

  setMaintenance(body: SetMaintenanceRequest): Promise<ApiAnswer<SetMaintenanceAnswer>> {
    return this.request(API.setMaintenance, { body });
  }

  listBypass(): Promise<ApiAnswer<BypassList>> {
    return this.request(API.getBypass);
  }

  changeBypass(body: BypassChangeRequest): Promise<ApiAnswer<BypassChange>> {
    return this.request(API.updateBypass, { body });
  }

  listExemptions(): Promise<ApiAnswer<ExemptionsList>> {
    return this.request(API.getExemptions);
  }

  changeExemptions(body: ChangeRequest): Promise<ApiAnswer<ExemptionsChange>> {
    return this.request(API.updateExemptions, { body });
  }

  /** GET /maintenance/history: `limit` and `cursor` as given; the API judges the cursor. */
  listHistory(request: HistoryRequest = {}): Promise<ApiAnswer<HistoryList>> {
    const { limit, cursor } = request;
    return this.request(API.getHistory, {
      query: { limit: limit === undefined ? undefined : String(limit), cursor },
    });
  }

  /** POST /maintenance/windows: 201 with the window, scheduled. */
  createWindow(body: WindowRequest): Promise<ApiAnswer<Window>> {
    return this.request(API.createWindow, { body });
  }

  listWindows(): Promise<ApiAnswer<WindowList>> {
    return this.request(API.listWindows);
  }

  /** DELETE /maintenance/windows/{id}: the window, cancelled; the id is percent-encoded into the path. */
  cancelWindow(id: string): Promise<ApiAnswer<Window>> {
    return this.request(API.cancelWindow, { params: { id } });
  }

  /** Calls `route` as the API description has it, and holds a 2xx answer to the route's answer schema. */
  private async request<R extends TokenRoute>(route: R, call: Call<R> = {}): Promise<ApiAnswer<AnswerOf<R>>> {
    const { method } = route;
    const { body } = call;
    const path =
      fillPath(route.path, (call.params ?? {}) as PathParams<R['path']>) + queryString(call.query ?? {});
    // Relative to the base, so that a base path prefix (a custom domain's) stays in front.
    const url = new URL(path.slice(1), this.base);
    const what = `${method} ${url.href}`;
    const headers: Record<string, string> = {
      ...call.headers,
      authorization: `Bearer ${this.options.token}`,
      accept: 'application/json, application/problem+json',
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const signal = AbortSignal.timeout(this.timeoutMs);
    let response: HttpAnswer;
    let text: string;
    try {
      response = await this.fetch(url, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal,
      });
      text = await response.text();
    } catch (error) {
      if (signal.aborted) {
        throw new CliError(`No answer to ${what} within ${this.timeoutMs / 1000} s.`);
      }
      const cause = (error as { cause?: { message?: string } }).cause?.message;
      throw new CliError(`Could not reach ${what}: ${cause ?? (error as Error).message}`);
    }
    if (!response.ok) throw refusal(response, text, what, route, body);
    const parsed = route.answer.safeParse(parseJson(text));
    if (!parsed.success) {
      throw new CliError(`Unexpected answer to ${what}: ${text.trim().slice(0, 200)}`);
    }
    return { body: parsed.data as AnswerOf<R>, raw: text };
  }
}
