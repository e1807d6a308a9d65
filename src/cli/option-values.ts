import { parseWebAclArn } from '../adapters/aws/waf-arn';
import { MisconfiguredError } from '../domain/errors';
import { isRole, ROLES, type Role } from '../domain/roles';
import { isSlackUserId } from '../domain/slack-user';
import { checkHistoryLimit, checkReason, checkRetryAfterText, type ValueCheck } from '../domain/values';
import { UsageError } from './errors';

const STAGE_PATTERN = /^[A-Za-z0-9-]{1,64}$/;

/** The domain's verdict on a flag's value, its phrase prefixed with the flag: `--reason must be ...`. */
function checked<T>(flag: string, check: ValueCheck<T>): T {
  if (!check.ok) throw new UsageError(`--${flag} ${check.message}.`);
  return check.value;
}

/**
 * `--reason`, by the domain's rule, so the CLI refuses what the API would.
 *
 * @example
 * reasonOf('Deploy') // 'Deploy'
 * reasonOf('a\nb') // throws UsageError('--reason must be one line of text without control characters (U+000A).')
 */
export function reasonOf(text: string | undefined): { reason?: string } {
  return text === undefined ? {} : { reason: checked('reason', checkReason(text)) };
}

/**
 * `--retry-after` as typed: digits only, then the domain's range.
 *
 * @example
 * retryAfterOf('600') // { retryAfterSeconds: 600 }
 */
export function retryAfterOf(text: string | undefined): { retryAfterSeconds?: number } {
  return text === undefined ? {} : { retryAfterSeconds: checked('retry-after', checkRetryAfterText(text)) };
}

/**
 * `--limit` of `history`, by the rule the API applies to its `limit` parameter, so a bad one sends nothing.
 *
 * @example
 * limitOf('50') // { limit: 50 }
 * limitOf('0') // throws UsageError('--limit must be a whole number from 1 to 100.')
 */
export function limitOf(text: string | undefined): { limit?: number } {
  return text === undefined ? {} : { limit: checked('limit', checkHistoryLimit(text)) };
}

/**
 * @example
 * stageOf('prod') // { stage: 'prod' }
 */
export function stageOf(stage: string | undefined): { stage?: string } {
  if (stage === undefined) return {};
  if (!STAGE_PATTERN.test(stage)) throw new UsageError('--stage must be letters, digits and hyphens.');
  return { stage };
}

/**
 * @example
 * roleOf('admin') // 'admin'
 */
export function roleOf(role: string): Role {
  if (!isRole(role)) throw new UsageError(`--role must be ${ROLES.join(' or ')}, not '${role}'.`);
  return role;
}

/**
 * A Slack user ID, checked here so a display name or a lower-cased ID never reaches the table.
 *
 * @example
 * userIdOf('U024BE7LH') // 'U024BE7LH'
 */
export function userIdOf(userId: string): string {
  if (!isSlackUserId(userId)) {
    throw new UsageError(
      `USER_ID must be a Slack user ID such as U024BE7LH (U or W, then upper-case letters and digits), not '${userId}'.`,
    );
  }
  return userId;
}

/**
 * A CloudFront web ACL's ARN, checked here so a typo is a usage error: the switch's rule group has scope
 * CLOUDFRONT, which a regional web ACL cannot reference.
 *
 * @example
 * webAclOf('arn:aws:wafv2:us-east-1:123456789012:global/webacl/site/ID') // the same ARN
 */
export function webAclOf(arn: string): string {
  let scope: string;
  try {
    scope = parseWebAclArn(arn).scope;
  } catch (error) {
    if (!(error instanceof MisconfiguredError)) throw error;
    throw new UsageError(
      `--web-acl must be a web ACL's ARN (arn:aws:wafv2:us-east-1:ACCOUNT:global/webacl/NAME/ID), not '${arn}'.`,
    );
  }
  if (scope !== 'CLOUDFRONT') {
    throw new UsageError(
      `--web-acl must be a CloudFront web ACL (…:global/webacl/…): a regional one cannot reference the switch's rule group.`,
    );
  }
  return arn;
}
