import { WAFV2ServiceException } from '@aws-sdk/client-wafv2';
import { StaleLockError, ThrottledError, UpstreamError } from '../../src/domain/errors';

/**
 * A WAFv2 exception as the SDK throws it, for aws-sdk-client-mock to reject with; a 5xx is a server fault.
 *
 * @example
 * mock.on(GetRuleGroupCommand).rejects(wafError('WAFNonexistentItemException'));
 */
export function wafError(name: string, status = 400) {
  return new WAFV2ServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message: name,
  });
}

/** The faults a WAF store's write must translate: the exception's name, its status and the domain error. */
export const WAF_WRITE_FAULTS: Array<
  [name: string, status: number, becomes: new (...args: never[]) => Error]
> = [
  ['WAFOptimisticLockException', 400, StaleLockError],
  ['ThrottlingException', 400, ThrottledError],
  ['WAFInternalErrorException', 500, UpstreamError],
  ['AccessDeniedException', 403, UpstreamError],
];
