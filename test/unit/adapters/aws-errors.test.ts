import { WAFV2ServiceException } from '@aws-sdk/client-wafv2';
import { translateAwsError } from '../../../src/adapters/aws/aws-errors';
import { UpstreamError } from '../../../src/domain/errors';

describe('translateAwsError', () => {
  it('names the AWS error without repeating its text, which carries account ids and ARNs', () => {
    const raw = new WAFV2ServiceException({
      name: 'AccessDeniedException',
      $fault: 'client',
      $metadata: {},
      message:
        'User: arn:aws:sts::123456789012:assumed-role/x/y is not authorized to perform: wafv2:UpdateWebACL',
    });
    const error = translateAwsError(raw, 'web ACL site');
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error.message).toBe('AWS failed: web ACL site: AccessDeniedException');
    expect(error.message).not.toContain('arn:');
    expect((error as UpstreamError).cause).toBe(raw);
  });
});
