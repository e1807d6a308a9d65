import type { Rule, Statement } from '@aws-sdk/client-wafv2';

/**
 * WAF's capacity arithmetic (web ACL capacity units, WCUs) for the statement types the switch writes, from
 * the AWS WAF Developer Guide's rule statement pages:
 * - IP set reference: 1; label match: 1;
 * - string (byte) match: 2 for EXACTLY, STARTS_WITH and ENDS_WITH, 10 for CONTAINS and CONTAINS_WORD,
 *   plus 10 for each text transformation other than NONE;
 * - AND, OR and NOT cost what the statements they hold cost.
 * moto computes none of this; WAF refuses a rule group whose rules need more than its capacity, which is
 * fixed at creation. Any other statement type is refused here rather than guessed at.
 *
 * @example
 * statementCapacity({ IPSetReferenceStatement: { ARN } }) // 1
 */
export function statementCapacity(statement: Statement): number {
  if (statement.IPSetReferenceStatement || statement.LabelMatchStatement) return 1;
  const byteMatch = statement.ByteMatchStatement;
  if (byteMatch) {
    const base = ['CONTAINS', 'CONTAINS_WORD'].includes(byteMatch.PositionalConstraint ?? '') ? 10 : 2;
    const transformations = (byteMatch.TextTransformations ?? []).filter((t) => t.Type !== 'NONE').length;
    return base + 10 * transformations;
  }
  const nested = statement.AndStatement?.Statements ?? statement.OrStatement?.Statements;
  if (nested) return nested.reduce((sum, s) => sum + statementCapacity(s), 0);
  if (statement.NotStatement?.Statement) return statementCapacity(statement.NotStatement.Statement);
  throw new RangeError(`No capacity known for statement ${Object.keys(statement).join(', ')}`);
}

/** The WCUs a set of rules needs: the sum of their statements'. */
export function rulesCapacity(rules: Rule[]): number {
  return rules.reduce((sum, rule) => sum + (rule.Statement ? statementCapacity(rule.Statement) : 0), 0);
}
