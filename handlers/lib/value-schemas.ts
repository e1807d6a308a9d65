import * as z from 'zod/mini';
import { checkReason, checkRetryAfter, type ValueCheck } from '../../src/domain/values';

/** A zod check from one of the domain's value rules, so the schema and the use case refuse alike. */
function fromRule<T>(rule: (input: unknown) => ValueCheck<T>) {
  return z.superRefine<T>((value, ctx) => {
    const checked = rule(value);
    if (!checked.ok) ctx.addIssue({ code: 'custom', message: checked.message, input: value });
  });
}

export const reasonSchema = z.string().check(fromRule(checkReason));
export const retryAfterSchema = z.number().check(fromRule(checkRetryAfter));
