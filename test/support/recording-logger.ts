import type { LogFields, Logger, LogLevel } from '../../src/ports/logger';

export interface LoggedLine {
  level: LogLevel;
  event: string;
  fields: LogFields;
}

/**
 * The Logger port in memory: every call, in order, with its fields as given (errors not yet reduced).
 *
 * @example
 * const logger = new RecordingLogger();
 * expect(logger.events('error')).toEqual(['slack-reply-failed']);
 */
export class RecordingLogger implements Logger {
  readonly lines: LoggedLine[] = [];

  info(event: string, fields: LogFields = {}): void {
    this.lines.push({ level: 'info', event, fields });
  }

  warn(event: string, fields: LogFields = {}): void {
    this.lines.push({ level: 'warn', event, fields });
  }

  error(event: string, fields: LogFields = {}): void {
    this.lines.push({ level: 'error', event, fields });
  }

  /** The events logged, at one level or at all. */
  events(level?: LogLevel): string[] {
    return this.lines.filter((line) => !level || line.level === level).map((line) => line.event);
  }
}
