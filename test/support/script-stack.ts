import { type ChildProcess, spawn } from 'node:child_process';
import { ROOT } from '../../scripts/local/stack-definition';
import { captured, withTimeout } from './local-stack';

/**
 * The local stack as its integration tests run it: `scripts/start.ts` under tsx, in a process group of
 * its own, with its banner read for the API's URL and tokens.
 */
export const READY_TIMEOUT_MS = 90_000;
export const STOP_TIMEOUT_MS = 20_000;

export interface Started {
  child: ChildProcess;
  output: () => { stdout: string; stderr: string };
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `npm start` as the package script runs it (tsx), in its own process group so afterAll can end all of it. */
export function startScript(env: NodeJS.ProcessEnv, args: string[] = []): Started {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts', ...args], {
    cwd: ROOT,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { child, ...captured(child) };
}

/** Waits (bounded) until the banner is printed, failing early, with the script's output, if it exits. */
export async function waitForBanner(
  started: Started,
): Promise<{ apiUrl: string; admin: string; operator: string }> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const { stdout, stderr } = started.output();
    const apiUrl = /^\s+API\s+(http:\/\/\S+)$/m.exec(stdout)?.[1];
    const admin = /^\s+Admin token\s+(wmt_\S+)$/m.exec(stdout)?.[1];
    const operator = /^\s+Operator token\s+(wmt_\S+)$/m.exec(stdout)?.[1];
    if (apiUrl && admin && operator) return { apiUrl, admin, operator };
    if (started.child.exitCode !== null) {
      throw new Error(`npm start exited with ${started.child.exitCode}:\n${stdout}\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const { stdout, stderr } = started.output();
  throw new Error(`npm start printed no banner within ${READY_TIMEOUT_MS} ms:\n${stdout}\n${stderr}`);
}

/** Whatever happened, nothing of the script's process group (moto, serverless-offline) outlives the test. */
export function killGroup(child: ChildProcess): void {
  try {
    process.kill(-(child.pid as number), 'SIGKILL');
  } catch {
    // the group is gone already: the script stopped all it started
  }
}

/** A copy of this worker's environment that makes the script start its own moto on `motoPort`. */
export function scriptEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.AWS_ENDPOINT_URL;
  delete env.MAINTENANCE_STAGE;
  return env;
}

/**
 * Stops a stack the tests started: SIGTERM, a bounded wait for its exit, then whatever is left of its group.
 *
 * @example
 * afterAll(() => stopScript(started), STOP_TIMEOUT_MS + 5_000);
 */
export async function stopScript(started: Started | undefined): Promise<void> {
  if (!started) return;
  const { child, exit } = started;
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    await withTimeout(exit, STOP_TIMEOUT_MS, 'stopping npm start').catch(() => undefined);
  }
  killGroup(child);
}
