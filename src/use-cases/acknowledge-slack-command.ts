import { hasRole, type Role } from '../domain/roles';
import { parseSlackCommand, SLACK_USAGE, type SlackCommand } from '../domain/slack-command';
import { problemMessage, type SlackMessage, usageMessage, workingMessage } from '../domain/slack-messages';
import { isSlackResponseUrl } from '../domain/slack-response-url';
import { checkAddressBatch } from '../domain/values';
import type { SlackGrants } from '../ports/slack-grants';
import type { SlackJobQueue } from '../ports/slack-worker';

export interface SlackInvocation {
  text: string;
  userId: string;
  userName: string;
  responseUrl: string;
}

const REQUIRED_ROLE: Record<Exclude<SlackCommand['kind'], 'help' | 'usage'>, Role> = {
  status: 'operator',
  on: 'operator',
  off: 'operator',
  bypass: 'operator',
  schedule: 'operator',
  windows: 'operator',
  cancel: 'operator',
  allow: 'admin',
  deny: 'admin',
};

const WORKING: Partial<Record<SlackCommand['kind'], string>> = {
  on: 'Turning maintenance on',
  off: 'Turning maintenance off',
  schedule: 'Scheduling the window',
  cancel: 'Cancelling the window',
  allow: 'Adding to the bypass set',
  deny: 'Removing from the bypass set',
};

/** Refuses bad addresses now, by the same rule and messages as the HTTP API, rather than in the worker. */
function invalidAddresses(command: SlackCommand): string[] {
  if (command.kind !== 'allow' && command.kind !== 'deny') return [];
  const checked = checkAddressBatch({ [command.kind === 'allow' ? 'add' : 'remove']: command.addresses });
  return checked.ok ? [] : checked.problems.map((p) => `${String(p.entry ?? p.field)}: ${p.message}`);
}

/** What the acknowledgement needs; `responseUrlPrefix` admits one more response_url origin (local stack). */
export interface AcknowledgeSlackDeps {
  grants: SlackGrants;
  queue: SlackJobQueue;
  responseUrlPrefix?: string | undefined;
}

/**
 * The synchronous half of `/maintenance`, answered within Slack's 3 seconds whatever AWS is doing.
 * 1. Check the response_url, where the worker will report: one that is not Slack's gets a refusal in this
 *    answer, before anything is looked up or queued, so a signed request cannot aim the worker elsewhere.
 * 2. Look up the caller's grant: no grant, or a role too low, gets a polite refusal and nothing happens.
 * 3. Parse the text; `help` and usage problems are answered here. Addresses are checked here too.
 * 4. Hand the command to the worker (asynchronous), which does the AWS work and reports via response_url;
 *    answer with a short "working" note for changes, nothing at all for reads (the worker's reply follows).
 * Returns the reply for the HTTP response, or null for an empty acknowledgement.
 */
export async function acknowledgeSlackCommand(
  deps: AcknowledgeSlackDeps,
  input: SlackInvocation,
): Promise<SlackMessage | null> {
  if (!isSlackResponseUrl(input.responseUrl, deps.responseUrlPrefix)) {
    return problemMessage(
      "Nothing was changed: this request's response_url is not a Slack URL, so no command from it is run.",
    );
  }
  const role = await deps.grants.roleOf(input.userId);
  if (!role) {
    return problemMessage(
      'Sorry, you have not been granted the use of /maintenance. Ask an admin to run `maintenance slack grant` for your user ID.',
    );
  }
  const command = parseSlackCommand(input.text);
  if (command.kind === 'help') return usageMessage(SLACK_USAGE);
  if (command.kind === 'usage') return usageMessage(SLACK_USAGE, command.problem);
  if (!hasRole(role, REQUIRED_ROLE[command.kind])) {
    return problemMessage(
      `Sorry, \`${command.kind}\` needs the ${REQUIRED_ROLE[command.kind]} role; you have ${role}.`,
    );
  }
  const invalid = invalidAddresses(command);
  if (invalid.length > 0)
    return problemMessage('Nothing was changed; these addresses are not valid:', invalid);

  await deps.queue.enqueue({
    command,
    actor: `slack:${input.userName} (${input.userId})`,
    userId: input.userId,
    responseUrl: input.responseUrl,
  });
  const working = WORKING[command.kind];
  return working ? workingMessage(working) : null;
}
