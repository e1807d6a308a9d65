import {
  ChildExitedError,
  EXIT_GRACE_MS,
  Interrupted,
  interruption,
  Teardown,
} from '../../../scripts/local/teardown';
import { type ChildExit, describeExit } from '../../../scripts/local/tied-process';

/** A promise and the functions that settle it, for playing signals and exits at chosen moments. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const never = <T>() => new Promise<T>(() => {});

/** A held Teardown watching one process: play its exit and a signal, then read how hold() ended. */
function holdWatching(what: string) {
  const signal = deferred<string>();
  const exited = deferred<ChildExit>();
  const teardown = new Teardown(signal.promise);
  teardown.watch(what, exited.promise);
  return { signal, exited, outcome: teardown.hold().catch((error: unknown) => error) };
}

describe('describeExit', () => {
  it('names the signal when there is one, else the exit code', () => {
    expect(describeExit({ code: null, signal: 'SIGKILL' })).toBe('signal SIGKILL');
    expect(describeExit({ code: 3, signal: null })).toBe('exit code 3');
  });
});

describe('Teardown', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('ends the current step with ChildExitedError, naming the process and how it ended, once a watched one exits', async () => {
    const { exited, outcome } = holdWatching('moto server at http://127.0.0.1:4566');

    exited.resolve({ code: null, signal: 'SIGKILL' });
    await jest.advanceTimersByTimeAsync(EXIT_GRACE_MS);

    const error = await outcome;
    expect(error).toBeInstanceOf(ChildExitedError);
    expect((error as Error).message).toBe('moto server at http://127.0.0.1:4566 exited (signal SIGKILL)');
  });

  it('counts a watched exit followed within the grace by a signal as an interruption (Ctrl+C reaches the whole group)', async () => {
    const { signal, exited, outcome } = holdWatching('moto server');

    exited.resolve({ code: null, signal: 'SIGINT' });
    await jest.advanceTimersByTimeAsync(EXIT_GRACE_MS / 2);
    signal.resolve('SIGINT');
    await jest.advanceTimersByTimeAsync(EXIT_GRACE_MS);

    const error = await outcome;
    expect(error).toBeInstanceOf(Interrupted);
    expect((error as Interrupted).reason).toBe('SIGINT');
  });

  it('holds until a signal arrives, then throws Interrupted', async () => {
    const signal = deferred<string>();
    const teardown = new Teardown(signal.promise);
    let settled = false;
    const outcome = teardown.hold().catch((error: unknown) => {
      settled = true;
      return error;
    });

    await jest.advanceTimersByTimeAsync(60_000);
    expect(settled).toBe(false);
    signal.resolve('SIGTERM');

    expect(await outcome).toEqual(new Interrupted('SIGTERM'));
  });

  it('stops in reverse order and goes on past a stop that fails', async () => {
    const teardown = new Teardown(never());
    const stopped: string[] = [];
    const error = jest.spyOn(console, 'error').mockImplementation(() => {});
    teardown.add(async () => {
      stopped.push('moto');
    });
    teardown.add(async () => {
      throw new Error('already gone');
    });
    teardown.add(async () => {
      stopped.push('offline');
    });

    await teardown.run();

    expect(stopped).toEqual(['offline', 'moto']);
    expect(error).toHaveBeenCalledWith('While stopping: already gone');
    error.mockRestore();
  });

  it('stops what a step ends up starting when a signal interrupts the wait', async () => {
    const signal = deferred<string>();
    const teardown = new Teardown(signal.promise);
    const starting = deferred<string>();
    const stop = jest.fn(async () => {});
    const outcome = teardown.start(starting.promise, stop).catch((e: unknown) => e);

    signal.resolve('SIGTERM');
    expect(await outcome).toBeInstanceOf(Interrupted);
    starting.resolve('moto');
    await teardown.run();

    expect(stop).toHaveBeenCalledWith('moto');
  });
});

describe('interruption', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('settles with "parent process exited" once this process has been re-parented', async () => {
    let parent = 4242;
    const settled = jest.fn();
    interruption({ signals: [], pollMs: 500, ppid: () => parent }).then(settled);

    await jest.advanceTimersByTimeAsync(2_000);
    expect(settled).not.toHaveBeenCalled();
    parent = 1;
    await jest.advanceTimersByTimeAsync(500);

    expect(settled).toHaveBeenCalledWith('parent process exited');
  });

  it('settles with the first signal received', async () => {
    const reason = interruption({ signals: ['SIGUSR2'], ppid: () => 4242 });
    try {
      process.emit('SIGUSR2', 'SIGUSR2');
      expect(await reason).toBe('SIGUSR2');
    } finally {
      process.removeAllListeners('SIGUSR2');
    }
  });
});
