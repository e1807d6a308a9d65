import type { FieldToMatch, PositionalConstraint, Statement } from '@aws-sdk/client-wafv2';

/**
 * The byte matches the switch writes: on the bytes as the request carries them (text transformation
 * NONE), so a path, cookie or header matches only exactly as listed.
 *
 * @example
 * byteMatch({ UriPath: {} }, 'STARTS_WITH', '/api/webhooks/')
 */
export function byteMatch(field: FieldToMatch, constraint: PositionalConstraint, value: string): Statement {
  return {
    ByteMatchStatement: {
      FieldToMatch: field,
      PositionalConstraint: constraint,
      SearchString: new TextEncoder().encode(value),
      TextTransformations: [{ Priority: 0, Type: 'NONE' }],
    },
  };
}

/**
 * A byte match's search string as text (GetRuleGroup returns it as bytes), or null for another statement.
 *
 * @example
 * searchText(byteMatch({ UriPath: {} }, 'EXACTLY', '/health')) // '/health'
 */
export function searchText(statement: Statement): string | null {
  const bytes = statement.ByteMatchStatement?.SearchString;
  return bytes ? new TextDecoder().decode(bytes) : null;
}
