import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { ROOT } from '../../scripts/local/stack-definition';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A real `npm start`, in a process group of its own, and what makes its processes recognisable. */
export interface NpmStart {
  child: ChildProcess;
  /** npm's pid, which is also the group's id. */
  pid: number;
  stage: string;
  httpPort: number;
  motoPort: number;
  output: () => { stdout: string; stderr: string };
  exit: Promise<Exit>;
}

export interface ProcessInfo {
  pid: number;
  ppid: number;
  pgid: number;
  argv: string[];
}

/** A stage name no other test uses, so the processes of this stack can be told apart by their command line. */
export function uniqueStage(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/**
 * Runs `npm start -- --stage <stage>` as a user does, detached (its own process group) with its output
 * captured. `env` replaces the environment: build it with `stackEnv`.
 */
export function startNpm(options: {
  stage: string;
  httpPort: number;
  motoPort: number;
  env: NodeJS.ProcessEnv;
}): NpmStart {
  const child = spawn('npm', ['start', '--', '--stage', options.stage], {
    cwd: ROOT,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { ...options, child, pid: child.pid as number, ...captured(child) };
}

/** What a child spawned with piped stdout and stderr prints, kept, and its exit. */
export function captured(child: ChildProcess): {
  output: () => { stdout: string; stderr: string };
  exit: Promise<Exit>;
} {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const exit = new Promise<Exit>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { output: () => ({ stdout, stderr }), exit };
}

/** This worker's environment with the stack's ports, starting its own moto unless `endpointUrl` is given. */
export function stackEnv(
  ports: { httpPort: number; motoPort: number; edgePort: number },
  endpointUrl?: string,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(ports.httpPort),
    MOTO_PORT: String(ports.motoPort),
    EDGE_PORT: String(ports.edgePort),
  };
  delete env.MAINTENANCE_STAGE;
  delete env.AWS_ENDPOINT_URL;
  if (endpointUrl) env.AWS_ENDPOINT_URL = endpointUrl;
  return env;
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Waits (bounded) for the ready banner's `API` line; fails early, with the output, if npm exits first. */
export async function waitForBanner(started: NpmStart, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { stdout, stderr } = started.output();
    if (/^\s+API\s+http:\/\/\S+$/m.test(stdout) && /Press Ctrl\+C to stop/.test(stdout)) return;
    if (started.child.exitCode !== null || started.child.signalCode !== null) {
      throw new Error(`npm start exited before its banner:\n${stdout}\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const { stdout, stderr } = started.output();
  throw new Error(`npm start printed no banner within ${timeoutMs} ms:\n${stdout}\n${stderr}`);
}

/** Every live process (zombies are dead), read from /proc. */
export function liveProcesses(): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so split after the last ')'.
      const [state, ppid, pgid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state === 'Z' || state === 'X') continue;
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean);
      found.push({ pid: Number(entry), ppid: Number(ppid), pgid: Number(pgid), argv });
    } catch {
      // it ended while being read
    }
  }
  return found;
}

/**
 * The processes of this stack still alive: those in npm's process group, and any other whose command
 * line holds the stack's stage or one of its ports (an orphan that left the group would show here).
 */
export function stackProcesses(started: NpmStart): ProcessInfo[] {
  const ports = [started.httpPort, started.motoPort].map(String);
  const mentions = (arg: string) =>
    arg === started.stage ||
    ports.includes(arg) ||
    ports.some((port) => arg.includes(`127.0.0.1:${port}`) || arg.endsWith(`=${port}`));
  return liveProcesses().filter(
    (p) => p.pid !== process.pid && (p.pgid === started.pid || p.argv.some(mentions)),
  );
}

/** Of `processes`, the one whose command line matches and that has no matching child: the real server, not a wrapper. */
export function innermost(processes: ProcessInfo[], matches: (p: ProcessInfo) => boolean): ProcessInfo {
  const candidates = processes.filter(matches);
  const leaf = candidates.find((p) => !candidates.some((other) => other.ppid === p.pid));
  if (!leaf) throw new Error(`no such process among:\n${describe(processes)}`);
  return leaf;
}

export function describe(processes: ProcessInfo[]): string {
  return processes.map((p) => `  ${p.pid} (group ${p.pgid}): ${p.argv.join(' ').slice(0, 160)}`).join('\n');
}

export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (listening: boolean) => {
      socket.destroy();
      resolve(listening);
    };
    socket.setTimeout(2000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Polls (bounded) until none of the stack's processes is alive and neither of its ports accepts a
 * connection. Resolves with the milliseconds it took, or rejects listing what is left.
 */
export async function waitUntilGone(started: NpmStart, timeoutMs: number): Promise<number> {
  const start = Date.now();
  for (;;) {
    const left = stackProcesses(started);
    const open = [];
    for (const port of [started.httpPort, started.motoPort]) if (await accepts(port)) open.push(port);
    if (left.length === 0 && open.length === 0) return Date.now() - start;
    if (Date.now() - start > timeoutMs) {
      throw new Error(
        `after ${timeoutMs} ms, ports open: [${open.join(', ')}], processes left:\n${describe(left)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Whatever happened, nothing of the stack outlives the test: its group and any straggler get SIGKILL. */
export function killStack(started: NpmStart): void {
  try {
    process.kill(-started.pid, 'SIGKILL');
  } catch {
    // the group is empty already
  }
  for (const p of stackProcesses(started)) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
}
