import type { Deadline } from '../domain/deadline';
import { DomainError, PartialChangeError, ValidationError } from '../domain/errors';
import {
  alreadyMessage,
  bypassAnnouncement,
  bypassLinkMessage,
  bypassListMessage,
  bypassUnchangedMessage,
  changeAnnouncement,
  problemMessage,
  type SlackMessage,
  statusMessage,
  windowCancelledAnnouncement,
  windowScheduledAnnouncement,
  windowsListMessage,
} from '../domain/slack-messages';
import type { BypassSetStore } from '../ports/bypass-set-store';
import type { Logger } from '../ports/logger';
import type { SlackJob, SlackResponder } from '../ports/slack-worker';
import type { Timers } from '../ports/timers';
import type { WindowStore } from '../ports/window-store';
import { cancelWindow } from './cancel-window';
import { getMaintenanceStatus } from './get-maintenance-status';
import { listBypassSet } from './list-bypass-set';
import { listWindows } from './list-windows';
import { scheduleWindow } from './plan-window';
import { type SetMaintenanceDeps, setMaintenanceMode } from './set-maintenance-mode';
import { updateBypassSet } from './update-bypass-set';

export type RunSlackDeps = SetMaintenanceDeps & {
  bypass: BypassSetStore;
  responder: SlackResponder;
  logger: Logger;
  /** The calendar and the timers, for `schedule`, `windows` and `cancel`. */
  windows: WindowStore;
  timers: Timers;
};

async function replies(deps: RunSlackDeps, job: SlackJob): Promise<SlackMessage[]> {
  const { command } = job;
  switch (command.kind) {
    case 'status':
      return [statusMessage(await getMaintenanceStatus(deps))];
    case 'on':
    case 'off': {
      const { status, changed } = await setMaintenanceMode(deps, {
        enabled: command.kind === 'on',
        reason: command.reason,
        retryAfterSeconds: command.kind === 'on' ? command.retryAfterSeconds : undefined,
        actor: job.actor,
      });
      // The channel hears of the change without the link (its members need not be operators); the
      // caller, whose address Slack cannot see, gets the link in a message only they can read.
      const link = command.kind === 'on' ? bypassLinkMessage(status) : null;
      return [
        changed ? changeAnnouncement(status, job.userId) : alreadyMessage(status),
        ...(link ? [link] : []),
      ];
    }
    case 'allow':
    case 'deny': {
      const list = command.kind === 'allow' ? 'add' : 'remove';
      const result = await updateBypassSet(deps, { [list]: command.addresses, actor: job.actor });
      const changed = result.added.length + result.removed.length > 0;
      return [
        ...(changed ? [bypassAnnouncement(result, job.userId)] : []),
        ...(result.unchanged.length || !changed
          ? [bypassUnchangedMessage(result.unchanged, result.count)]
          : []),
      ];
    }
    case 'bypass':
      return [bypassListMessage(await listBypassSet(deps))];
    case 'schedule': {
      const window = await scheduleWindow(deps, {
        startsAt: command.startsAt,
        endsAt: command.endsAt,
        reason: command.reason,
        actor: job.actor,
      });
      return [windowScheduledAnnouncement(window, job.userId)];
    }
    case 'windows':
      return [windowsListMessage((await listWindows(deps)).windows)];
    case 'cancel': {
      const cancelled = await cancelWindow(deps, {
        id: command.id,
        actor: job.actor,
      });
      return [windowCancelledAnnouncement(cancelled, job.userId)];
    }
    default:
      return [problemMessage(`The worker does not run \`${command.kind}\`.`)];
  }
}

function failureMessage(error: unknown, deadline: Deadline): SlackMessage {
  if (error instanceof PartialChangeError) {
    const {
      version,
      added = [],
      removed = [],
    } = error.applied as { version?: string; added?: string[]; removed?: string[] };
    return problemMessage(`Only part of the change was applied (${version}); finish or revert it:`, [
      ...added.map((cidr) => `added ${cidr}`),
      ...removed.map((cidr) => `removed ${cidr}`),
    ]);
  }
  if (error instanceof ValidationError) {
    return problemMessage(
      'Nothing was changed:',
      error.errors.map((e) => `${e.field}: ${e.message}`),
    );
  }
  // A write sent without an answer may still be applied: say so rather than "nothing was changed".
  const { unconfirmedWrites, detail } = deadline.outcome();
  if (unconfirmedWrites.length > 0) {
    return problemMessage(
      `${error instanceof DomainError ? error.message : 'Something went wrong.'} ${detail}`,
    );
  }
  if (error instanceof DomainError) return problemMessage(`Nothing was changed: ${error.message}`);
  return problemMessage('Something went wrong on our side; nothing was changed. Try again, or use the API.');
}

/**
 * The asynchronous half of `/maintenance`: runs a granted, parsed command with the same use cases as the
 * HTTP API (same validation, retries and limits; changedBy names the Slack user) and reports through the
 * command's response_url: changes are announced to the channel, everything else goes to the caller only,
 * the bypass link included (it is a credential; logs never carry it, nor the messages that hold it).
 * Failures are reported, never thrown: an async Lambda retry would repeat the command and its messages.
 */
export async function runSlackCommand(deps: RunSlackDeps, job: SlackJob): Promise<void> {
  let messages: SlackMessage[];
  try {
    messages = await replies(deps, job);
  } catch (error) {
    // A domain error is the user's to read in the reply; anything else is a bug, for the logs.
    if (!(error instanceof DomainError)) deps.logger.error('slack-command-failed', { error });
    messages = [failureMessage(error, deps.deadline)];
  }
  // Cut short by the worker's deadline: the handler has already told the user what became of it.
  if (deps.deadline.closed) return;
  for (const message of messages) {
    try {
      await deps.responder.post(job.responseUrl, message);
    } catch (error) {
      // Logged, not thrown: the change (if any) is done, and a retry would repeat it.
      deps.logger.error('slack-reply-failed', { error });
    }
  }
}
