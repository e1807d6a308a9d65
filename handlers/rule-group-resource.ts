import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { createClients } from '../src/adapters/aws/clients';
import { DynamoDbChangeLog } from '../src/adapters/aws/dynamodb-change-log';
import { WafSwitchResources } from '../src/adapters/aws/waf-switch-resources';
import { putCustomResourceResponse } from '../src/adapters/cloudformation/cfn-response';
import {
  type CustomResourceEvent,
  failureReason,
  responseBody,
  runSwitchRequest,
  tableNameOf,
} from '../src/adapters/cloudformation/custom-resource';
import { jsonLogger } from '../src/adapters/json-logger';
import type { Deadline } from '../src/domain/deadline';
import type { RetryPolicy } from '../src/domain/retry';
import type { ChangeLog } from '../src/ports/change-log';
import { type Clock, systemClock } from '../src/ports/clock';
import type { Logger } from '../src/ports/logger';
import type { SwitchResources } from '../src/ports/switch-resources';
import { type MadeResources, PROVISION_RETRY_POLICY, undoCreate } from '../src/use-cases/provision-switch';
import { answerInTime, requestDeadline } from './lib/answer-in-time';

/** Kept at the end of the function's time (60 s) for the answer's PUT, and before that for undoing a Create. */
export const PUT_RESERVE_MS = 4_000;
export const UNDO_RESERVE_MS = 10_000;

export interface ResourceDeps {
  waf: SwitchResources;
  changeLog: (tableName: string) => ChangeLog;
  clock: Clock;
  policy: RetryPolicy;
  respond: typeof putCustomResourceResponse;
  /** Where an undeliverable answer is logged; the JSON console logger when none is given. */
  logger?: Logger;
}

/**
 * `Custom::MaintenanceRuleGroup`: creates, restates and deletes the switch's rule group and bypass IP
 * sets (src/use-cases/provision-switch.ts, remove-switch.ts), and always answers CloudFormation, SUCCESS
 * or FAILED with a reason, before the function's timeout: the work runs under a deadline that leaves time
 * to delete what a failed Create made, and then to PUT the answer. It never throws, since a Lambda retry
 * would run a Create again (the function also has no retries configured).
 */
export function createHandler(deps: ResourceDeps) {
  const logger = deps.logger ?? jsonLogger;
  return async (cfnEvent: CloudFormationCustomResourceEvent, context: Context): Promise<void> => {
    const event = cfnEvent as unknown as CustomResourceEvent;
    const left = () => context.getRemainingTimeInMillis();
    const deadline = requestDeadline(context, deps.clock, left() - PUT_RESERVE_MS - UNDO_RESERVE_MS);
    const ports = (tableName: string, within: Deadline) => ({
      waf: deps.waf,
      changes: deps.changeLog(tableName),
      clock: deps.clock,
      policy: deps.policy,
      deadline: within,
    });
    const made: MadeResources = [];
    let outcome: Parameters<typeof responseBody>[1];
    try {
      const work = ports(tableNameOf(event), deadline);
      outcome = {
        ok: true,
        provisioned: await answerInTime(deadline, () => runSwitchRequest(work, event, made)),
      };
    } catch (error) {
      const before = made.map((r) => `${r.kind} ${r.name}`);
      const undoDeadline = requestDeadline(context, deps.clock, left() - PUT_RESERVE_MS);
      const undoPorts = ports('', undoDeadline);
      const stuck = await answerInTime(undoDeadline, () => undoCreate(undoPorts, made)).catch((e: Error) =>
        made.map((r) => ({ resource: `${r.kind} ${r.name}`, problem: e.message })),
      );
      const undone = before.filter((name) => !stuck.some((s) => s.resource === name));
      const unconfirmedWrites = deadline.writesOfUnknownOutcome();
      outcome = {
        ok: false,
        reason: failureReason(event, error, { unconfirmedWrites, undone, left: stuck }),
      };
    }
    try {
      await deps.respond(event.ResponseURL, responseBody(event, outcome), Math.max(1_000, left() - 1_000));
    } catch (error) {
      // The stack waits for this answer until its own timeout: the log is all that is left to say why.
      logger.error('cloudformation-answer-failed', { requestId: event.RequestId, error });
    }
  };
}

const clients = createClients();
export const handler = createHandler({
  waf: new WafSwitchResources(clients.waf),
  changeLog: (tableName) => new DynamoDbChangeLog(clients.dynamodb, tableName),
  clock: systemClock,
  policy: PROVISION_RETRY_POLICY,
  respond: putCustomResourceResponse,
  logger: jsonLogger,
});
