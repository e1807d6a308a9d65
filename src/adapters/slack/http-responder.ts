import { UpstreamError } from '../../domain/errors';
import { isSlackResponseUrl } from '../../domain/slack-response-url';
import type { SlackMessage, SlackResponder } from '../../ports/slack-worker';
import { postToSlack } from './post-to-slack';

/**
 * Posts messages to a slash command's response_url (JSON, up to 5 times within 30 minutes of the command).
 * `allowedPrefix` admits one more origin, for the local stack and tests (e.g. `http://127.0.0.1:`).
 * The acknowledgement already refused a foreign response_url; the same rule is checked again here, so a job
 * that reached the worker some other way still cannot aim a request elsewhere.
 */
export class HttpSlackResponder implements SlackResponder {
  constructor(
    private readonly fetchImpl: typeof fetch = fetch,
    private readonly allowedPrefix?: string,
    private readonly timeoutMs = 5_000,
  ) {}

  async post(responseUrl: string, message: SlackMessage): Promise<void> {
    if (!isSlackResponseUrl(responseUrl, this.allowedPrefix))
      throw new UpstreamError(`Refusing to post to ${responseUrl}: not a Slack response URL`);
    let res: Response;
    try {
      res = await postToSlack(this.fetchImpl, responseUrl, JSON.stringify(message), this.timeoutMs);
    } catch (error) {
      throw new UpstreamError(`Posting to Slack failed: ${(error as Error).message}`, { cause: error });
    }
    if (!res.ok) throw new UpstreamError(`Slack answered ${res.status} to the response_url post`);
  }
}
