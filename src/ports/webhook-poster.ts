import type { Announcement } from '../domain/announcements';

/** A message for a Slack incoming webhook: Block Kit blocks and the notification's fallback text. */
export type WebhookMessage = Announcement;

/** What became of one post: how many requests it took, and why it failed when it did. */
export interface PostResult {
  ok: boolean;
  /** Requests sent; 0 when the URL was refused before any. */
  attempts: number;
  /** Why it failed, in words safe to log: never the URL, which holds the webhook's secret. */
  error?: string;
}

/** Posts a message to a webhook, with its own bounded retries. Never throws. */
export interface WebhookPoster {
  /** The longest one `post` can take, every attempt and wait included. */
  readonly maxDurationMs: number;
  post(url: string, message: WebhookMessage): Promise<PostResult>;
}
