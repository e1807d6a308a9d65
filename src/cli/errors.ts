import { DomainError, type FieldError, ValidationError } from '../domain/errors';

/** The command line itself is wrong (unknown command or flag, missing or malformed value): exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A failure the CLI has already put into words for the user (exit 1), with optional field errors. */
export class CliError extends Error {
  readonly errors: FieldError[];

  constructor(message: string, errors: FieldError[] = []) {
    super(message);
    this.name = 'CliError';
    this.errors = errors;
  }
}

// Prefixes that tell the user what kind of failure it was; the core's messages carry the specifics.
const DOMAIN_PREFIX: Record<DomainError['code'], string> = {
  validation: 'Invalid input',
  unauthenticated: 'Not authenticated',
  forbidden: 'Forbidden',
  'not-found': 'Not found',
  conflict: 'Conflict',
  'stale-lock': 'Conflict',
  throttled: 'AWS is throttling',
  upstream: 'AWS failed',
  timeout: 'AWS did not answer in time',
  misconfigured: 'Misconfigured',
  'partial-change': 'Change only partly applied',
};

function withFieldErrors(message: string, errors: FieldError[]): string {
  return [message, ...errors.map((e) => `  - ${e.field}: ${e.message}`)].join('\n');
}

/**
 * Turns anything a command threw into the text for stderr (without a trailing newline). Domain errors are
 * matched on their `code`, as the HTTP layer does; field errors are listed one per line.
 *
 * @example
 * describeError(new ValidationError([{ field: 'name', message: 'is empty' }]))
 * // 'Invalid input: The request is invalid.\n  - name: is empty'
 */
export function describeError(error: unknown): string {
  if (error instanceof CliError) return withFieldErrors(error.message, error.errors);
  if (error instanceof DomainError) {
    const errors = error instanceof ValidationError ? error.errors : [];
    const prefix = DOMAIN_PREFIX[error.code];
    // Adapter messages for AWS failures already start with "AWS failed:".
    const message = error.message.startsWith(prefix) ? error.message : `${prefix}: ${error.message}`;
    return withFieldErrors(message, errors);
  }
  const message = error instanceof Error ? error.message : String(error);
  return `Unexpected error: ${message}`;
}
