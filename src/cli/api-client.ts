import type { FieldError } from '../domain/errors';
import type { MaintenanceStatus } from '../domain/maintenance-status';
import { CliError } from './errors';

/** Long enough for a toggle that retries conflicts for its full budget behind API Gateway's 29 s limit. */
export const DEFAULT_TIMEOUT_MS = 35_000;

export interface ApiClientOptions {
  baseUrl: string;
  token: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** A successful answer: the parsed body and the text as received, for `--json`. */
export interface ApiAnswer<T> {
  body: T;
  raw: string;
}

export type SetMaintenanceRequest = { enabled: boolean; reason?: string; retryAfterSeconds?: number };
export type SetMaintenanceAnswer = MaintenanceStatus & { changed: boolean };

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

/** Words for a refused request: the problem's title and detail when the API sent problem+json. */
function refusal(response: Response, text: string, what: string): CliError {
  const type = response.headers.get('content-type') ?? '';
  const problem = /json/i.test(type) ? (parseJson(text) as Problem | undefined) : undefined;
  const hint = response.status === 401 ? ' Check MAINTENANCE_TOKEN.' : '';
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

/**
 * A small client for the switch's HTTP API. Every failure (unreachable, timed out, refused, nonsense
 * answer) becomes a CliError whose message is fit for stderr; the token never appears in one.
 *
 * @example
 * const api = new ApiClient({ baseUrl: 'https://api.example.com', token });
 * const { body } = await api.getStatus(); // body.enabled
 */
export class ApiClient {
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;
  private readonly base: URL;

  constructor(private readonly options: ApiClientOptions) {
    this.fetch = options.fetch ?? globalThis.fetch;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    try {
      // A trailing slash keeps a path prefix (a custom domain's base path) when resolving routes.
      this.base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
    } catch {
      throw new CliError(`MAINTENANCE_API_URL is not a valid URL: ${options.baseUrl}`);
    }
  }

  getStatus(): Promise<ApiAnswer<MaintenanceStatus>> {
    return this.request('GET', 'maintenance');
  }

  setMaintenance(body: SetMaintenanceRequest): Promise<ApiAnswer<SetMaintenanceAnswer>> {
    return this.request('POST', 'maintenance', body);
  }

  private async request<T>(method: 'GET' | 'POST', route: string, body?: unknown): Promise<ApiAnswer<T>> {
    const url = new URL(route, this.base);
    const what = `${method} ${url.href}`;
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.options.token}`,
      accept: 'application/json, application/problem+json',
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const signal = AbortSignal.timeout(this.timeoutMs);
    let response: Response;
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
    if (!response.ok) throw refusal(response, text, what);
    const parsed = parseJson(text);
    if (!isStatus(parsed)) throw new CliError(`Unexpected answer to ${what}: ${text.trim().slice(0, 200)}`);
    return { body: parsed as T, raw: text };
  }
}
