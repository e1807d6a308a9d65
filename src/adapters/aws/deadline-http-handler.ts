import { NodeHttpHandler, type NodeHttpHandlerOptions } from '@smithy/node-http-handler';
import { DeadlineError } from '../../domain/errors';
import { currentDeadline } from './deadline-scope';

type HttpRequest = Parameters<NodeHttpHandler['handle']>[0];
type HttpHandlerOptions = NonNullable<Parameters<NodeHttpHandler['handle']>[1]>;
type Handled = ReturnType<NodeHttpHandler['handle']>;

const UTF8 = new TextDecoder();

/** Connection errors that prove a request never reached AWS (nothing was applied). */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** EventBridge Scheduler's schedule operations (restJson1), by method on `/schedules/{Name}`. */
export const SCHEDULE_OPERATIONS: Readonly<Record<string, string>> = {
  POST: 'CreateSchedule',
  PUT: 'UpdateSchedule',
  DELETE: 'DeleteSchedule',
  GET: 'GetSchedule',
};

/**
 * The AWS operation a request carries: `x-amz-target` for the JSON protocols (WAF, DynamoDB, SSM), else
 * the method and path (Lambda's Invoke, Scheduler's schedules, CloudFront); `resource` when the path names it.
 */
export function operationOf(request: HttpRequest): { name: string; write: boolean; resource?: string } {
  const target = request.headers['x-amz-target'] ?? request.headers['X-Amz-Target'];
  if (target) {
    const name = target.slice(target.indexOf('.') + 1);
    return { name, write: !/^(Get|List|Describe|Query|Scan|BatchGet|Check)/.test(name) };
  }
  if (/\/functions\/[^/]+\/invocations$/.test(request.path)) return { name: 'Invoke', write: true };
  const schedule = /^\/schedules\/([^/]+)$/.exec(request.path);
  const scheduleOperation = schedule ? SCHEDULE_OPERATIONS[request.method] : undefined;
  if (schedule && scheduleOperation) {
    const resource = decodeURIComponent(schedule[1] ?? '');
    return { name: scheduleOperation, write: request.method !== 'GET', resource };
  }
  return { name: `${request.method} ${request.path}`, write: !['GET', 'HEAD'].includes(request.method) };
}

/** `UpdateIPSet waf-maintenance-prod-bypass-v4`: the operation and the resource it writes, for the answer. */
function describeWrite(operation: string, request: HttpRequest, named?: string): string {
  if (named) return `${operation} ${named}`;
  const body: unknown = request.body;
  // Decoded from the bytes: the SDK's JSON bodies are a Uint8Array subclass whose string methods warn.
  const text = typeof body === 'string' ? body : body instanceof Uint8Array ? UTF8.decode(body) : '';
  try {
    const parsed = JSON.parse(text) as { Name?: unknown; TableName?: unknown };
    const resource = parsed.Name ?? parsed.TableName;
    return typeof resource === 'string' ? `${operation} ${resource}` : operation;
  } catch {
    return operation;
  }
}

function provedUnsent(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  return (code !== undefined && NEVER_SENT.has(code)) || /did not establish a connection/.test(message ?? '');
}

/**
 * The HTTP layer of every AWS client in the Lambdas: Node's handler with the per-call bound enforced
 * (`throwOnRequestTimeout`: without it, @smithy/node-http-handler 4.x only logs a warning when a call
 * exceeds `requestTimeout`), plus the request's deadline (see deadline-scope.ts), applied to every attempt
 * the SDK makes, retries included:
 * - no call starts once the request has been answered or its time is up; no write starts with less than
 *   MIN_TIME_FOR_WRITE_MS left;
 * - each attempt carries the deadline's abort signal and may take at most the time left;
 * - each write is tracked until AWS answers it, so a 502 can name a write whose outcome is unknown.
 */
export class DeadlineHttpHandler {
  private readonly inner: NodeHttpHandler;

  constructor(
    options: NodeHttpHandlerOptions,
    private readonly callTimeoutMs: number,
  ) {
    this.inner = new NodeHttpHandler({
      ...options,
      requestTimeout: callTimeoutMs,
      throwOnRequestTimeout: true,
    });
  }

  get metadata() {
    return this.inner.metadata;
  }

  async handle(request: HttpRequest, options: HttpHandlerOptions = {}): Handled {
    const deadline = currentDeadline();
    if (!deadline) return this.inner.handle(request, options);
    const operation = operationOf(request);
    if (!deadline.mayCall()) {
      throw new DeadlineError(`${operation.name} was not sent: the request's time was up.`);
    }
    if (operation.write) deadline.assertMayWrite(operation.name);
    const signals = [deadline.signal, options.abortSignal].filter((s) => s instanceof AbortSignal);
    const bounded: HttpHandlerOptions = {
      abortSignal: AbortSignal.any(signals),
      requestTimeout: Math.max(1, Math.min(this.callTimeoutMs, deadline.remainingMs())),
    };
    const settle = operation.write
      ? deadline.writeSent(describeWrite(operation.name, request, operation.resource))
      : undefined;
    try {
      const handled = await this.inner.handle(request, bounded);
      settle?.({ known: true });
      return handled;
    } catch (error) {
      settle?.({ known: provedUnsent(error) });
      throw error;
    }
  }

  updateHttpClientConfig(key: never, value: never): void {
    this.inner.updateHttpClientConfig(key, value);
  }

  httpHandlerConfigs() {
    return this.inner.httpHandlerConfigs();
  }

  destroy(): void {
    this.inner.destroy();
  }
}
