/**
 * Every failure the core knows about carries a `code`; the HTTP layer maps codes to statuses in one place
 * (handlers/lib/problem.ts), the CLI maps them to exit codes. Anything without a code is a bug (500, unexposed).
 */
export type ErrorCode =
  | 'validation'
  | 'unauthenticated'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'throttled'
  | 'stale-lock'
  | 'upstream'
  | 'timeout'
  | 'misconfigured'
  | 'partial-change';

export class DomainError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** One invalid field of a request, named by its JSON pointer-ish path (`retryAfterSeconds`, `add[2]`). */
export interface FieldError {
  field: string;
  message: string;
}

/** Client input that breaks a rule; nothing has been changed. */
export class ValidationError extends DomainError {
  readonly errors: FieldError[];

  constructor(errors: FieldError[], message = 'The request is invalid.') {
    super('validation', message);
    this.errors = errors;
  }
}

/** No credentials, or credentials nobody issued. */
export class UnauthenticatedError extends DomainError {
  constructor(message = 'A valid bearer token is required.') {
    super('unauthenticated', message);
  }
}

/** Known caller, role too low. */
export class ForbiddenError extends DomainError {
  constructor(message: string) {
    super('forbidden', message);
  }
}

/** The request names something that is not there (a window id no pending window has). */
export class NotFoundError extends DomainError {
  constructor(message: string) {
    super('not-found', message);
  }
}

/** Concurrent writers kept winning until the retry budget ran out; nothing of ours was applied. */
export class ConflictError extends DomainError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('conflict', message, options);
  }
}

/** The lock token we wrote with is no longer current (WAFOptimisticLockException). Retried by the use case. */
export class StaleLockError extends DomainError {
  constructor(options?: { cause?: unknown }) {
    super('stale-lock', 'The resource changed since it was read.', options);
  }
}

/** AWS asked us to slow down. Retried by the use case within its budget. */
export class ThrottledError extends DomainError {
  constructor(options?: { cause?: unknown }) {
    super('throttled', 'AWS throttled the request.', options);
  }
}

/** AWS failed or refused in a way the caller cannot fix. */
export class UpstreamError extends DomainError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('upstream', message, options);
  }
}

/**
 * The request's time ran out, or it had already been answered, so a call was not sent (or was abandoned).
 * The answer says which writes, if any, were sent without an answer.
 */
export class DeadlineError extends DomainError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('timeout', message, options);
  }
}

/** The deployed resources are not what the switch expects (web ACL gone, maintenance rule removed). */
export class MisconfiguredError extends DomainError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('misconfigured', message, options);
  }
}

/**
 * A change spanning two resources failed half-way and could not be undone: the only honest answer is to
 * say exactly what was applied, so the caller can finish or revert it.
 */
export class PartialChangeError extends DomainError {
  readonly applied: Record<string, unknown>;

  constructor(message: string, applied: Record<string, unknown>, options?: { cause?: unknown }) {
    super('partial-change', message, options);
    this.applied = applied;
  }
}

/** Errors a read-modify-write loop may retry with a fresh read. */
export function isRetryable(error: unknown): error is StaleLockError | ThrottledError {
  return error instanceof StaleLockError || error instanceof ThrottledError;
}
