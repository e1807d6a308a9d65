import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { jsonLogger } from '../src/adapters/json-logger';
import { problemMessage, type SlackMessage } from '../src/domain/slack-messages';
import { verifySlackSignature } from '../src/domain/slack-signature';
import type { Logger } from '../src/ports/logger';
import { signatureSighting } from '../src/ports/slack-replay-guard';
import { acknowledgeSlackCommand } from '../src/use-cases/acknowledge-slack-command';
import { answerInTime, requestDeadline } from './lib/answer-in-time';
import { header, MAX_BODY_BYTES, rawBody } from './lib/http';
import { type SlackAckDeps, slackAckDeps } from './lib/slack-deps';

type Result = APIGatewayProxyStructuredResultV2;

/** Slack gives a slash command 3 s; the acknowledgement answers by this, whatever AWS is doing. */
export const SLACK_ACK_DEADLINE_MS = 2_500;

const NO_STORE = { 'cache-control': 'no-store' };
const refused: Result = { statusCode: 401, headers: NO_STORE, body: '' };
const empty: Result = { statusCode: 200, headers: NO_STORE, body: '' };
const unavailable: Result = { statusCode: 503, headers: NO_STORE, body: '' };

function reply(message: SlackMessage): Result {
  return {
    statusCode: 200,
    headers: { ...NO_STORE, 'content-type': 'application/json' },
    body: JSON.stringify(message),
  };
}

/** Logged, then answered like every refusal: an empty 401 that tells a forger nothing. */
function refuse(logger: Logger, event: string, reason: string): Result {
  logger.warn(event, { reason });
  return refused;
}

/**
 * POST /slack/command: Slack's slash command. The signature is checked on the raw bytes (base64-decoded if
 * API Gateway encoded them) before anything else reads the body, and a verified signature is recorded at
 * once: one seen before is a replay (a captured request sent again within its 5 minutes). Either failure
 * is a 401 with an empty body. Then `ssl_check` pings get a 200, and commands are acknowledged within
 * Slack's 3 s (the AWS work happens in the worker), under a deadline like every request: once answered,
 * nothing it started reaches AWS. If the hand-over to the worker was sent but not confirmed, the reply
 * says that the command may still run.
 */
export function createHandler(deps: SlackAckDeps) {
  const logger = deps.logger ?? jsonLogger;
  return middy<APIGatewayProxyEventV2, Result, Error, Context>({ timeoutEarlyInMillis: 0 }).handler(
    async (event, context) => {
      const deadline = requestDeadline(context, deps.clock, SLACK_ACK_DEADLINE_MS);
      let verified = false;
      try {
        return await answerInTime(deadline, async () => {
          const body = rawBody(event);
          if (body.length > MAX_BODY_BYTES) return refused;
          const timestamp = header(event, 'x-slack-request-timestamp');
          const signature = header(event, 'x-slack-signature');
          const check = verifySlackSignature({
            secret: await deps.secret.get(),
            rawBody: body,
            timestamp,
            signature,
            now: deps.clock.now(),
          });
          if (!check.ok) return refuse(logger, 'slack-signature-refused', check.reason);
          verified = true;
          // Only verified requests are recorded, so nobody without the secret can write to the table.
          const sighting = signatureSighting(String(signature), String(timestamp));
          if (!(await deps.replays.firstSighting(sighting)))
            return refuse(logger, 'slack-replay-refused', 'seen before');
          const form = new URLSearchParams(body.toString('utf8'));
          if (form.get('ssl_check') === '1') return empty;
          const message = await acknowledgeSlackCommand(deps, {
            text: form.get('text') ?? '',
            userId: form.get('user_id') ?? '',
            userName: form.get('user_name') ?? '',
            responseUrl: form.get('response_url') ?? '',
          });
          return message ? reply(message) : empty;
        });
      } catch (error) {
        logger.error('slack-command-failed', { verified, error });
        // Unverified callers learn nothing; Slack users get a reply they can read instead of a bare failure.
        if (!verified) return unavailable;
        const handedOver = deadline.writesOfUnknownOutcome().some((write) => write.startsWith('Invoke'));
        return reply(
          problemMessage(
            handedOver
              ? 'AWS did not confirm that the command was handed to the worker: it may still run, and if it does, its result will follow here. Check `/maintenance status` before trying again.'
              : 'Something went wrong on our side; nothing was changed. Try again.',
          ),
        );
      }
    },
  );
}

export const handler = createHandler(slackAckDeps());
