/**
 * A Slack user ID as Slack sends it in `user_id`: `U` (or `W` on Enterprise Grid) then upper-case letters
 * and digits. Grants are keyed by it, so a display name or a lower-cased ID would grant nobody; refusing
 * them up front turns that silent miss into an error.
 *
 * @example
 * SLACK_USER_ID_PATTERN.test('U024BE7LH') // true
 * SLACK_USER_ID_PATTERN.test('@alice')    // false
 */
export const SLACK_USER_ID_PATTERN = /^[UW][A-Z0-9]{2,20}$/;

/**
 * @example
 * isSlackUserId('W012A3CDE') // true
 * isSlackUserId('u024be7lh') // false: IDs are upper case
 */
export function isSlackUserId(value: unknown): value is string {
  return typeof value === 'string' && SLACK_USER_ID_PATTERN.test(value);
}
