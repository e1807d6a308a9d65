import type { Role } from '../../src/domain/roles';
import type { LocalSlack } from './slack';

export interface ReadyStack {
  stage: string;
  apiUrl: string;
  emulatorUrl: string;
  emulatorStartedHere: boolean;
  ruleGroupArn: string;
  webAclArn: string;
  distributionId: string;
  /** The local edge, standing in for the distribution; undefined when the stage has none. */
  edgeUrl: string | undefined;
  /** What the edge forwards to: ORIGIN_URL, or the sample site started here. */
  origin: { url: string; sample: boolean };
  tokens: Record<Role, string>;
  slack: LocalSlack;
  /** SLACK_WEBHOOK_URL: where every change is announced; undefined when unset. */
  webhookUrl?: string | undefined;
  /** The timers' schedule group, fired by the local scheduler runner; undefined when the stage has none. */
  scheduleGroup?: string | undefined;
}

/** A webhook's URL is a credential: the banner shows where it goes, not the path that lets anyone post. */
function webhookOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'SLACK_WEBHOOK_URL';
  }
}

/**
 * What `npm start` prints once the API answers: where it is, the tokens (shown this once), and how to
 * use them. Tests read the `API`, `Admin token` and `Operator token` lines, so keep their shape; the
 * contract's acceptance reads the edge from the line that starts with `Edge:`.
 */
export function readyBanner(stack: ReadyStack): string {
  const { apiUrl, tokens } = stack;
  const auth = `-H "Authorization: Bearer ${tokens.operator}"`;
  const post = (body: string) =>
    `curl -s -X POST ${auth} -H "Content-Type: application/json" -d '${body}' ${apiUrl}/maintenance`;
  const emulator = `${stack.emulatorUrl} (${stack.emulatorStartedHere ? 'moto server, started here' : 'AWS_ENDPOINT_URL'})`;
  const origin = `${stack.origin.url} (${stack.origin.sample ? 'the sample site; set ORIGIN_URL for your own' : 'ORIGIN_URL'})`;
  const edge = stack.edgeUrl
    ? [
        `Edge: ${stack.edgeUrl}`,
        '  Open it in a browser: it is the site as a visitor gets it, and it shows the maintenance page while maintenance is on.',
        '',
      ]
    : [];
  return [
    '',
    `waf-maintenance local stack is ready (stage ${stack.stage})`,
    '',
    ...edge,
    `  API             ${apiUrl}`,
    `  Emulator        ${emulator}`,
    `  Rule group      ${stack.ruleGroupArn}`,
    `  Web ACL         ${stack.webAclArn}`,
    `  Distribution    ${stack.distributionId} (emulated: its *.cloudfront.net name does not resolve)`,
    ...(stack.edgeUrl ? [`  Origin          ${origin}`] : []),
    `  Admin token     ${tokens.admin}`,
    `  Operator token  ${tokens.operator}`,
    `  Slack secret    ${stack.slack.secret} (${stack.slack.fromEnvironment ? 'SLACK_SIGNING_SECRET' : 'generated; set SLACK_SIGNING_SECRET to choose it'})`,
    `  Announcements   ${stack.webhookUrl ? `${webhookOrigin(stack.webhookUrl)}/… (SLACK_WEBHOOK_URL)` : 'none (set SLACK_WEBHOOK_URL to post every change to a Slack webhook)'}`,
    ...(stack.scheduleGroup
      ? [`  Scheduler       local runner over the emulator's group ${stack.scheduleGroup}`]
      : []),
    '',
    'Tokens are minted afresh on every start and shown only here.',
    '',
    'Try it:',
    `  curl -s ${auth} ${apiUrl}/maintenance`,
    `  ${post('{"enabled":true,"retryAfterSeconds":1800,"reason":"Database upgrade"}')}`,
    `  ${post('{"enabled":false}')}`,
    '',
    'Or with the CLI:',
    `  export MAINTENANCE_API_URL=${apiUrl}`,
    `  export MAINTENANCE_TOKEN=${tokens.operator}`,
    '  npx maintenance status',
    '',
    `Slack: POST ${apiUrl}/slack/command, signed with the secret above; grant users (in the emulator's table) with`,
    `  AWS_ENDPOINT_URL=${stack.emulatorUrl} npx maintenance slack grant U0123ABCD --role operator --stage ${stack.stage}`,
    '',
    'Press Ctrl+C to stop.',
    '',
  ].join('\n');
}
