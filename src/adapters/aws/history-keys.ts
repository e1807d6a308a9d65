/**
 * How the history is keyed in the stage's table, shared by the audit log (which writes and queries it) and
 * the stream reader (which announces it) without pulling the DynamoDB client into the announce bundle.
 * serverless.yml's index and stream filter name the same: `history`, `entry#`.
 */
export const ENTRY_PREFIX = 'entry#';
/** The global secondary index of the history. */
export const HISTORY_INDEX = 'history';
/** The index's partition key value, the same for every entry. */
export const HISTORY_KEY = 'history';
