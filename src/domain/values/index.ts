/**
 * The value rules every entry point shares (the HTTP API's zod schemas, the use cases, Slack, the CLI):
 * the reason, Retry-After, bypass addresses, exempt paths, moments and durations. Each parser says what is
 * wrong in a phrase without the field's name, which the caller puts in front (`reason must be ...`,
 * `--reason must be ...`, `The reason must be ...`); none throws, whatever its input.
 */
export type { BatchCheck, BatchInput, BatchProblem } from '../batch';
export { checkAddressBatch } from './address-batch';
export { checkDuration, formatDuration, parseDurationText } from './duration';
export {
  checkExemptionBatch,
  checkExemptPath,
  type ExemptPath,
  MAX_EXEMPT_PATH_BYTES,
  MAX_EXEMPTIONS,
  MAX_MATCH_BYTES,
} from './exempt-path';
export { checkHistoryLimit, checkHistoryQuery, type QueryProblem } from './history-query';
export { checkInstant } from './instant';
export { checkReason } from './reason';
export { checkRetryAfter, checkRetryAfterText } from './retry-after';
export type { ValueCheck } from './value-check';
