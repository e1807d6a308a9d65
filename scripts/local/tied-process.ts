import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';

/** How a process ended: the `exit` event's two arguments. */
export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** `signal SIGTERM` or `exit code 1`, for messages. */
export function describeExit(exit: ChildExit): string {
  return exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
}

/**
 * The watchdog between this process and a tied child, run by `node -e`. Its stdin is a pipe from this
 * process; the kernel closes this end when this process dies, however it dies (SIGKILL included), and
 * the watchdog then stops the child: SIGTERM, SIGKILL after the grace. The child's stdin is /dev/null, so
 * only the watchdog holds the pipe. SIGTERM to the watchdog stops the child the same way; SIGINT and
 * SIGHUP reach the child from the process group and are left to it. The watchdog ends as the child
 * did: the same exit code, or the same signal.
 */
const WATCHDOG = `'use strict';
const { spawn } = require('node:child_process');
const { signals } = require('node:os').constants;
const [grace, command, ...args] = process.argv.slice(1);
const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  child.kill('SIGTERM');
  setTimeout(() => child.kill('SIGKILL'), Number(grace)).unref();
};
process.on('SIGINT', () => {}).on('SIGHUP', () => {}).on('SIGTERM', stop);
process.stdin.on('data', () => {}).on('end', stop).on('close', stop).on('error', stop);
child.on('error', (error) => {
  process.stderr.write('could not run ' + command + ': ' + error.message + '\\n');
  process.exit(127);
});
child.on('exit', (code, signal) => {
  if (signal) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  }
  // Reached only when the signal did not end this process, or there was none.
  setTimeout(() => process.exit(signal ? 128 + (signals[signal] || 0) : code), signal ? 1000 : 0);
});
`;

/** A child process that cannot outlive this one (see WATCHDOG); `pid` is the watchdog's. */
export interface TiedProcess {
  readonly pid: number | undefined;
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  /** Settles when the child has exited (and so its watchdog), however it ended. */
  readonly exited: Promise<ChildExit>;
  readonly running: boolean;
  /** SIGTERM, SIGKILL after the grace; resolves once it exited. */
  stop(): Promise<ChildExit>;
}

/**
 * Spawns `command` under a watchdog (a small `node -e` process of about 40 MB), so that the child stops
 * when this process ends, even by SIGKILL. The watchdog and the child stay in this process group: a
 * group signal (Ctrl+C, a supervisor's kill) reaches the child directly as before.
 *
 * @example
 * const moto = spawnTied('moto_server', ['-p', '4566'], { output: 'ignore', graceMs: 3000 });
 * await moto.stop();
 */
export function spawnTied(
  command: string,
  args: string[],
  options: { output: 'ignore' | 'pipe'; graceMs: number; cwd?: string; env?: NodeJS.ProcessEnv },
): TiedProcess {
  const watchdog = spawn(
    process.execPath,
    ['-e', WATCHDOG, '--', String(options.graceMs), command, ...args],
    {
      cwd: options.cwd,
      env: options.env,
      stdio: ['pipe', options.output, options.output],
    },
  );
  // Written to never; ended to stop the child. Errors only mean the watchdog is gone already.
  watchdog.stdin?.on('error', () => {});
  const exited = new Promise<ChildExit>((resolve) => {
    watchdog.once('exit', (code, signal) => resolve({ code, signal }));
    watchdog.once('error', () => resolve({ code: null, signal: null }));
  });
  let done = false;
  exited.then(() => {
    done = true;
  });
  return {
    pid: watchdog.pid,
    stdout: watchdog.stdout,
    stderr: watchdog.stderr,
    exited,
    get running() {
      return !done && watchdog.exitCode === null && watchdog.signalCode === null;
    },
    async stop() {
      if (!done) {
        watchdog.stdin?.destroy();
        // Past the grace the watchdog has sent SIGKILL; if it is stuck itself, end it too.
        const backstop = setTimeout(() => watchdog.kill('SIGKILL'), options.graceMs + 2000);
        await exited;
        clearTimeout(backstop);
      }
      return exited;
    },
  };
}
