import {
  DeadlineError,
  DomainError,
  MisconfiguredError,
  StaleLockError,
  ThrottledError,
  UpstreamError,
} from '../../domain/errors';

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

// The "it is not there" errors of the services the switch uses.
const MISSING = new Set([
  'WAFNonexistentItemException',
  'ResourceNotFoundException',
  'NoSuchDistribution',
  'ParameterNotFound',
]);

/** Node's socket errors, in words: a dropped connection is not a timeout (smithy names both TimeoutError). */
const NETWORK: Record<string, string> = {
  ECONNRESET: 'dropped the connection (ECONNRESET)',
  EPIPE: 'dropped the connection (EPIPE)',
  ECONNREFUSED: 'refused the connection (ECONNREFUSED)',
  ENOTFOUND: 'could not be found (ENOTFOUND)',
  EAI_AGAIN: 'could not be found (EAI_AGAIN)',
  EHOSTUNREACH: 'could not be reached (EHOSTUNREACH)',
  ENETUNREACH: 'could not be reached (ENETUNREACH)',
};

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  $retryable?: { throttling?: boolean };
  $metadata?: { httpStatusCode?: number };
}

export interface AwsCall {
  /** The AWS operation, as AWS names it: `UpdateIPSet`. */
  operation: string;
  /** What it acts on, for people: `IP set waf-maintenance-prod-bypass-v4`. */
  resource: string;
}

/**
 * Turns an SDK exception into the domain's vocabulary. This is the one place that looks at SDK error
 * names; everything above it matches on DomainError classes. Every message names the operation and what
 * AWS said by its code (`AccessDeniedException`, `ECONNRESET`), never only "Error".
 *
 * @example
 * translateAwsError(error, { operation: 'GetWebACL', resource: 'web ACL waf-maintenance-prod' })
 * // UpstreamError('AWS failed: GetWebACL on web ACL waf-maintenance-prod: AccessDeniedException')
 */
export function translateAwsError(error: unknown, call: AwsCall): Error {
  if (error instanceof DomainError) return error;
  const sdk = (typeof error === 'object' && error !== null ? error : {}) as SdkError;
  const name = sdk.name ?? '';
  const where = `${call.operation} on ${call.resource}`;
  if (name === 'WAFOptimisticLockException') return new StaleLockError({ cause: error });
  if (THROTTLING.has(name) || sdk.$retryable?.throttling === true)
    return new ThrottledError({ cause: error });
  if (MISSING.has(name)) {
    return new MisconfiguredError(
      `${call.resource} does not exist (${call.operation}: ${name}); is the stack deployed for this stage?`,
      { cause: error },
    );
  }
  // The deadline's own abort: the request had been answered or its time was up.
  if (name === 'AbortError')
    return new DeadlineError(`${where} was abandoned: the request's time was up.`, { cause: error });
  const network = sdk.code ? NETWORK[sdk.code] : undefined;
  if (network) return new UpstreamError(`AWS failed: ${where}: AWS ${network}`, { cause: error });
  if (name === 'TimeoutError') {
    const what = /did not establish a connection/.test(sdk.message ?? '')
      ? 'could not connect in time'
      : 'did not answer in time';
    return new DeadlineError(`${where}: AWS ${what} (TimeoutError).`, { cause: error });
  }
  // The public message names the error, not its text: AWS messages carry account ids and role ARNs, and a
  // problem detail may reach callers who never authenticated. The full error stays in `cause` for the logs.
  const code =
    name && name !== 'Error'
      ? name
      : (sdk.code ?? `HTTP ${sdk.$metadata?.httpStatusCode ?? 'error without a code'}`);
  return new UpstreamError(`AWS failed: ${where}: ${code}`, { cause: error });
}
