import { WAFV2ServiceException } from '@aws-sdk/client-wafv2';
import { translateAwsError } from '../../../src/adapters/aws/aws-errors';
import {
  DeadlineError,
  MisconfiguredError,
  StaleLockError,
  ThrottledError,
  UpstreamError,
} from '../../../src/domain/errors';

const call = { operation: 'UpdateWebACL', resource: 'web ACL site' };

function serviceError(name: string, message = 'text') {
  return new WAFV2ServiceException({ name, $fault: 'client', $metadata: {}, message });
}

/** What Node's HTTP layer throws, as @smithy/node-http-handler passes it on. */
function socketError(code: string, name = 'Error', message = `socket ${code}`) {
  return Object.assign(new Error(message), { code, name });
}

describe('translateAwsError', () => {
  it('names the operation and the AWS error without repeating its text, which carries account ids and ARNs', () => {
    const raw = serviceError(
      'AccessDeniedException',
      'User: arn:aws:sts::123456789012:assumed-role/x/y is not authorized to perform: wafv2:UpdateWebACL',
    );
    const error = translateAwsError(raw, call);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error.message).toBe('AWS failed: UpdateWebACL on web ACL site: AccessDeniedException');
    expect(error.message).not.toContain('arn:');
    expect((error as UpstreamError).cause).toBe(raw);
  });

  it('reports a dropped connection as such, not as a timeout, although smithy names it TimeoutError', () => {
    const error = translateAwsError(socketError('ECONNRESET', 'TimeoutError'), call);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error.message).toBe(
      'AWS failed: UpdateWebACL on web ACL site: AWS dropped the connection (ECONNRESET)',
    );
  });

  it('reports a refused connection (a dead endpoint) with its code', () => {
    const error = translateAwsError(socketError('ECONNREFUSED'), call);
    expect(error.message).toBe(
      'AWS failed: UpdateWebACL on web ACL site: AWS refused the connection (ECONNREFUSED)',
    );
  });

  it('reports a call that exceeded its bound as a timeout, and one that never connected apart', () => {
    const slow = translateAwsError(
      socketError(
        'ETIMEDOUT',
        'TimeoutError',
        'a request has exceeded the configured 2500 ms requestTimeout',
      ),
      call,
    );
    expect(slow).toBeInstanceOf(DeadlineError);
    expect(slow.message).toBe('UpdateWebACL on web ACL site: AWS did not answer in time (TimeoutError).');
    const unreachable = translateAwsError(
      Object.assign(new Error('the request socket did not establish a connection with the server'), {
        name: 'TimeoutError',
      }),
      call,
    );
    expect(unreachable.message).toBe(
      'UpdateWebACL on web ACL site: AWS could not connect in time (TimeoutError).',
    );
  });

  it('turns the deadline abort into a DeadlineError', () => {
    const error = translateAwsError(
      Object.assign(new Error('Request aborted'), { name: 'AbortError' }),
      call,
    );
    expect(error).toBeInstanceOf(DeadlineError);
    expect(error.message).toContain('UpdateWebACL on web ACL site was abandoned');
  });

  it('falls back to the error code or the HTTP status, never to a bare "Error"', () => {
    expect(translateAwsError(socketError('EWHATEVER'), call).message).toBe(
      'AWS failed: UpdateWebACL on web ACL site: EWHATEVER',
    );
    const unnamed = Object.assign(new Error('x'), { $metadata: { httpStatusCode: 500 } });
    expect(translateAwsError(unnamed, call).message).toBe(
      'AWS failed: UpdateWebACL on web ACL site: HTTP 500',
    );
  });

  it('maps lock conflicts, throttling and missing resources to the errors the use cases retry or explain', () => {
    expect(translateAwsError(serviceError('WAFOptimisticLockException'), call)).toBeInstanceOf(
      StaleLockError,
    );
    expect(translateAwsError(serviceError('ThrottlingException'), call)).toBeInstanceOf(ThrottledError);
    const missing = translateAwsError(serviceError('WAFNonexistentItemException'), call);
    expect(missing).toBeInstanceOf(MisconfiguredError);
    expect(missing.message).toContain(
      'web ACL site does not exist (UpdateWebACL: WAFNonexistentItemException)',
    );
  });

  it('passes the domain errors of the layers below through unchanged', () => {
    const own = new DeadlineError('UpdateWebACL was not sent');
    expect(translateAwsError(own, call)).toBe(own);
  });
});
