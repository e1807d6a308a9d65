import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { frameworkEnv, ROOT } from './stack-definition';
import { type ChildExit, describeExit, spawnTied, type TiedProcess } from './tied-process';

export interface OfflineOptions {
  stage: string;
  httpPort: number;
  /** serverless-offline's Lambda invoke endpoint; a free port, so two stacks can run side by side. */
  lambdaPort: number;
  /** Stand in for serverless.yml's `params.default` `!GetAtt`s, which serverless-offline cannot resolve. */
  params: Record<string, string>;
  env: Record<string, string>;
}

const LOG_LINES_KEPT = 200;
const STOP_GRACE_MS = 5_000;

/**
 * `serverless offline start` as a child of this process, tied to it (spawnTied): it stops when this
 * process ends, even by SIGKILL. It stays in this process group on purpose: a terminal hang-up, Ctrl+C
 * or a supervisor's group kill reaches it directly, and its only child (esbuild's service) exits when it
 * does. Its output is held back until the API is ready (the banner replaces its route table) and replayed
 * if it fails to start; from then on every line is forwarded with an `offline |` prefix.
 */
export class OfflineServer {
  readonly url: string;
  private readonly child: TiedProcess;
  private readonly startupLog: string[] = [];
  private forwarding = false;

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
    this.child = spawnTied(process.execPath, [bin, ...args], {
      cwd: ROOT,
      env: frameworkEnv(options.env),
      output: 'pipe',
      graceMs: STOP_GRACE_MS,
    });
    this.relay(this.child.stdout, process.stdout);
    this.relay(this.child.stderr, process.stderr);
  }

  /** Settles when the process exits, for whatever reason. */
  get exited(): Promise<ChildExit> {
    return this.child.exited;
  }

  get running(): boolean {
    return this.child.running;
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
      if (!this.running) {
        throw new Error(`serverless-offline exited while starting (${describeExit(await this.exited)})`);
      }
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
    await this.child.stop();
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
