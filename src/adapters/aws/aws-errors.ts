import { MisconfiguredError, StaleLockError, ThrottledError, UpstreamError } from '../../domain/errors';

// The SDK's own list of throttling codes (smithy service-error-classification), as far as WAF, DynamoDB
// and CloudFront use them; an error the SDK marks `$retryable.throttling` counts too.
const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
]);

function isThrottling(error: unknown, name: string): boolean {
  const retryable = (error as { $retryable?: { throttling?: boolean } } | null)?.$retryable;
  return THROTTLING.has(name) || retryable?.throttling === true;
}

// The "it is not there" errors of the services the switch uses.
const MISSING = new Set([
  'WAFNonexistentItemException',
  'ResourceNotFoundException',
  'NoSuchDistribution',
  'ParameterNotFound',
]);

function errorName(error: unknown): string {
  return typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : '';
}

/**
 * Turns an SDK exception into the domain's vocabulary. This is the one place that looks at SDK error
 * names; everything above it matches on DomainError classes.
 */
export function translateAwsError(error: unknown, what: string): Error {
  const name = errorName(error);
  if (name === 'WAFOptimisticLockException') return new StaleLockError({ cause: error });
  if (isThrottling(error, name)) return new ThrottledError({ cause: error });
  if (MISSING.has(name)) {
    return new MisconfiguredError(`${what} does not exist; is the stack deployed for this stage?`, {
      cause: error,
    });
  }
  // The public message names the error, not its text: AWS messages carry account ids and role ARNs, and a
  // problem detail may reach callers who never authenticated. The full error stays in `cause` for the logs.
  return new UpstreamError(`AWS failed: ${what}: ${name || 'Error'}`, { cause: error });
}
