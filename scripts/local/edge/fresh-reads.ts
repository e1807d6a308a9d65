/**
 * Coalesces reads of something that changes underneath (the emulator's WAF and CloudFront state), without
 * ever answering a caller from a read that began before it asked: a toggle answered before a request
 * arrives must show in that request. At most one read runs; callers arriving while it runs share the next
 * one, which starts when it ends. So a burst of N requests costs at most two reads, not N, and each sees
 * state at least as new as its own arrival.
 *
 * @example
 * const snapshots = new FreshReads(() => readEdgeSnapshot(clients, distributionId));
 * const snapshot = await snapshots.get();
 */
export class FreshReads<T> {
  private running: Promise<T> | undefined;
  private queued: Promise<T> | undefined;

  constructor(private readonly read: () => Promise<T>) {}

  get(): Promise<T> {
    if (!this.running) return this.start();
    this.queued ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.start();
      });
    return this.queued;
  }

  private start(): Promise<T> {
    const reading = this.read().finally(() => {
      if (this.running === reading) this.running = undefined;
    });
    this.running = reading;
    return reading;
  }
}
