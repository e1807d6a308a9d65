import type { SlackCommand } from '../domain/slack-command';
import type { SlackMessage } from '../domain/slack-messages';

/** What the acknowledging Lambda hands to the worker: a verified, granted, parsed command. */
export interface SlackJob {
  command: SlackCommand;
  /** `Slack user <name> (<id>)`-style label recorded as changedBy. */
  actor: string;
  userId: string;
  /** Slack's response_url: up to 5 messages within 30 minutes. */
  responseUrl: string;
}

/** Runs a job after the 3-second acknowledgement, e.g. an asynchronous Lambda invocation. */
export interface SlackJobQueue {
  enqueue(job: SlackJob): Promise<void>;
}

/** Posts a message to a Slack response_url. */
export interface SlackResponder {
  post(responseUrl: string, message: SlackMessage): Promise<void>;
}

export type { SlackMessage };
