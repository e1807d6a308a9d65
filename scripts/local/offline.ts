import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { frameworkEnv, ROOT } from './stack-definition';

export interface OfflineOptions {
  stage: string;
  httpPort: number;
  /** serverless-offline's Lambda invoke endpoint; a free port, so two stacks can run side by side. */
  lambdaPort: number;
  /** Stand in for serverless.yml's `params.default` `!GetAtt`s, which serverless-offline cannot resolve. */
  params: Record<string, string>;
  env: Record<string, string>;
}

export interface OfflineExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const LOG_LINES_KEPT = 200;
const STOP_GRACE_MS = 10_000;

/**
 * `serverless offline start` as a child of this process. It stays in this process group on purpose: a
 * terminal hang-up, Ctrl+C or a supervisor's group kill reaches it even if this process dies first, and
 * its only child (esbuild's service) exits when it does. Its output is held back until the API is ready
 * (the banner replaces its route table) and replayed if it fails to start; from then on every line is
 * forwarded with an `offline |` prefix.
 */
export class OfflineServer {
  readonly url: string;
  /** Settles when the process exits, for whatever reason. */
  readonly exited: Promise<OfflineExit>;
  private readonly child: ChildProcess;
  private readonly startupLog: string[] = [];
  private forwarding = false;
  private failed = false;

  constructor(options: OfflineOptions) {
    this.url = `http://127.0.0.1:${options.httpPort}`;
    const bin = resolve(ROOT, 'node_modules', '.bin', 'serverless');
    const args = [
      'offline',
      'start',
      '--stage',
      options.stage,
      '--host',
      '127.0.0.1',
      '--httpPort',
      String(options.httpPort),
      '--lambdaPort',
      String(options.lambdaPort),
      // No --websocketPort/--albPort: those servers only start for websocket/alb events, and there are none.
      ...Object.entries(options.params).map(([name, value]) => `--param=${name}=${value}`),
    ];
    // Run by this Node rather than the script's `#!/usr/bin/env node`: the same runtime whatever PATH holds.
    this.child = spawn(process.execPath, [bin, ...args], {
      cwd: ROOT,
      env: frameworkEnv(options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.exited = new Promise((done) => {
      this.child.once('exit', (code, signal) => done({ code, signal }));
      this.child.once('error', (error) => {
        this.startupLog.push(`could not run ${bin}: ${error.message}`);
        this.failed = true;
        done({ code: null, signal: null });
      });
    });
    this.relay(this.child.stdout, process.stdout);
    this.relay(this.child.stderr, process.stderr);
    // Last resort if this process ends without stop() (an uncaught error): never leave it behind.
    process.once('exit', () => this.child.kill('SIGKILL'));
  }

  get running(): boolean {
    return !this.failed && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** What it printed while starting, for the error message when it did not come up. */
  get log(): string {
    return this.startupLog.join('\n');
  }

  /**
   * Polls `GET /maintenance` without a token until it answers 401: the API is listening and the handler
   * chain (config, SDK clients, auth) loads. Fails if the process exits or `timeoutMs` passes first.
   */
  async waitUntilReady(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer';
    while (Date.now() < deadline) {
      if (!this.running)
        throw new Error(`serverless-offline exited while starting (${describe(this.child)})`);
      try {
        const res = await fetch(`${this.url}/maintenance`, { signal: AbortSignal.timeout(10_000) });
        if (res.status === 401) {
          this.forwarding = true;
          return;
        }
        last = `HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`;
      } catch (error) {
        last = String((error as Error).cause ?? error);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(
      `serverless-offline did not answer on ${this.url} within ${timeoutMs} ms (last: ${last})`,
    );
  }

  /** SIGTERM (it shuts down cleanly and exits 0), SIGKILL after a grace period; resolves once it exited. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_GRACE_MS);
    await this.exited;
    clearTimeout(timer);
  }

  private relay(from: NodeJS.ReadableStream | null, to: NodeJS.WritableStream): void {
    if (!from) return;
    createInterface({ input: from }).on('line', (line) => {
      if (this.forwarding) {
        if (line.trim() !== '') to.write(`offline | ${line}\n`);
        return;
      }
      this.startupLog.push(line);
      if (this.startupLog.length > LOG_LINES_KEPT) this.startupLog.shift();
    });
  }
}

function describe(child: ChildProcess): string {
  return child.signalCode ? `signal ${child.signalCode}` : `exit code ${child.exitCode}`;
}
