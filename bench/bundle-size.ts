import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { packageStack } from '../scripts/local/package';
import { median, type Summary, summarize } from './stats';

/**
 * What a cold start pays before the first line of handler code runs: the zip Lambda downloads and unpacks
 * (size) and the time Node needs to parse and evaluate the bundle (module load). Both are measured on the
 * artifacts `serverless package` produces, so they include whatever serverless-esbuild does to them.
 *
 * Module load is the median of `node -e "require(bundle)"` minus the median of `node -e 0`, run
 * interleaved so that drift on the machine (thermal, other load) hits both sides alike. 1 KB = 1024 bytes.
 */

/** The variables every handler's module scope needs (config is parsed at cold start). */
export const LOAD_ENV = {
  RULE_GROUP_ARN:
    'arn:aws:wafv2:us-east-1:123456789012:global/rulegroup/x/00000000-0000-0000-0000-000000000000',
  WEB_ACL_ARNS: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/x/00000000-0000-0000-0000-000000000000',
  TABLE_NAME: 'x',
  BYPASS_IPV4_ARN:
    'arn:aws:wafv2:us-east-1:123456789012:global/ipset/v4/00000000-0000-0000-0000-000000000004',
  BYPASS_IPV6_ARN:
    'arn:aws:wafv2:us-east-1:123456789012:global/ipset/v6/00000000-0000-0000-0000-000000000006',
  SLACK_SIGNING_SECRET_PARAMETER: '/waf-maintenance/bench/slack-signing-secret',
  SLACK_WORKER_FUNCTION: 'waf-maintenance-bench-slackWorker',
  SLACK_WEBHOOK_PARAMETER: '/waf-maintenance/bench/slack-webhook-url',
  SCHEDULE_GROUP: 'waf-maintenance-bench',
  SCHEDULED_FUNCTION_ARN: 'arn:aws:lambda:us-east-1:123456789012:function:waf-maintenance-bench-scheduled',
  SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/waf-maintenance-bench-scheduler',
  DISTRIBUTION_ID: 'E2BENCH0000000',
  SITE_PAGE_URL: 'https://d111111abcdef8.cloudfront.net/maintenance/index.html',
  AWS_REGION: 'us-east-1',
};

export interface PackagedFunction {
  name: string;
  zipPath: string;
  zipBytes: number;
  /** The handler's module inside the zip, e.g. `handlers/set-maintenance.js`. */
  modulePath: string;
}

export interface LoadTime {
  name: string;
  bundle: Summary;
  /** median(bundle) - median(bare node), in ms. */
  netMedianMs: number;
}

/** Runs `serverless package` for the `bench` stage into `outDir` and lists what it produced. */
export async function packageFunctions(outDir: string, signal?: AbortSignal): Promise<PackagedFunction[]> {
  // From a shadow of the repository, so a running `npm start` keeps its .esbuild/ (see packageStack).
  const packaged = await packageStack({
    stage: 'bench',
    outDir,
    timeoutMs: 180_000,
    ...(signal ? { signal } : {}),
  });
  if (packaged.code !== 0) throw new Error(`serverless package failed:\n${packaged.output}`);
  // The state file maps each function to its handler (`handlers/x.handler`), hence to the module to load.
  const state = JSON.parse(readFileSync(join(outDir, 'serverless-state.json'), 'utf8')) as {
    service: { functions: Record<string, { handler: string }> };
  };
  return Object.entries(state.service.functions).map(([name, fn]) => {
    const zipPath = join(outDir, `${name}.zip`);
    if (!existsSync(zipPath)) throw new Error(`serverless package produced no ${name}.zip in ${outDir}`);
    const modulePath = `${fn.handler.slice(0, fn.handler.lastIndexOf('.'))}.js`;
    return { name, zipPath, zipBytes: statSync(zipPath).size, modulePath };
  });
}

function unzipTo(zipPath: string, dir: string): void {
  mkdirSync(dir, { recursive: true });
  const out = spawnSync('unzip', ['-q', '-o', zipPath, '-d', dir], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`unzip ${zipPath} failed: ${out.stderr || out.error?.message}`);
}

/**
 * The timing loop, run in a worker thread: spawnSync blocks whichever thread calls it, and the main thread
 * must stay free to answer SIGINT/SIGTERM (tsx SIGKILLs a child that does not acknowledge a relayed signal
 * within ~60 ms, which would leak moto and the temp dir). Plain JS because a worker cannot load .ts here.
 */
const TIMING_LOOP = `
const { spawnSync } = require('node:child_process');
const { parentPort, workerData } = require('node:worker_threads');
const { node, env, scripts, rounds } = workerData;
const samples = scripts.map(() => []);
for (let round = -1; round < rounds; round++) {
  for (let i = 0; i < scripts.length; i++) {
    const k = (i + Math.max(round, 0)) % scripts.length;
    const start = process.hrtime.bigint();
    const out = spawnSync(node, ['-e', scripts[k]], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (out.status !== 0) throw new Error('node -e ' + scripts[k] + ' failed: ' + (out.stderr || out.error));
    if (round >= 0) samples[k].push(ms);
  }
}
parentPort.postMessage(samples);
`;

function timeScripts(scripts: string[], env: NodeJS.ProcessEnv, rounds: number): Promise<number[][]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(TIMING_LOOP, {
      eval: true,
      workerData: { node: process.execPath, env, scripts, rounds },
    });
    worker.once('message', (samples: number[][]) => resolve(samples));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`timing worker exited with code ${code}`)));
  });
}

/**
 * Unpacks each zip under `workDir` and times loading its handler module, `rounds` times each. Each round
 * runs bare node and then every bundle, in an order that rotates, after one unrecorded warm-up round
 * (page cache, the node binary itself).
 */
export async function measureLoadTimes(
  functions: PackagedFunction[],
  workDir: string,
  rounds = 15,
): Promise<{ bareNode: Summary; functions: LoadTime[] }> {
  if (spawnSync('which', ['unzip']).status !== 0)
    throw new Error('unzip is not installed (apt-get install unzip)');
  const env = { ...process.env, ...LOAD_ENV };
  const entries = functions.map((fn) => {
    const dir = join(workDir, fn.name);
    unzipTo(fn.zipPath, dir);
    const bundle = join(dir, fn.modulePath);
    if (!existsSync(bundle)) {
      throw new Error(`${fn.name}.zip has no ${fn.modulePath}; it holds ${readdirSync(dir).join(', ')}`);
    }
    return { name: fn.name, script: `require(${JSON.stringify(bundle)})` };
  });
  const subjects = [{ name: '(bare node)', script: '0' }, ...entries];
  const timed = await timeScripts(
    subjects.map((s) => s.script),
    env,
    rounds,
  );
  const samples = new Map(subjects.map((s, i) => [s.name, timed[i] ?? []]));

  const bare = samples.get('(bare node)') ?? [];
  const bareMedian = median(bare);
  return {
    bareNode: summarize(bare),
    functions: entries.map(({ name }) => {
      const bundle = summarize(samples.get(name) ?? []);
      return { name, bundle, netMedianMs: bundle.median - bareMedian };
    }),
  };
}
