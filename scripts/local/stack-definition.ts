import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const ROOT = resolve(__dirname, '..', '..');

export type CfnValue = unknown;
export interface CfnResource {
  Type: string;
  Properties?: Record<string, CfnValue>;
  /** A Condition of the template: when it is false, the resource is not created. */
  Condition?: string;
}

/** serverless.yml as the framework resolves it for a stage: the deployed stack's own definitions. */
/** A function's `stream` event: which stream, and which records reach it. */
export interface StreamEvent {
  type: string;
  arn: CfnValue;
  batchSize?: number;
  filterPatterns?: unknown[];
}

export interface StackDefinition {
  service: string;
  stage: string;
  resources: Record<string, CfnResource>;
  environment: Record<string, CfnValue>;
  /** `params.default` of serverless.yml: what the Lambdas' environment is built from. */
  params: Record<string, CfnValue>;
  /** Each function's own `environment`. */
  functionEnvironment: Record<string, Record<string, CfnValue>>;
  /** Each function's timeout in seconds (its own, else the provider's). */
  functionTimeouts: Record<string, number>;
  /** Each function's DynamoDB stream events, as serverless.yml writes them (the local stream runner reads them). */
  functionStreams: Record<string, StreamEvent[]>;
  /** The template's `Parameters`; the local stack uses their defaults. */
  parameters: Record<string, { Type?: string; Default?: CfnValue }>;
  /** The template's `Conditions`, for `Fn::If`. */
  conditions: Record<string, CfnValue>;
}

/** Environment for framework commands: offline, quiet, no telemetry. */
export function frameworkEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off', ...extra };
}

/**
 * Resolves serverless.yml for `stage` with `serverless print` (variables resolved, CloudFormation
 * intrinsics left as they are), so the local stack is built from exactly what `serverless deploy` would.
 * `params` are stage parameters as `--param` gives them (`{ attachTo: 'arn:...' }`: attach mode).
 */
export async function loadStackDefinition(
  stage: string,
  params: Record<string, string> = {},
): Promise<StackDefinition> {
  const bin = resolve(ROOT, 'node_modules', '.bin', 'serverless');
  const args = Object.entries(params).map(([name, value]) => `--param=${name}=${value}`);
  const { stdout } = await run(bin, ['print', '--format', 'json', '--stage', stage, ...args], {
    cwd: ROOT,
    env: frameworkEnv(),
    maxBuffer: 16 * 1024 * 1024,
  });
  const config = JSON.parse(stdout.slice(stdout.indexOf('{')));
  const functions = (config.functions ?? {}) as Record<
    string,
    { environment?: Record<string, CfnValue>; timeout?: number; events?: Array<{ stream?: StreamEvent }> }
  >;
  return {
    service: config.service,
    stage: config.provider.stage,
    resources: config.resources?.Resources ?? {},
    parameters: config.resources?.Parameters ?? {},
    conditions: config.resources?.Conditions ?? {},
    environment: config.provider.environment ?? {},
    params: config.params?.default ?? {},
    functionEnvironment: Object.fromEntries(
      Object.entries(functions).map(([name, fn]) => [name, fn.environment ?? {}]),
    ),
    functionStreams: Object.fromEntries(
      Object.entries(functions).map(([name, fn]) => [
        name,
        (fn.events ?? []).flatMap((event) => (event.stream ? [event.stream] : [])),
      ]),
    ),
    functionTimeouts: Object.fromEntries(
      Object.entries(functions).map(([name, fn]) => [
        name,
        Number(fn.timeout ?? config.provider.timeout ?? 6),
      ]),
    ),
  };
}
