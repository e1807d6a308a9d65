/** Fields of a log line: plain data; an `Error` among them is reduced to its name, message and causes. */
export type LogFields = Record<string, unknown>;

/**
 * Where the Lambdas and the core write what operators may need to read later. An event is a stable,
 * kebab-case name (`slack-reply-failed`) to search for; the fields say what happened. Never put a secret,
 * a token or a request body in the fields: logs are read by more people than operators.
 *
 * @example
 * logger.error('slack-reply-failed', { error });
 */
export interface Logger {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

export type LogLevel = keyof Logger;
