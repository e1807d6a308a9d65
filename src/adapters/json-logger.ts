import { type Clock, systemClock } from '../ports/clock';
import type { LogFields, Logger, LogLevel } from '../ports/logger';

/** The console's methods a logger writes through, one per level. */
export type LogSink = Pick<Console, LogLevel>;

/** How many causes of an error are followed: enough for our wrappers, never an endless chain. */
const MAX_CAUSES = 5;

/**
 * An error as it may be logged: its name and message, and its causes' messages, outermost first. Not its
 * stack, nor any other property: an AWS SDK error carries the request's metadata and response, and a
 * stack of SDK internals tells an operator nothing the message does not.
 */
export function loggableError(error: Error): { name: string; message: string; cause?: string[] } {
  const causes: string[] = [];
  const seen = new Set<unknown>([error]);
  for (let cause = error.cause; cause !== undefined && causes.length < MAX_CAUSES; ) {
    if (seen.has(cause)) break;
    seen.add(cause);
    causes.push(cause instanceof Error ? cause.message : String(cause));
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return { name: error.name, message: error.message, ...(causes.length ? { cause: causes } : {}) };
}

const replacer = (_key: string, value: unknown) => (value instanceof Error ? loggableError(value) : value);

/**
 * The Logger port as one JSON object per line on the console (CloudWatch Logs in Lambda, so Logs Insights
 * can query every key): `level`, `event` and an ISO `timestamp` first, then the fields; errors anywhere in
 * them become `{ name, message, cause }` (see `loggableError`). It writes through the console's methods at
 * call time, so a test's `jest.spyOn(console, 'error')` sees every line.
 *
 * Not Powertools' Logger (@aws-lambda-powertools/logger): the largest bundle (getMaintenance) is within
 * 4 KB of its 150 KB budget, which that package and its commons would not fit in, and its error formatter
 * writes each error's stack and every own enumerable property (LogFormatter.formatError: `stack`, `cause`,
 * `for (const key in error)`), for an AWS SDK error its `$metadata`. The Lambdas need three keys and
 * this error shape, so a tiny adapter does it.
 *
 * @example
 * const logger = new JsonLogger();
 * logger.error('slack-reply-failed', { error });
 * // {"level":"error","event":"slack-reply-failed","timestamp":"2025-06-01T09:30:00.000Z","error":{"name":"Error","message":"..."}}
 */
export class JsonLogger implements Logger {
  constructor(
    private readonly sink: LogSink = console,
    private readonly clock: Pick<Clock, 'now'> = systemClock,
  ) {}

  info(event: string, fields?: LogFields): void {
    this.write('info', event, fields);
  }

  warn(event: string, fields?: LogFields): void {
    this.write('warn', event, fields);
  }

  error(event: string, fields?: LogFields): void {
    this.write('error', event, fields);
  }

  private write(level: LogLevel, event: string, fields: LogFields = {}): void {
    const head = { level, event, timestamp: this.clock.now().toISOString() };
    // Fields may not overwrite the head; assigning it again keeps its keys first and its values.
    const line = Object.assign({ ...head }, fields, head);
    let text: string;
    try {
      text = JSON.stringify(line, replacer);
    } catch {
      // A cycle or a BigInt in the fields: the event still gets its line.
      text = JSON.stringify({ ...head, unloggableFields: Object.keys(fields) });
    }
    this.sink[level](text);
  }
}

/** The Lambdas' logger: module-level default for handlers whose deps bring none. */
export const jsonLogger: Logger = new JsonLogger();
