/** Thrown out of a start-up step when SIGINT or SIGTERM arrives first. */
export class Interrupted extends Error {
  constructor(readonly signal: NodeJS.Signals) {
    super(`Interrupted by ${signal}`);
    this.name = 'Interrupted';
  }
}

/** Settles with the first of `signals` this process receives (and keeps them from killing it outright). */
export function firstSignal(
  signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'],
): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    for (const signal of signals) process.on(signal, () => resolve(signal));
  });
}

/**
 * What has been started, stopped in reverse order. A step still starting is tracked too, so a signal
 * that arrives mid-way stops what that step ends up starting.
 *
 * @example
 * const teardown = new Teardown(firstSignal());
 * const moto = await teardown.start(startMoto(), (m) => m.stop());
 * ...
 * await teardown.run();
 */
export class Teardown {
  private readonly stops: Array<() => Promise<void>> = [];

  constructor(private readonly interrupted: Promise<NodeJS.Signals>) {}

  /** Awaits `step`, or throws Interrupted if a signal comes first. */
  step<T>(step: Promise<T>): Promise<T> {
    return Promise.race([
      step,
      this.interrupted.then((signal) => {
        throw new Interrupted(signal);
      }),
    ]);
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
