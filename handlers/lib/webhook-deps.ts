import { SSMClient } from '@aws-sdk/client-ssm';
import { clientConfig } from '../../src/adapters/aws/clients';
import { SsmSecret } from '../../src/adapters/aws/ssm-secret';
import { SlackWebhookPoster } from '../../src/adapters/slack/webhook-poster';
import { loadAnnounceConfig } from '../../src/announce-config';
import { systemClock } from '../../src/ports/clock';
import type { SecretSource } from '../../src/ports/secret-source';
import type { WebhookPoster } from '../../src/ports/webhook-poster';

/** Where announcements and reminders go: the webhook's URL (an SSM SecureString) and the bounded poster. */
export interface SlackWebhook {
  url: SecretSource;
  poster: WebhookPoster;
}

/** The Slack webhook's part of a composition root, for `announce` and `scheduled` (its reminders). */
export function slackWebhook(env: NodeJS.ProcessEnv = process.env): SlackWebhook {
  const config = loadAnnounceConfig(env);
  return {
    url: new SsmSecret(
      new SSMClient(clientConfig(config.AWS_REGION)),
      config.SLACK_WEBHOOK_PARAMETER,
      systemClock,
      undefined,
      "the Slack incoming webhook's URL",
    ),
    // The template passes '' when the stage sets no prefix: that admits nothing more.
    poster: new SlackWebhookPoster({ allowedPrefix: config.SLACK_WEBHOOK_URL_PREFIX || undefined }),
  };
}
