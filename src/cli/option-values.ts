import { parseWebAclArn } from '../adapters/aws/waf-arn';
import { MisconfiguredError } from '../domain/errors';
import { isRole, ROLES, type Role } from '../domain/roles';
import { isSlackUserId } from '../domain/slack-user';
import {
  checkDuration,
  checkHistoryLimit,
  checkInstant,
  checkReason,
  checkRetryAfterText,
  type ValueCheck,
} from '../domain/values';
import { WINDOW_LIMITS } from '../domain/windows';
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
 * A moment flag (`--start`, `--end`, `--until`), by the domain's RFC 3339 rule, so a time without an offset
 * sends nothing. It goes to the API as typed: whether it is in the future, and how far, is the API's to
 * judge against its own clock.
 *
 * @example
 * instantOf('start', '2026-12-06T02:00:00Z') // '2026-12-06T02:00:00Z'
 * instantOf('until', '2026-12-06 02:00') // throws UsageError('--until must be an RFC 3339 date and time with an offset, like 2026-12-01T22:00:00Z.')
 */
export function instantOf(flag: 'start' | 'end' | 'until', text: string): string {
  checked(flag, checkInstant(text));
  return text;
}

/**
 * `--for` of `on`: a duration by the domain's rule, at most a window's length (7 days), in seconds.
 *
 * @example
 * forOf('1h30m') // 5400
 * forOf('8d') // throws UsageError('--for must be a duration like 45m, 2h or 1h30m, from 1s to 7d.')
 */
export function forOf(text: string): number {
  return checked('for', checkDuration(text, WINDOW_LIMITS.maxLengthMs / 1000));
}

/**
 * When `on` ends by itself: `--until` as typed, `--for` as seconds (the end is worked out when the
 * request is sent), or neither. The parser has already refused both at once.
 *
 * @example
 * endsOf({ for: '45m' }) // { ends: { inSeconds: 2700 } }
 */
export function endsOf(values: { until?: string; for?: string }): {
  ends?: { at: string } | { inSeconds: number };
} {
  if (values.until !== undefined) return { ends: { at: instantOf('until', values.until) } };
  if (values.for !== undefined) return { ends: { inSeconds: forOf(values.for) } };
  return {};
}

/**
 * A window's id for `cancel`, as typed; only an empty one is refused here, since the path needs a segment.
 *
 * @example
 * windowIdOf('1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed') // the same id
 */
export function windowIdOf(id: string): string {
  if (id.trim() === '') throw new UsageError("ID must be a window's id, as 'maintenance windows' lists it.");
  return id;
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
