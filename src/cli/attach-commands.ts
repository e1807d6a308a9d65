import type { Rule, WebACL } from '@aws-sdk/client-wafv2';
import { parseWebAclArn } from '../adapters/aws/waf-arn';
import { type RetryPolicy, retryOnConflict } from '../domain/retry';
import { RULE_GROUP_CAPACITY } from '../domain/rule-group';
import { ruleGroupName } from '../domain/rule-group-reference';
import {
  BASE_PRICE_CAPACITY,
  capacityAfterAttach,
  MAX_WEB_ACL_CAPACITY,
  planAttach,
  planDetach,
  WebAclLimitError,
} from '../domain/web-acl-attachment';
import type { Clock } from '../ports/clock';
import type { VersionedWebAcl, WebAclStore } from '../ports/web-acl-store';
import type { Command } from './args';
import { CliError } from './errors';
import { type AttachmentReport, describeAttach, describeDetach, wcus } from './format';
import { type Io, writeJson, writeLine } from './io';
import type { StackTarget } from './stack-target';

/** What attach and detach need from WAF (aws-web-acls.ts builds the real one, loaded only for them). */
export interface WebAclAttachments {
  /** The ARN of the CLOUDFRONT rule group named `name`, or undefined when there is none. */
  ruleGroupArn(name: string): Promise<string | undefined>;
  /** A web ACL by its ARN, read and written whole with its lock token. */
  webAcl(arn: string): WebAclStore;
}

export interface AttachDeps {
  waf: WebAclAttachments;
  clock: Clock;
  target: StackTarget;
}

/**
 * A stale lock token (someone wrote the ACL between our read and our write) or throttling is retried
 * with a fresh read for up to 10 s: a person is waiting, and a team's pipeline may be deploying the ACL.
 */
const RETRY_POLICY: RetryPolicy = {
  budgetMs: 10_000,
  baseDelayMs: 200,
  maxDelayMs: 2_000,
  random: Math.random,
};

interface StageGroup {
  name: string;
  arn: string;
}

async function stageGroup(deps: AttachDeps): Promise<StageGroup> {
  const { stage } = deps.target;
  const name = ruleGroupName(stage);
  const arn = await deps.waf.ruleGroupArn(name);
  if (!arn) {
    throw new CliError(
      `No rule group ${name} in scope CLOUDFRONT: the stack for stage ${stage} is not deployed in this account. Deploy it first (or pick the stage with --stage).`,
    );
  }
  return { name, arn };
}

function priorityTaken(aclName: string, holder: Rule): CliError {
  return new CliError(
    `Web ACL ${aclName} has rule "${holder.Name}" at priority 0, where the maintenance rule group must go to be evaluated before every other rule; nothing changed.\n` +
      'Run again with --renumber to shift every existing rule down by one (0 -> 1, 5 -> 6, ...), keeping their order, or free priority 0 yourself.',
  );
}

function nameTaken(aclName: string, holder: Rule): CliError {
  return new CliError(
    `Web ACL ${aclName} already has a rule named "${holder.Name}" that does not reference the maintenance rule group, and rule names must be unique; rename it, then attach again. Nothing changed.`,
  );
}

/** Refuses an attach the ACL has no room for; warns when it takes the ACL past the base price's WCUs. */
function capacityWarnings(aclName: string, acl: WebACL): string[] {
  const change = capacityAfterAttach(acl.Capacity);
  if (change?.exceedsMax) {
    throw new CliError(
      `Web ACL ${aclName} uses ${wcus(change.before)}; the maintenance rule group needs ${wcus(RULE_GROUP_CAPACITY)} more, past the ${wcus(MAX_WEB_ACL_CAPACITY)} a web ACL may use. Free capacity (remove or simplify rules), then attach again; nothing changed.`,
    );
  }
  if (!change?.exceedsBasePrice) return [];
  return [
    `web ACL ${aclName} now uses ${wcus(change.after)}, ${wcus(RULE_GROUP_CAPACITY)} of them for the maintenance rule group; above ${wcus(BASE_PRICE_CAPACITY)} AWS charges extra for each further 500.`,
  ];
}

/** Writes an attach; WAF's refusal for a limit is put in words (a detach only removes, so needs none). */
async function writeAttach(
  store: WebAclStore,
  acl: WebACL,
  lockToken: string,
  aclName: string,
): Promise<void> {
  try {
    await store.put(acl, lockToken);
  } catch (error) {
    if (!(error instanceof WebAclLimitError)) throw error;
    const used = acl.Capacity === undefined ? '' : `, on top of the ${wcus(acl.Capacity)} the ACL used`;
    throw new CliError(
      `AWS refused to write web ACL ${aclName}: WAFLimitsExceededException. Most likely it has no capacity left for the maintenance rule group, which needs ${wcus(RULE_GROUP_CAPACITY)}${used}; a web ACL may use at most ${wcus(MAX_WEB_ACL_CAPACITY)}. Free capacity (remove or simplify rules), then attach again; nothing changed.`,
    );
  }
}

function report(io: Io, json: boolean, outcome: AttachmentReport, described: string): void {
  if (json) {
    const rules = outcome.rules.map((rule) => ({ name: rule.Name, priority: rule.Priority }));
    writeJson(io.stdout, { ...outcome, rules });
    return;
  }
  writeLine(io.stdout, described);
  for (const warning of outcome.warnings) writeLine(io.stderr, `maintenance: warning: ${warning}`);
}

/** What one attach or detach works on: the stage's group and the team's ACL. */
interface Change {
  group: StageGroup;
  aclName: string;
  store: WebAclStore;
}

type Step = (
  read: VersionedWebAcl,
  change: Change,
) => Promise<Omit<AttachmentReport, 'webAcl' | 'ruleGroup'>>;

/**
 * Finds the stage's group, then runs `step` on a fresh read of the ACL until its write presents a
 * current lock token (or the retry budget is spent): someone else's write in between means a new plan.
 */
async function changeWebAcl(deps: AttachDeps, webAclArn: string, step: Step) {
  const change: Change = {
    group: await stageGroup(deps),
    aclName: parseWebAclArn(webAclArn).name,
    store: deps.waf.webAcl(webAclArn),
  };
  const outcome = await retryOnConflict({ clock: deps.clock, policy: RETRY_POLICY }, async () =>
    step(await change.store.get(), change),
  );
  const result: AttachmentReport = { webAcl: webAclArn, ruleGroup: change.group.arn, ...outcome };
  return { result, change };
}

/**
 * `maintenance attach --web-acl ARN [--renumber]`: puts a reference to the stage's rule group in front of
 * a team's web ACL.
 * 1. Finds the group by name (ListRuleGroups); fails when the stage's stack is not deployed.
 * 2. Reads the ACL and plans the change (planAttach): nothing when it already carries the switch right,
 *    a repair when it references the group wrongly, a refusal when priority 0 is taken without --renumber.
 * 3. Checks the ACL's capacity, then restates the whole ACL with the read's lock token; a stale token or
 *    throttling starts again from the read.
 */
export async function attachCommand(
  deps: AttachDeps,
  command: Extract<Command, { kind: 'attach' }>,
  io: Io,
): Promise<void> {
  const { result, change } = await changeWebAcl(
    deps,
    command.webAclArn,
    async (read, { group, aclName, store }) => {
      const { acl, lockToken } = read;
      const plan = planAttach(acl.Rules ?? [], {
        groupArn: group.arn,
        name: group.name,
        renumber: command.renumber,
      });
      if (plan.kind === 'priority-taken') throw priorityTaken(aclName, plan.holder);
      if (plan.kind === 'name-taken') throw nameTaken(aclName, plan.holder);
      if (plan.kind === 'unchanged') {
        return { changed: false, added: false, done: [], rules: acl.Rules ?? [], warnings: [] };
      }
      const warnings = plan.added ? capacityWarnings(aclName, acl) : [];
      await writeAttach(store, { ...acl, Rules: plan.rules }, lockToken, aclName);
      return { changed: true, added: plan.added, done: plan.done, rules: plan.rules, warnings };
    },
  );
  report(io, command.json, result, describeAttach(result, change.aclName, change.group.name));
}

/**
 * `maintenance detach --web-acl ARN`: removes every rule of the ACL that references the stage's group
 * and restates the rest exactly as read (priorities included); nothing to remove, nothing written.
 */
export async function detachCommand(
  deps: AttachDeps,
  command: Extract<Command, { kind: 'detach' }>,
  io: Io,
): Promise<void> {
  const { result, change } = await changeWebAcl(deps, command.webAclArn, async (read, { group, store }) => {
    const plan = planDetach(read.acl.Rules ?? [], group.arn);
    const done = plan.removed.map((rule) => `removed ${rule.Name} (priority ${rule.Priority ?? 0})`);
    const changed = plan.removed.length > 0;
    if (changed) await store.put({ ...read.acl, Rules: plan.rules }, read.lockToken);
    return { changed, done, rules: plan.rules, warnings: [] };
  });
  report(io, command.json, result, describeDetach(result, change.aclName, change.group.name));
}
