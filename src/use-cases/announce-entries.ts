import { announcement } from '../domain/announcements';
import { MisconfiguredError } from '../domain/errors';
import type { Entry } from '../domain/history';
import type { Logger } from '../ports/logger';
import type { SecretSource } from '../ports/secret-source';
import type { WebhookPoster } from '../ports/webhook-poster';

/** The log lines this writes: the Logger port's info and error. */
export type AnnounceLog = Pick<Logger, 'info' | 'error'>;

export interface AnnounceDeps {
  /** The webhook's URL (an SSM SecureString); MisconfiguredError while it does not exist. */
  webhookUrl: SecretSource;
  poster: WebhookPoster;
  log: AnnounceLog;
  /** How long the invocation has left; no post starts that could outlast it. */
  timeLeftMs: () => number;
  /** Whether "not configured" was logged already (once per container, not once per batch). */
  quiet?: { told: boolean };
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Announces history entries to the Slack webhook, one post each, in order. Steps:
 * 1. read the webhook's URL (cached by the secret source); none configured: log that once, post nothing;
 * 2. for each entry, unless the time left could not hold a whole post, post its announcement;
 * 3. log each entry that was not announced (`announcement-failed`, with its id), and go on.
 * It never throws: the change was made and recorded, and a retried batch would post its entries again.
 * The bound on retries is the poster's.
 */
/**
 * Kept free after a post's longest possible run: a timer's slip past the function's timeout would make Lambda
 * retry the whole batch, and post again what was already posted.
 */
export const POST_MARGIN_MS = 1_000;

export async function announceEntries(deps: AnnounceDeps, entries: Entry[]): Promise<void> {
  if (entries.length === 0) return;
  let url: string;
  try {
    url = await deps.webhookUrl.get();
  } catch (error) {
    if (error instanceof MisconfiguredError) {
      if (!deps.quiet?.told) deps.log.info('announcements-not-configured', { skipped: entries.length });
      if (deps.quiet) deps.quiet.told = true;
      return;
    }
    for (const entry of entries)
      deps.log.error('announcement-failed', {
        entryId: entry.id,
        attempts: 0,
        error: `The webhook URL could not be read: ${message(error)}`,
      });
    return;
  }
  if (deps.quiet) deps.quiet.told = false;
  for (const entry of entries) {
    if (deps.timeLeftMs() < deps.poster.maxDurationMs + POST_MARGIN_MS) {
      deps.log.error('announcement-failed', {
        entryId: entry.id,
        attempts: 0,
        error: 'Too little of the invocation was left for a post',
      });
      continue;
    }
    const result = await deps.poster.post(url, announcement(entry));
    if (!result.ok)
      deps.log.error('announcement-failed', {
        entryId: entry.id,
        attempts: result.attempts,
        error: result.error,
      });
  }
}
