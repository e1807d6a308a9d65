import * as z from 'zod/mini';
import { parseEnv } from './config';

const announceSchema = z.object({
  /** The SSM SecureString holding the Slack webhook's URL; while it does not exist, nothing is announced. */
  SLACK_WEBHOOK_PARAMETER: z.string().check(z.minLength(1, 'is empty')),
  // Only the local stack sets it (its listener on http://127.0.0.1:); empty or unset admits Slack alone.
  SLACK_WEBHOOK_URL_PREFIX: z.optional(z.string()),
  AWS_REGION: z._default(z.string().check(z.minLength(1, 'is empty')), 'us-east-1'),
});

export type AnnounceConfig = z.infer<typeof announceSchema>;

/**
 * The announce function's configuration, parsed once at cold start: it reads one SSM parameter and posts
 * to Slack, nothing else.
 *
 * @example
 * loadAnnounceConfig({ SLACK_WEBHOOK_PARAMETER: '/waf-maintenance/dev/slack-webhook-url' }).AWS_REGION; // 'us-east-1'
 */
export function loadAnnounceConfig(env: NodeJS.ProcessEnv = process.env): AnnounceConfig {
  return parseEnv(announceSchema, env);
}
