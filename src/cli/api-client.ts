import type { BypassWarning } from '../domain/bypass-address-rules';
import type { FieldError } from '../domain/errors';
import type { MaintenanceStatus } from '../domain/maintenance-status';
import type { Role } from '../domain/roles';
import type { BypassListing } from '../use-cases/list-bypass-set';
import type { UpdateBypassResult } from '../use-cases/update-bypass-set';
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

export type SetMaintenanceRequest = { enabled: boolean; reason?: string; retryAfterSeconds?: number };
export type SetMaintenanceAnswer = MaintenanceStatus & { changed: boolean };

/** `GET /maintenance/bypass`: every address in both IP sets, sorted by the server. */
export type BypassList = BypassListing;

/** `POST /maintenance/bypass`: the addresses as given; the server parses and canonicalises them. */
export type BypassChangeRequest = { add: string[] } | { remove: string[] };

/**
 * What a bypass change did, in canonical forms, how many addresses the set holds now, and the additions
 * that can never match. `warnings` may be missing: an API deployed before it had them still made the
 * change, and a CLI upgraded first must not report that change as a failure.
 */
export type BypassChange = Omit<UpdateBypassResult, 'warnings'> &
  Partial<Pick<UpdateBypassResult, 'warnings'>>;

/** One route as the client calls it: who may call it, and what a 200 must look like. */
interface Route<T> {
  method: 'GET' | 'POST';
  path: string;
  /** The least role the API accepts; named in the hint of a 403. */
  role: Role;
  /** What the call does, for that hint: "change the bypass set". */
  action: string;
  accepts: (value: unknown) => value is T;
  /** Request headers beyond the token's. */
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

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** What the user can do about a 401 or 403, whatever words the API chose. */
function hintFor(status: number, route: Route<unknown>): string {
  if (status === 401) return ' Check MAINTENANCE_TOKEN.';
  if (status !== 403) return '';
  const who = route.role === 'admin' ? 'only an admin token' : 'an operator or admin token';
  return ` The role of MAINTENANCE_TOKEN is too low: ${who} may ${route.action}.`;
}

/** Words for a refused request: the problem's title and detail when the API sent problem+json. */
function refusal(response: HttpAnswer, text: string, what: string, route: Route<unknown>): CliError {
  const type = response.headers.get('content-type') ?? '';
  const problem = /json/i.test(type) ? (parseJson(text) as Problem | undefined) : undefined;
  const hint = hintFor(response.status, route);
  if (problem && typeof problem === 'object' && typeof problem.detail === 'string') {
    const title = typeof problem.title === 'string' ? problem.title : response.statusText;
    return new CliError(
      `${title} (HTTP ${response.status}): ${problem.detail}${hint}`,
      fieldErrors(problem.errors),
    );
  }
  const excerpt = text.trim().slice(0, 200);
  return new CliError(
    `HTTP ${response.status} ${response.statusText} from ${what}${excerpt ? `: ${excerpt}` : ''}${hint}`,
  );
}

function isStatus(value: unknown): value is MaintenanceStatus {
  const v = value as MaintenanceStatus | null;
  return (
    typeof v === 'object' && v !== null && typeof v.enabled === 'boolean' && typeof v.action === 'string'
  );
}

function isSetAnswer(value: unknown): value is SetMaintenanceAnswer {
  return isStatus(value) && typeof (value as SetMaintenanceAnswer).changed === 'boolean';
}

const isStrings = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

function isBypassList(value: unknown): value is BypassList {
  const v = value as BypassList | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.count === 'number' &&
    typeof v.limit === 'number' &&
    Array.isArray(v.addresses) &&
    v.addresses.every(
      (a) =>
        typeof a === 'object' &&
        a !== null &&
        typeof a.cidr === 'string' &&
        (a.version === 4 || a.version === 6),
    )
  );
}

/** An object whose `keys` all hold strings. */
const hasStrings = (value: unknown, ...keys: string[]): boolean =>
  typeof value === 'object' &&
  value !== null &&
  keys.every((key) => typeof (value as Record<string, unknown>)[key] === 'string');

const isBypassWarning = (value: unknown): value is BypassWarning =>
  hasStrings(value, 'field', 'cidr', 'message');

function isBypassChange(value: unknown): value is BypassChange {
  const v = value as BypassChange | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.count === 'number' &&
    isStrings(v.added) &&
    isStrings(v.removed) &&
    isStrings(v.unchanged) &&
    (v.warnings === undefined || (Array.isArray(v.warnings) && v.warnings.every(isBypassWarning)))
  );
}

const ROUTES = {
  getStatus: {
    method: 'GET',
    path: 'maintenance',
    role: 'operator',
    action: 'read the status',
    accepts: isStatus,
  },
  diagnose: {
    method: 'GET',
    path: 'maintenance',
    role: 'operator',
    action: 'read the status',
    accepts: isStatus,
    // The API keeps its look at the edge for a minute; the doctor asks for a fresh one.
    headers: { 'cache-control': 'no-cache' },
  },
  setMaintenance: {
    method: 'POST',
    path: 'maintenance',
    role: 'operator',
    action: 'turn maintenance on or off',
    accepts: isSetAnswer,
  },
  listBypass: {
    method: 'GET',
    path: 'maintenance/bypass',
    role: 'operator',
    action: 'list the bypass set',
    accepts: isBypassList,
  },
  changeBypass: {
    method: 'POST',
    path: 'maintenance/bypass',
    role: 'admin',
    action: 'change the bypass set',
    accepts: isBypassChange,
  },
} as const satisfies Record<string, Route<unknown>>;

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

  getStatus(): Promise<ApiAnswer<MaintenanceStatus>> {
    return this.request(ROUTES.getStatus);
  }

  /** GET /maintenance with a fresh look at the edge, for `maintenance doctor`. */
  diagnose(): Promise<ApiAnswer<MaintenanceStatus>> {
    return this.request(ROUTES.diagnose);
  }

  setMaintenance(body: SetMaintenanceRequest): Promise<ApiAnswer<SetMaintenanceAnswer>> {
    return this.request(ROUTES.setMaintenance, body);
  }

  listBypass(): Promise<ApiAnswer<BypassList>> {
    return this.request(ROUTES.listBypass);
  }

  changeBypass(body: BypassChangeRequest): Promise<ApiAnswer<BypassChange>> {
    return this.request(ROUTES.changeBypass, body);
  }

  private async request<T>(route: Route<T>, body?: unknown): Promise<ApiAnswer<T>> {
    const { method } = route;
    const url = new URL(route.path, this.base);
    const what = `${method} ${url.href}`;
    const headers: Record<string, string> = {
      ...route.headers,
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
    if (!response.ok) throw refusal(response, text, what, route);
    const parsed = parseJson(text);
    if (!route.accepts(parsed)) {
      throw new CliError(`Unexpected answer to ${what}: ${text.trim().slice(0, 200)}`);
    }
    return { body: parsed, raw: text };
  }
}
