import { isSlackResponseUrl } from '../../domain/slack-response-url';
import { type Clock, systemClock } from '../../ports/clock';
import type { PostResult, WebhookMessage, WebhookPoster } from '../../ports/webhook-poster';
import { postToSlack } from './post-to-slack';

export interface WebhookPosterOptions {
  /** One more origin admitted besides Slack's, for the local stack and tests (`http://127.0.0.1:`). */
  allowedPrefix?: string;
  /** Requests at most, the first included. */
  attempts?: number;
  /** The bound of one request, its answer's body included. */
  timeoutMs?: number;
  /** The wait before the second request; doubled before each next one, up to MAX_BACKOFF_MS. */
  backoffMs?: number;
  fetchImpl?: typeof fetch;
  clock?: Pick<Clock, 'sleep'>;
}

/** The longest wait between two requests, a 429's Retry-After included. */
export const MAX_BACKOFF_MS = 2_000;
/** How much of Slack's answer an error repeats (`invalid_blocks`, `no_service`): enough to say why. */
const ANSWER_MAX = 100;

type Attempt = { ok: true } | { ok: false; error: string; retry: boolean; waitMs?: number };

/**
 * Posts to a Slack incoming webhook (`https://hooks.slack.com/services/...`) with `fetch`: each request
 * bounded by `timeoutMs`, at most `attempts` of them, waiting `backoffMs` (then twice that, ...) in
 * between. A 2xx is done; a 4xx other than 429 is final (the message or the webhook is wrong, and will
 * stay so); a 5xx, a 429, a network error or a timeout is tried again. A URL that is not Slack's (the same
 * rule as for response URLs) is refused before any request. It never throws, and never puts the URL in
 * an error: the URL is the webhook's secret.
 *
 * @example
 * const result = await new SlackWebhookPoster().post(url, announcement(entry));
 * // { ok: false, attempts: 3, error: 'Slack answered 500: internal_error' }
 */
export class SlackWebhookPoster implements WebhookPoster {
  readonly maxDurationMs: number;
  private readonly attempts: number;
  private readonly timeoutMs: number;
  private readonly backoffMs: number;
  private readonly fetchImpl: typeof fetch;
  private readonly clock: Pick<Clock, 'sleep'>;

  constructor(private readonly options: WebhookPosterOptions = {}) {
    this.attempts = Math.max(1, options.attempts ?? 3);
    this.timeoutMs = options.timeoutMs ?? 3_000;
    this.backoffMs = options.backoffMs ?? 500;
    this.fetchImpl = options.fetchImpl ?? fetch;
    this.clock = options.clock ?? systemClock;
    this.maxDurationMs = this.attempts * this.timeoutMs + (this.attempts - 1) * MAX_BACKOFF_MS;
  }

  async post(url: string, message: WebhookMessage): Promise<PostResult> {
    if (!isSlackResponseUrl(url, this.options.allowedPrefix || undefined))
      return { ok: false, attempts: 0, error: 'Refused: the webhook URL is not a Slack webhook URL' };
    const body = JSON.stringify(message);
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.once(url, body);
      if (outcome.ok) return { ok: true, attempts: attempt };
      if (!outcome.retry || attempt >= this.attempts)
        return { ok: false, attempts: attempt, error: outcome.error };
      const backoff = Math.min(this.backoffMs * 2 ** (attempt - 1), MAX_BACKOFF_MS);
      await this.clock.sleep(Math.min(Math.max(backoff, outcome.waitMs ?? 0), MAX_BACKOFF_MS));
    }
  }

  private async once(url: string, body: string): Promise<Attempt> {
    try {
      const res = await postToSlack(this.fetchImpl, url, body, this.timeoutMs);
      // Read to the end, within the same bound, so the connection is freed. A 2xx was posted, whatever
      // becomes of its body: trying again would post it twice.
      const answer = (
        await res.text().catch((error: unknown) => (res.ok ? '' : Promise.reject(error)))
      ).slice(0, ANSWER_MAX);
      if (res.ok) return { ok: true };
      const retry = res.status === 429 || res.status >= 500;
      const retryAfter = Number(res.headers.get('retry-after'));
      return {
        ok: false,
        error: `Slack answered ${res.status}${answer ? `: ${answer}` : ''}`,
        retry,
        ...(retryAfter > 0 ? { waitMs: retryAfter * 1000 } : {}),
      };
    } catch (error) {
      return { ok: false, error: failure(error, this.timeoutMs), retry: true };
    }
  }
}

/** An error's name and message, read by shape: fetch's errors may come from another realm than `Error`. */
function described(value: unknown): { name: string; message: string; cause: unknown } {
  const error = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const message = typeof error.message === 'string' ? error.message : String(value);
  return { name: typeof error.name === 'string' ? error.name : '', message, cause: error.cause };
}

/** A failed request in words: undici's `fetch failed` says nothing, its cause says what. */
function failure(error: unknown, timeoutMs: number): string {
  const { name, message, cause } = described(error);
  if (name === 'TimeoutError') return `No answer within ${timeoutMs} ms`;
  return `The request failed: ${message}${cause === undefined ? '' : `: ${described(cause).message}`}`;
}
