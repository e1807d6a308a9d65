import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import { freePort } from '../../scripts/local/moto';
import { ROOT } from '../../scripts/local/stack-definition';
import { spawnTied } from '../../scripts/local/tied-process';
import {
  accepts,
  innermost,
  killStack,
  liveProcesses,
  type NpmStart,
  type ProcessInfo,
  stackEnv,
  stackProcesses,
  startNpm,
  uniqueStage,
  waitForBanner,
  waitUntilGone,
  withTimeout,
} from '../support/local-stack';

const READY_TIMEOUT_MS = 90_000;
/** "Within a few seconds": from the signal to npm's exit, and again to the last process and port gone. */
const STOP_WITHIN_MS = 5_000;
const TEST_TIMEOUT_MS = READY_TIMEOUT_MS + 4 * STOP_WITHIN_MS + 10_000;

const isMoto = (started: NpmStart) => (p: ProcessInfo) =>
  p.argv.some((arg) => arg.endsWith('moto_server')) && p.argv.includes(String(started.motoPort));
const isOffline = (started: NpmStart) => (p: ProcessInfo) =>
  p.argv.includes('offline') && p.argv.includes(String(started.httpPort));
const isScript = (p: ProcessInfo) => p.argv.includes('scripts/start.ts');

describe('npm start (its life cycle)', () => {
  let started: NpmStart | undefined;

  async function startStack(prefix: string, endpointUrl?: string): Promise<NpmStart> {
    const ports = { httpPort: await freePort(), motoPort: await freePort() };
    const env = stackEnv({ ...ports, edgePort: await freePort() }, endpointUrl);
    started = startNpm({ stage: uniqueStage(prefix), ...ports, env });
    await waitForBanner(started, READY_TIMEOUT_MS);
    return started;
  }

  afterEach(() => {
    if (started) killStack(started);
    started = undefined;
  });

  // A pid alone is what `kill $!`, systemd's main-process kill and CI send; the group is what Ctrl+C reaches.
  it.each([
    ['SIGTERM', 'the npm process alone', (stack: NpmStart) => stack.pid],
    ['SIGINT', 'the npm process alone', (stack: NpmStart) => stack.pid],
    ['SIGINT', 'its whole process group, as Ctrl+C does', (stack: NpmStart) => -stack.pid],
  ] as const)(
    'stops everything it started within a few seconds of %s to %s, and exits 0',
    async (signal, _to, target) => {
      const stack = await startStack('lc-sig');
      const running = stackProcesses(stack);
      innermost(running, isMoto(stack));
      innermost(running, isOffline(stack));
      expect(await accepts(stack.motoPort)).toBe(true);
      expect(await accepts(stack.httpPort)).toBe(true);

      process.kill(target(stack), signal);
      const exit = await withTimeout(stack.exit, STOP_WITHIN_MS, `npm's exit after ${signal}`);

      expect(exit).toEqual({ code: 0, signal: null });
      await waitUntilGone(stack, STOP_WITHIN_MS);
      expect(stack.output().stdout).toMatch(/Stopped\.\s*$/);
      expect(stack.output().stderr).not.toMatch(/exited \(/);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'leaves nothing behind when its node process is killed with SIGKILL (no chance to clean up)',
    async () => {
      const stack = await startStack('lc-kill');
      const script = innermost(stackProcesses(stack), isScript);

      process.kill(script.pid, 'SIGKILL');

      await waitUntilGone(stack, STOP_WITHIN_MS);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'stops everything when npm itself is killed with SIGKILL',
    async () => {
      const stack = await startStack('lc-npmkill');

      process.kill(stack.pid, 'SIGKILL');

      await waitUntilGone(stack, STOP_WITHIN_MS);
    },
    TEST_TIMEOUT_MS,
  );

  // moto is killed as a crash would kill it (it answers SIGTERM by exiting 0); serverless-offline halts
  // cleanly on SIGTERM, so the line gives its exit code rather than a signal.
  it.each([
    ['moto server', isMoto, (stack: NpmStart) => stack.motoPort, 'SIGKILL', 'signal SIGKILL'],
    ['serverless-offline', isOffline, (stack: NpmStart) => stack.httpPort, 'SIGTERM', 'exit code 0'],
  ] as const)(
    'says in one line on stderr that %s exited, and how, then stops the rest and exits 1',
    async (name, matches, port, signal, how) => {
      const stack = await startStack('lc-died');
      const server = innermost(stackProcesses(stack), matches(stack));

      process.kill(server.pid, signal);
      const exit = await withTimeout(stack.exit, STOP_WITHIN_MS, `npm's exit after ${name} died`);

      expect(exit).toEqual({ code: 1, signal: null });
      const lines = stack
        .output()
        .stderr.split('\n')
        .filter((line) => line.startsWith(name));
      expect(lines).toEqual([
        `${name} at http://127.0.0.1:${port(stack)} exited (${how}): stopping the local stack.`,
      ]);
      await waitUntilGone(stack, STOP_WITHIN_MS);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'uses the emulator at AWS_ENDPOINT_URL, starts none, and leaves that one running when it stops',
    async () => {
      const endpointUrl = process.env.AWS_ENDPOINT_URL as string;
      const stack = await startStack('lc-endpoint', endpointUrl);

      expect(stack.output().stdout).toContain(`Emulator        ${endpointUrl} (AWS_ENDPOINT_URL)`);
      const running = stackProcesses(stack);
      expect(running.filter((p) => p.argv.some((arg) => arg.endsWith('moto_server')))).toEqual([]);
      expect(await accepts(stack.motoPort)).toBe(false);

      process.kill(stack.pid, 'SIGTERM');
      const exit = await withTimeout(stack.exit, STOP_WITHIN_MS, "npm's exit after SIGTERM");

      expect(exit).toEqual({ code: 0, signal: null });
      await waitUntilGone(stack, STOP_WITHIN_MS);
      const emulator = await fetch(`${endpointUrl}/moto-api/`, { signal: AbortSignal.timeout(5_000) });
      expect(emulator.ok).toBe(true);
    },
    TEST_TIMEOUT_MS,
  );
});

describe('spawnTied (the watchdog between npm start and each process it starts)', () => {
  const node = (code: string): [string, string[]] => [process.execPath, ['-e', code]];

  it('reports the exit code of a child that exits by itself', async () => {
    const child = spawnTied(...node('process.exit(3)'), { output: 'ignore', graceMs: 1000 });

    expect(await withTimeout(child.exited, 5_000, 'the exit')).toEqual({ code: 3, signal: null });
    expect(child.running).toBe(false);
  });

  it('reports the signal that ended the child', async () => {
    const child = spawnTied(...node("process.kill(process.pid, 'SIGKILL')"), {
      output: 'ignore',
      graceMs: 1000,
    });

    expect(await withTimeout(child.exited, 5_000, 'the exit')).toEqual({ code: null, signal: 'SIGKILL' });
  });

  it('stops a child that ignores SIGTERM with SIGKILL once the grace has passed', async () => {
    const child = spawnTied(
      ...node("process.on('SIGTERM', () => {}); setInterval(() => {}, 1000); console.log('ready')"),
      {
        output: 'pipe',
        graceMs: 500,
      },
    );
    await withTimeout(
      new Promise((resolve) => child.stdout?.once('data', resolve)),
      5_000,
      'the child installing its handler',
    );
    const asked = Date.now();

    const exit = await withTimeout(child.stop(), 5_000, 'stop()');

    expect(exit).toEqual({ code: null, signal: 'SIGKILL' });
    expect(Date.now() - asked).toBeGreaterThanOrEqual(450);
  });

  it('stops the child, which never holds the pipe, when its parent is killed with SIGKILL', async () => {
    const token = `${randomInt(100_000, 999_999)}.5`; // a `sleep` argument no other process has
    const parent = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `require('./scripts/local/tied-process.ts').spawnTied('sleep', ['${token}'], { output: 'ignore', graceMs: 1000 }); setInterval(() => {}, 1000);`,
      ],
      { cwd: ROOT, stdio: 'ignore' },
    );
    const parentExit = new Promise((resolve) => parent.once('exit', resolve));
    const sleeping = () => liveProcesses().filter((p) => p.argv[0] === 'sleep' && p.argv[1] === token);
    try {
      const deadline = Date.now() + 10_000;
      while (sleeping().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const [sleep] = sleeping();
      expect(sleep).toBeDefined();
      expect(readlinkSync(`/proc/${sleep?.pid}/fd/0`)).toBe('/dev/null');

      parent.kill('SIGKILL');
      await parentExit;
      const killed = Date.now();
      while (sleeping().length > 0 && Date.now() - killed < 3_000)
        await new Promise((r) => setTimeout(r, 50));

      expect(sleeping()).toEqual([]);
    } finally {
      parent.kill('SIGKILL');
      for (const p of sleeping()) process.kill(p.pid, 'SIGKILL');
    }
  });
});
