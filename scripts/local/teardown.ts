import { type ChildExit, describeExit } from './tied-process';

/** Thrown out of a start-up step when SIGINT, SIGTERM or SIGHUP arrives first, or the parent process goes. */
export class Interrupted extends Error {
  /** @param reason the signal's name, or `parent process exited` */
  constructor(readonly reason: string) {
    super(`Interrupted by ${reason}`);
    this.name = 'Interrupted';
  }
}

/** Thrown out of a step when a process that should keep running (a watched one) exits. */
export class ChildExitedError extends Error {
  constructor(
    readonly what: string,
    readonly exit: ChildExit,
  ) {
    super(`${what} exited (${describeExit(exit)})`);
    this.name = 'ChildExitedError';
  }
}

/**
 * Settles with the first of `signals` this process receives (and keeps them from killing it outright),
 * or with `parent process exited` once this process has been re-parented: `kill -9` on npm leaves its
 * child running, and nothing else would tell it.
 */
export function interruption(
  options: { signals?: NodeJS.Signals[]; pollMs?: number; ppid?: () => number } = {},
): Promise<string> {
  const { signals = ['SIGINT', 'SIGTERM', 'SIGHUP'], pollMs = 500, ppid = () => process.ppid } = options;
  return new Promise((resolve) => {
    for (const signal of signals) process.on(signal, () => resolve(signal));
    const parent = ppid();
    const timer = setInterval(() => {
      if (ppid() === parent) return;
      clearInterval(timer);
      resolve('parent process exited');
    }, pollMs);
    timer.unref();
  });
}

/**
 * How long a watched process's exit waits for a signal before it counts as unexpected. Ctrl+C reaches
 * the whole process group: moto may exit of its SIGINT a moment before this process handles its own.
 */
export const EXIT_GRACE_MS = 300;

/**
 * What has been started, stopped in reverse order. A step still starting is tracked too, so a signal
 * that arrives mid-way stops what that step ends up starting. A watched process that exits ends the
 * current step (and `hold()`) with ChildExitedError.
 *
 * @example
 * const teardown = new Teardown(interruption());
 * const moto = await teardown.start(startMoto(), (m) => m.stop());
 * teardown.watch('moto server', moto.exited);
 * ...
 * await teardown.hold(); // until a signal (Interrupted) or a watched exit (ChildExitedError)
 * await teardown.run();
 */
export class Teardown {
  private readonly stops: Array<() => Promise<void>> = [];
  private readonly failures: Array<Promise<never>> = [];

  constructor(private readonly interrupted: Promise<string>) {}

  /** Awaits `step`, or throws Interrupted if a signal comes first, or ChildExitedError if a watched process exits. */
  step<T>(step: Promise<T>): Promise<T> {
    return Promise.race([
      step,
      this.interrupted.then((reason) => {
        throw new Interrupted(reason);
      }),
      ...this.failures,
    ]);
  }

  /** Waits for the end: always throws, Interrupted or ChildExitedError. */
  hold(): Promise<never> {
    return this.step(new Promise<never>(() => {}));
  }

  /** From now on, `what` exiting ends the current step, unless a signal arrives within EXIT_GRACE_MS. */
  watch(what: string, exited: Promise<ChildExit>): void {
    const failure = exited.then(async (exit): Promise<never> => {
      await new Promise((r) => setTimeout(r, EXIT_GRACE_MS));
      throw new ChildExitedError(what, exit);
    });
    failure.catch(() => {}); // raced by the steps; unhandled when it comes during run()
    this.failures.push(failure);
  }

  /** Awaits something that starts a process; it is stopped by run() even if a signal interrupts the wait. */
  start<T>(starting: Promise<T>, stop: (started: T) => Promise<void>): Promise<T> {
    this.stops.push(async () => {
      const started = await starting.catch(() => undefined);
      if (started !== undefined) await stop(started);
    });
    return this.step(starting);
  }

  add(stop: () => Promise<void>): void {
    this.stops.push(stop);
  }

  async run(): Promise<void> {
    for (const stop of this.stops.splice(0).reverse()) {
      try {
        await stop();
      } catch (error) {
        console.error(`While stopping: ${(error as Error).message}`);
      }
    }
  }
}
