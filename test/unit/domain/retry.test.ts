import { ConflictError, StaleLockError, ThrottledError, UpstreamError } from '../../../src/domain/errors';
import { retryOnConflict } from '../../../src/domain/retry';
import { FakeClock } from '../../support/fakes';

const policy = { budgetMs: 1_000, baseDelayMs: 50, maxDelayMs: 400, random: () => 0.5 };

describe('retryOnConflict', () => {
  it('returns the first successful attempt without waiting', async () => {
    const clock = new FakeClock();
    await expect(retryOnConflict({ clock, policy }, async () => 'done')).resolves.toBe('done');
    expect(clock.slept).toEqual([]);
  });

  it('retries stale lock tokens and throttling with growing, capped, jittered waits', async () => {
    const clock = new FakeClock();
    const failures = [new StaleLockError(), new ThrottledError(), new StaleLockError(), new StaleLockError()];
    const result = await retryOnConflict({ clock, policy }, async () => {
      const next = failures.shift();
      if (next) throw next;
      return 'applied';
    });
    expect(result).toBe('applied');
    expect(clock.slept).toEqual([25, 50, 100, 200]);
  });

  it('gives up with ConflictError once the budget is spent on lock conflicts', async () => {
    const clock = new FakeClock();
    let attempts = 0;
    const run = retryOnConflict({ clock, policy }, async () => {
      attempts++;
      throw new StaleLockError();
    });
    await expect(run).rejects.toBeInstanceOf(ConflictError);
    expect(clock.slept.reduce((a, b) => a + b, 0)).toBeLessThan(policy.budgetMs);
    expect(attempts).toBeGreaterThan(3);
  });

  it('gives up with UpstreamError when AWS keeps throttling', async () => {
    const clock = new FakeClock();
    const run = retryOnConflict({ clock, policy }, async () => {
      throw new ThrottledError();
    });
    await expect(run).rejects.toBeInstanceOf(UpstreamError);
  });

  it('does not retry other errors', async () => {
    const clock = new FakeClock();
    let attempts = 0;
    const run = retryOnConflict({ clock, policy }, async () => {
      attempts++;
      throw new UpstreamError('boom');
    });
    await expect(run).rejects.toThrow('boom');
    expect(attempts).toBe(1);
  });
});
