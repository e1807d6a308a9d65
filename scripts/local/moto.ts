import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { type ChildExit, describeExit, spawnTied, type TiedProcess } from './tied-process';

export interface RunningMoto {
  url: string;
  port: number;
  /** Settles when moto server exits, whoever stopped it. */
  exited: Promise<ChildExit>;
  stop(): Promise<void>;
}

const STOP_GRACE_MS = 3000;

export class MotoMissingError extends Error {
  constructor() {
    super('moto_server is not installed. Install it with: pip install "moto[server]"  (then run this again)');
    this.name = 'MotoMissingError';
  }
}

/** A free TCP port on 127.0.0.1, chosen by the kernel. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export function motoInstalled(): boolean {
  return spawnSync('moto_server', ['--help'], { stdio: 'ignore' }).status === 0;
}

async function waitUntilUp(url: string, child: TiedProcess, deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    if (!child.running) throw new Error(`moto_server exited (${describeExit(await child.exited)})`);
    try {
      const res = await fetch(`${url}/moto-api/`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`moto_server did not answer on ${url} within ${deadlineMs} ms`);
}

/**
 * Starts moto server on 127.0.0.1 and waits until it answers. It is tied to this process (spawnTied):
 * it stops when this process ends, even by SIGKILL. `maxLifetimeSeconds` also bounds its life (it runs
 * under coreutils `timeout`).
 *
 * @example
 * const moto = await startMoto({ port: 4566 }); process.env.AWS_ENDPOINT_URL = moto.url; ...; await moto.stop();
 */
export async function startMoto(
  options: { port?: number; maxLifetimeSeconds?: number } = {},
): Promise<RunningMoto> {
  if (!motoInstalled()) throw new MotoMissingError();
  const port = options.port ?? (await freePort());
  const args = ['-H', '127.0.0.1', '-p', String(port)];
  const child = options.maxLifetimeSeconds
    ? spawnTied('timeout', [String(options.maxLifetimeSeconds), 'moto_server', ...args], {
        output: 'ignore',
        graceMs: STOP_GRACE_MS,
      })
    : spawnTied('moto_server', args, { output: 'ignore', graceMs: STOP_GRACE_MS });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilUp(url, child, 20_000);
  } catch (error) {
    await child.stop();
    throw error;
  }
  return {
    url,
    port,
    exited: child.exited,
    stop: async () => {
      await child.stop();
    },
  };
}

/** Credentials and region for talking to an emulator; only fills in what is not set already. */
export function emulatorEnv(url: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: url,
    AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
    AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'testing',
    AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'testing',
  };
}
