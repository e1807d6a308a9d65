import { type Clock, systemClock } from '../ports/clock';
import type { SlackGrants } from '../ports/slack-grants';
import type { TokenRegistry } from '../ports/token-registry';
import { type Command, parseCommand, USAGE } from './args';
import { type AttachDeps, attachCommand, detachCommand } from './attach-commands';
import { changeBypassCommand, listBypassCommand } from './bypass-commands';
import { describeError, UsageError } from './errors';
import { changeExemptionsCommand, listExemptionsCommand } from './exempt-commands';
import { historyCommand } from './history-commands';
import { type Io, type Output, writeLine } from './io';
import { apiClientFromEnv, doctorCommand, setCommand, statusCommand } from './maintenance-commands';
import { grantSlackCommand, listSlackCommand, revokeSlackCommand, type SlackDeps } from './slack-commands';
import { resolveStackTarget } from './stack-target';
import { createTokenCommand, listTokensCommand, revokeTokenCommand, type TokenDeps } from './token-commands';
import { cancelWindowCommand, listWindowsCommand, scheduleCommand } from './window-commands';

/** The contract's exit codes. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Everything a run touches outside itself; tests pass collectors, a local server's fetch, fakes. */
export interface RunDeps {
  env: Record<string, string | undefined>;
  stdout: Output;
  stderr: Output;
  fetch?: typeof fetch;
  /** Overrides the API timeout (35 s). */
  timeoutMs?: number;
  /** A token registry to use instead of the stage's DynamoDB table. */
  tokens?: TokenRegistry;
  /** Slack grants to use instead of the stage's DynamoDB table. */
  slackGrants?: SlackGrants;
  clock?: Clock;
}

/**
 * Loaded on demand: the AWS SDK costs start-up time no other command needs. A plain require, since a
 * dynamic import() would bypass the tsx CommonJS hook the bin shim registers.
 */
function awsStores(): typeof import('./aws-stores') {
  return require('./aws-stores');
}

/** The same for WAF, which only attach and detach use. */
function awsWebAcls(): typeof import('./aws-web-acls') {
  return require('./aws-web-acls');
}

async function tokenDeps(deps: RunDeps, stage: string | undefined): Promise<TokenDeps> {
  const target = resolveStackTarget(stage, deps.env);
  const tokens = deps.tokens ?? (await awsStores().createAwsTokenRegistry(target, deps.env));
  return { tokens, clock: deps.clock ?? systemClock, target };
}

async function slackDeps(deps: RunDeps, stage: string | undefined): Promise<SlackDeps> {
  const target = resolveStackTarget(stage, deps.env);
  const grants = deps.slackGrants ?? (await awsStores().createAwsSlackGrants(target, deps.env));
  return { grants, clock: deps.clock ?? systemClock, target };
}

async function attachDeps(deps: RunDeps, stage: string | undefined): Promise<AttachDeps> {
  const target = resolveStackTarget(stage, deps.env);
  const waf = await awsWebAcls().createWebAclAttachments(target, deps.env);
  return { waf, clock: deps.clock ?? systemClock, target };
}

async function execute(command: Exclude<Command, { kind: 'help' }>, deps: RunDeps, io: Io): Promise<void> {
  switch (command.kind) {
    case 'status':
      return statusCommand(apiClientFromEnv(deps), command, io, deps.env);
    case 'doctor':
      return doctorCommand(apiClientFromEnv(deps), command, io);
    case 'set':
      return setCommand(apiClientFromEnv(deps), command, io, deps.env, deps.clock ?? systemClock);
    case 'schedule':
      return scheduleCommand(apiClientFromEnv(deps), command, io);
    case 'windows':
      return listWindowsCommand(apiClientFromEnv(deps), command, io);
    case 'cancel':
      return cancelWindowCommand(apiClientFromEnv(deps), command, io);
    case 'bypass-list':
      return listBypassCommand(apiClientFromEnv(deps), command, io);
    case 'bypass-change':
      return changeBypassCommand(apiClientFromEnv(deps), command, io);
    case 'exempt-list':
      return listExemptionsCommand(apiClientFromEnv(deps), command, io);
    case 'exempt-change':
      return changeExemptionsCommand(apiClientFromEnv(deps), command, io);
    case 'history':
      return historyCommand(apiClientFromEnv(deps), command, io);
    case 'token-create':
      return createTokenCommand(await tokenDeps(deps, command.stage), command, io);
    case 'token-list':
      return listTokensCommand(await tokenDeps(deps, command.stage), command, io);
    case 'token-revoke':
      return revokeTokenCommand(await tokenDeps(deps, command.stage), command, io);
    case 'slack-grant':
      return grantSlackCommand(await slackDeps(deps, command.stage), command, io);
    case 'slack-revoke':
      return revokeSlackCommand(await slackDeps(deps, command.stage), command, io);
    case 'slack-list':
      return listSlackCommand(await slackDeps(deps, command.stage), command, io);
    case 'attach':
      return attachCommand(await attachDeps(deps, command.stage), command, io);
    case 'detach':
      return detachCommand(await attachDeps(deps, command.stage), command, io);
  }
}

/**
 * Runs one `maintenance` invocation and resolves to its exit code: 0 success, 1 failure (reason on
 * stderr), 2 usage error (hint on stderr). It never throws and never exits the process itself.
 *
 * @example
 * const code = await run(['status', '--json'], { env: process.env, stdout: process.stdout, stderr: process.stderr });
 */
export async function run(argv: string[], deps: RunDeps): Promise<number> {
  const io: Io = { stdout: deps.stdout, stderr: deps.stderr };
  let command: Command;
  try {
    command = parseCommand(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    writeLine(io.stderr, `maintenance: ${error.message}\nRun 'maintenance --help' for usage.`);
    return EXIT_USAGE;
  }
  if (command.kind === 'help') {
    writeLine(io.stdout, USAGE);
    return EXIT_OK;
  }
  try {
    await execute(command, deps, io);
    return EXIT_OK;
  } catch (error) {
    writeLine(io.stderr, `maintenance: ${describeError(error)}`);
    return EXIT_FAILURE;
  }
}
