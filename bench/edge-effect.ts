import { createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEdgeServer } from '../scripts/local/edge/edge-server';
import type { ProvisionedStack } from '../scripts/local/provision';
import { handlerEnv } from '../test/support/stack';
import { msSince, type Summary, summarize } from './stats';
import { lambdaContext, setMaintenanceEvent } from './toggle';

/**
 * Time to effect, locally: from the moment POST /maintenance answers until the local edge serves the
 * visitor what the switch now says (the 503 after "on", the site again after "off"). The edge is polled
 * back to back from the answer on, so the figure's resolution is one edge request, which reads the web
 * ACL, the rule group, the IP sets and the distribution config from moto afresh (scripts/local/edge).
 * On AWS the figure is dominated instead by WAF's propagation to the edge locations (README, "Time to
 * effect"); this one says that the switch and the edge add nothing on top of the write.
 */

export const EDGE_EFFECT_TARGET_MS = 1_000;
const GIVE_UP_MS = 10_000;

export interface EdgeEffectResult {
  n: number;
  /** Answer of the "on" toggle → first 503 at the edge, ms. */
  on: Summary;
  /** Answer of the "off" toggle → first 200 from the origin at the edge, ms. */
  off: Summary;
  /** One request through the edge (the polling's resolution), ms. */
  edgeRequest: Summary;
}

function status(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = get(url, { localAddress: '127.0.0.2', timeout: GIVE_UP_MS }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error(`${url} took more than ${GIVE_UP_MS} ms`)));
    req.on('error', reject);
  });
}

/** Polls `url` until it answers `wanted`; the time from `since` to that answer, and each poll's time. */
async function until(url: string, wanted: number, since: bigint, polls: number[]): Promise<number> {
  for (;;) {
    const start = process.hrtime.bigint();
    const got = await status(url);
    polls.push(msSince(start));
    if (got === wanted) return msSince(since);
    if (msSince(since) > GIVE_UP_MS)
      throw new Error(`the edge still answered ${got} ${GIVE_UP_MS} ms after the toggle`);
  }
}

/**
 * Toggles `n` times each way through the real handler against moto and times the edge's catching up.
 *
 * @example
 * const { on, off } = await runEdgeEffectBench({ stack, token, emulatorUrl, n: 20 }); // on.median ≈ 30 ms
 */
export async function runEdgeEffectBench(input: {
  stack: ProvisionedStack;
  token: string;
  emulatorUrl: string;
  n: number;
}): Promise<EdgeEffectResult> {
  const origin = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('the site');
  });
  await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve));
  const edge = await startEdgeServer({
    port: 0,
    distributionId: input.stack.distributionId,
    originUrl: `http://127.0.0.1:${(origin.address() as AddressInfo).port}`,
    emulatorUrl: input.emulatorUrl,
  });
  const env = { ...process.env, ...handlerEnv(input.stack) };
  // The handler module builds its own deps at import (toggle.ts imported it already with a valid environment).
  Object.assign(process.env, env);
  const { createHandler } = await import('../handlers/set-maintenance');
  const { awsDeps } = await import('../handlers/lib/aws-deps');
  const { windowDeps } = await import('../handlers/lib/window-deps');
  const handler = createHandler({ ...awsDeps(env), ...windowDeps(env) });
  const toggle = async (enabled: boolean) => {
    const res = await handler(setMaintenanceEvent(input.token, enabled), lambdaContext());
    if (res.statusCode !== 200) throw new Error(`POST /maintenance answered ${res.statusCode}: ${res.body}`);
    return process.hrtime.bigint();
  };
  const on: number[] = [];
  const off: number[] = [];
  const polls: number[] = [];
  const quiet = console.info;
  console.info = () => undefined;
  try {
    if ((await status(`${edge.url}/`)) !== 200)
      throw new Error('the edge does not serve the site before the bench');
    for (let i = 0; i < input.n; i++) {
      on.push(await until(`${edge.url}/`, 503, await toggle(true), polls));
      off.push(await until(`${edge.url}/`, 200, await toggle(false), polls));
    }
  } finally {
    console.info = quiet;
    await edge.close();
    await new Promise((resolve) => origin.close(resolve));
  }
  return { n: input.n, on: summarize(on), off: summarize(off), edgeRequest: summarize(polls) };
}
