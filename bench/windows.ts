import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context } from 'aws-lambda';
import type { ProvisionedStack } from '../scripts/local/provision';
import { startSchedulerRunner } from '../scripts/local/scheduler-runner';
import { Deadline } from '../src/domain/deadline';
import { systemClock } from '../src/ports/clock';
import { getMaintenanceStatus } from '../src/use-cases/get-maintenance-status';
import { scheduleWindow } from '../src/use-cases/plan-window';
import { handlerEnv } from '../test/support/stack';
import { type Summary, summarize } from './stats';

/** The local stack's promise (issue 12): a window's effect within 2 s of its start and of its end. */
export const WINDOW_TARGET_MS = 2_000;

export interface WindowBenchResult {
  n: number;
  /** From a window's start until its change was made (the change record's time), and until a read saw it. */
  startChange: Summary;
  startSeen: Summary;
  endChange: Summary;
  endSeen: Summary;
}

/**
 * Windows in real seconds, as the local stack runs them: the scheduler runner over moto fires each
 * schedule into the scheduled function (in this process, behind a stand-in for serverless-offline's Lambda
 * endpoint), which turns maintenance on and off. Each of `n` windows starts about 2 s after it was planned
 * and lasts 2 s; the rule group is read every 20 ms to see when each edge took effect.
 */
export async function runWindowBench(options: {
  stack: ProvisionedStack;
  emulatorUrl: string;
  n: number;
}): Promise<WindowBenchResult> {
  const env = {
    ...process.env,
    ...handlerEnv(options.stack),
    AWS_ENDPOINT_URL: options.emulatorUrl,
    // No webhook parameter exists in the bench's emulator: reminders are not what is measured.
    SLACK_WEBHOOK_PARAMETER: `/waf-maintenance/${options.stack.stage}/slack-webhook-url`,
  };
  // The handler module builds its own deps at import; give it a valid environment first.
  Object.assign(process.env, env);
  const { awsDeps } = await import('../handlers/lib/aws-deps');
  const { windowDeps } = await import('../handlers/lib/window-deps');
  const { createHandler } = await import('../handlers/scheduled');
  const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const deps = { ...awsDeps(env), ...windowDeps(env), logger: quiet };
  const scheduled = createHandler(deps);
  const context = { getRemainingTimeInMillis: () => 100_000 } as unknown as Context;

  // serverless-offline's Lambda endpoint, for an asynchronous Invoke: 202 at once, then the handler runs.
  const lambda = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      res.writeHead(202).end();
      void scheduled(JSON.parse(body), context).catch(() => undefined);
    });
  });
  await new Promise<void>((resolve) => lambda.listen(0, '127.0.0.1', resolve));
  const runner = startSchedulerRunner({
    emulatorUrl: options.emulatorUrl,
    group: options.stack.scheduleGroup,
    lambdaUrl: `http://127.0.0.1:${(lambda.address() as AddressInfo).port}`,
    log: () => undefined,
  });

  const seenWhen = async (enabled: boolean, by: number): Promise<{ seen: number; changedAt: number }> => {
    while (Date.now() < by) {
      const status = await getMaintenanceStatus(deps);
      if (status.enabled === enabled)
        return { seen: Date.now(), changedAt: Date.parse(status.changedAt ?? '') };
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`maintenance did not turn ${enabled ? 'on' : 'off'} in time`);
  };

  const startChange: number[] = [];
  const startSeen: number[] = [];
  const endChange: number[] = [];
  const endSeen: number[] = [];
  try {
    for (let i = 0; i < options.n; i++) {
      const start = Math.ceil((Date.now() + 2_000) / 1000) * 1000;
      const end = start + 2_000;
      await scheduleWindow(
        { ...deps, clock: systemClock, deadline: Deadline.in(systemClock, 20_000) },
        { startsAt: new Date(start).toISOString(), endsAt: new Date(end).toISOString(), actor: 'bench' },
      );
      const on = await seenWhen(true, start + 10_000);
      startChange.push(on.changedAt - start);
      startSeen.push(on.seen - start);
      const off = await seenWhen(false, end + 10_000);
      endChange.push(off.changedAt - end);
      endSeen.push(off.seen - end);
    }
  } finally {
    await runner.stop();
    await new Promise<void>((resolve) => lambda.close(() => resolve()));
  }
  return {
    n: options.n,
    startChange: summarize(startChange),
    startSeen: summarize(startSeen),
    endChange: summarize(endChange),
    endSeen: summarize(endSeen),
  };
}
