import { createHmac } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { httpEvent } from './events';

export const SIGNING_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';

/** A slash-command body as Slack sends it (form-encoded), with overrides. */
export function slashCommandBody(fields: Record<string, string> = {}): string {
  return new URLSearchParams({
    token: 'gIkuvaNzQIHg97ATvDxqgjtO',
    team_id: 'T0001',
    team_domain: 'example',
    channel_id: 'C2147483705',
    channel_name: 'ops',
    user_id: 'U2147483697',
    user_name: 'alice',
    command: '/maintenance',
    text: 'status',
    api_app_id: 'A123456',
    response_url: 'https://hooks.slack.com/commands/1234/5678',
    trigger_id: '13345224609.738474920.8088930838d88f008e0',
    ...fields,
  }).toString();
}

/** Signs like Slack: `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{body}`. */
export function slackSignature(secret: string, timestamp: string, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** A signed POST /slack/command event; `tamper` edits it after signing. */
export function signedSlackEvent(
  options: { body?: string; secret?: string; timestamp?: string; base64?: boolean } = {},
): APIGatewayProxyEventV2 {
  const body = options.body ?? slashCommandBody();
  const timestamp = options.timestamp ?? String(Math.floor(Date.parse('2026-11-23T10:00:00.000Z') / 1000));
  return httpEvent({
    method: 'POST',
    path: '/slack/command',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': slackSignature(options.secret ?? SIGNING_SECRET, timestamp, body),
    },
    body: options.base64 ? Buffer.from(body).toString('base64') : body,
    isBase64Encoded: options.base64 ?? false,
  });
}

interface TextObject {
  type: string;
  text: string;
}
interface Block {
  type: string;
  text?: TextObject;
  elements?: TextObject[];
}

/**
 * Every mrkdwn text of a message (section texts and context elements), after asserting Block Kit's limits
 * on it: at most 50 blocks, each text 1 to 3,000 characters, at most 10 context elements, and a short
 * fallback `text`. Written out here rather than imported, so a wrong limit in the code cannot pass.
 */
export function blockKitTexts(message: { text: string; blocks?: unknown[] }): string[] {
  const blocks = (message.blocks ?? []) as Block[];
  expect(blocks.length).toBeGreaterThan(0);
  expect(blocks.length).toBeLessThanOrEqual(50);
  expect(message.text.length).toBeGreaterThan(0);
  expect(message.text.length).toBeLessThanOrEqual(300);
  const texts = blocks.flatMap((block) => {
    if (block.type === 'section') return [block.text?.text ?? ''];
    expect(block.type).toBe('context');
    expect(block.elements?.length).toBeLessThanOrEqual(10);
    return (block.elements ?? []).map((element) => element.text);
  });
  for (const text of texts) {
    expect(text.length).toBeGreaterThan(0);
    expect(text.length).toBeLessThanOrEqual(3_000);
  }
  return texts;
}
