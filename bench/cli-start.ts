import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { isFresh } from '../bin/cli-bundle.cjs';
import { startApiStub, statusBody } from '../test/support/cli';
import { median, msSince, type Summary, summarize } from './stats';

/**
 * How long `maintenance` takes to start, against a bare `node -e 0`: what the package's bin costs after
 * npx's own ~0.7 s. `--help` is the floor (argument parsing, no I/O); `status` adds one GET to an API
 * stub on 127.0.0.1, so the figure is the CLI's own cost, not a network's. The three commands run
 * interleaved (bare, help, status, bare, ...) so that drift on the machine hits them alike; the target
 * is on the medians' ratio. The bin's freshness check (is the bundle newer than its sources?) runs
 * in every one of those starts; it is also timed alone, in-process.
 */

export const CLI_START_TARGET_RATIO = 2.5;
const BIN = join(__dirname, '..', 'bin', 'maintenance.cjs');
const run = promisify(execFile);

export interface CliStartResult {
  runs: number;
  /** Wall time of each start, in ms: `node -e 0`, `node bin/maintenance.cjs --help`, `... status`. */
  bare: Summary;
  help: Summary;
  status: Summary;
  /** median(help) / median(bare) and median(status) / median(bare). */
  helpRatio: number;
  statusRatio: number;
  /** The target on statusRatio, and whether it was met. */
  target: number;
  met: boolean;
  /** One call of the bin's freshness check, median over 200, in ms. */
  freshnessCheckMs: number;
}

async function timed(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const start = process.hrtime.bigint();
  await run(process.execPath, args, { env, timeout: 30_000 });
  return msSince(start);
}

function freshnessCheckMs(): number {
  const samples: number[] = [];
  for (let i = 0; i < 200; i++) {
    const start = process.hrtime.bigint();
    isFresh();
    samples.push(msSince(start));
  }
  return median(samples);
}

/**
 * Measures the CLI's start-up; a measurement, never a failure (a missed target is `met: false`). Throws
 * only when a command fails, since its time would mean nothing.
 *
 * @example
 * const { statusRatio, met } = await runCliStartBench(); // statusRatio 1.4, met true
 */
export async function runCliStartBench(runs = 7): Promise<CliStartResult> {
  const api = await startApiStub();
  api.answer = { status: 200, body: JSON.stringify(statusBody()) };
  const env = { ...process.env, MAINTENANCE_API_URL: api.url, MAINTENANCE_TOKEN: `wmt_${'B'.repeat(43)}` };
  const commands = { bare: ['-e', '0'], help: [BIN, '--help'], status: [BIN, 'status'] };
  const samples = { bare: [] as number[], help: [] as number[], status: [] as number[] };
  try {
    // Unmeasured: warms the file cache, and rebuilds the bundle when a source is newer than it.
    for (const args of Object.values(commands)) await timed(args, env);
    for (let i = 0; i < runs; i++) {
      for (const [name, args] of Object.entries(commands) as [keyof typeof commands, string[]][]) {
        samples[name].push(await timed(args, env));
      }
    }
  } finally {
    await api.close();
  }
  const [bare, help, status] = [summarize(samples.bare), summarize(samples.help), summarize(samples.status)];
  const statusRatio = status.median / bare.median;
  return {
    runs,
    bare,
    help,
    status,
    helpRatio: help.median / bare.median,
    statusRatio,
    target: CLI_START_TARGET_RATIO,
    met: statusRatio <= CLI_START_TARGET_RATIO,
    freshnessCheckMs: freshnessCheckMs(),
  };
}

if (require.main === module) {
  runCliStartBench().then(
    (r) => {
      const ms = (s: Summary) => `${s.median.toFixed(1)} ms`;
      process.stdout.write(
        [
          `CLI start-up, median of ${r.runs}, interleaved:`,
          `  node -e 0                          ${ms(r.bare)}`,
          `  node bin/maintenance.cjs --help    ${ms(r.help)}  (${r.helpRatio.toFixed(2)}x)`,
          `  node bin/maintenance.cjs status    ${ms(r.status)}  (${r.statusRatio.toFixed(2)}x; target <= ${r.target}x: ${r.met ? 'met' : 'NOT MET'})`,
          `  freshness check                    ${r.freshnessCheckMs.toFixed(3)} ms`,
          '',
        ].join('\n'),
      );
    },
    (error: unknown) => {
      process.stderr.write(`cli-start: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
