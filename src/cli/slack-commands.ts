import type { Clock } from '../ports/clock';
import type { SlackGrants } from '../ports/slack-grants';
import type { Command } from './args';
import { CliError } from './errors';
import { slackGrantTable } from './format';
import { type Io, writeJson, writeLine } from './io';
import { describeTarget, type StackTarget } from './stack-target';

export interface SlackDeps {
  grants: SlackGrants;
  clock: Clock;
  target: StackTarget;
}

/** `maintenance slack grant USER_ID --role R`: grants or replaces the user's role. */
export async function grantSlackCommand(
  deps: SlackDeps,
  command: Extract<Command, { kind: 'slack-grant' }>,
  io: Io,
): Promise<void> {
  const grant = { userId: command.userId, role: command.role, grantedAt: deps.clock.now().toISOString() };
  await deps.grants.grant(grant);
  if (command.json) writeJson(io.stdout, grant);
  else
    writeLine(io.stdout, `Granted ${grant.userId} the ${grant.role} role (${describeTarget(deps.target)}).`);
}

/** `maintenance slack revoke USER_ID`: fails when the user had no grant, so a typo is not mistaken for success. */
export async function revokeSlackCommand(
  deps: SlackDeps,
  command: Extract<Command, { kind: 'slack-revoke' }>,
  io: Io,
): Promise<void> {
  const where = describeTarget(deps.target);
  const revoked = await deps.grants.revoke(command.userId);
  if (!revoked) throw new CliError(`${command.userId} has no Slack grant (${where}); nothing was revoked.`);
  if (command.json) writeJson(io.stdout, { userId: command.userId, revoked: true });
  else writeLine(io.stdout, `Revoked ${command.userId} (${where}).`);
}

/** `maintenance slack list`: every granted user with role and grant time, by user ID. */
export async function listSlackCommand(deps: SlackDeps, command: { json: boolean }, io: Io): Promise<void> {
  const grants = await deps.grants.list();
  if (command.json) {
    writeJson(io.stdout, {
      grants: grants.map(({ userId, role, grantedAt }) => ({ userId, role, grantedAt })),
    });
  } else if (grants.length === 0) writeLine(io.stdout, `No Slack grants (${describeTarget(deps.target)}).`);
  else writeLine(io.stdout, slackGrantTable(grants));
}
