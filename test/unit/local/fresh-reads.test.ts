import { FreshReads } from '../../../scripts/local/edge/fresh-reads';

/** A read the test finishes by hand, numbered in the order they started. */
function manualReads() {
  const started: Array<{ resolve: (value: number) => void; reject: (error: Error) => void }> = [];
  const read = () =>
    new Promise<number>((resolve, reject) => {
      started.push({ resolve, reject });
    });
  return { started, read };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('FreshReads', () => {
  it('starts a read for a caller when none is running', async () => {
    const { started, read } = manualReads();
    const reads = new FreshReads(read);
    const first = reads.get();
    expect(started).toHaveLength(1);
    started[0]?.resolve(1);
    expect(await first).toBe(1);
  });

  it('never answers a caller from a read that began before it asked', async () => {
    const { started, read } = manualReads();
    const reads = new FreshReads(read);
    const early = reads.get();
    const late = reads.get();
    started[0]?.resolve(1);
    expect(await early).toBe(1);
    await tick();
    expect(started).toHaveLength(2);
    started[1]?.resolve(2);
    expect(await late).toBe(2);
  });

  it('serves every caller that arrives during a read with one next read: a burst costs two reads', async () => {
    const { started, read } = manualReads();
    const reads = new FreshReads(read);
    const answers = Array.from({ length: 50 }, () => reads.get());
    started[0]?.resolve(1);
    await tick();
    started[1]?.resolve(2);
    expect(await Promise.all(answers)).toEqual([1, ...Array(49).fill(2)]);
    expect(started).toHaveLength(2);
  });

  it('starts afresh after a failed read, and hands the failure only to those who shared it', async () => {
    const { started, read } = manualReads();
    const reads = new FreshReads(read);
    const failed = reads.get();
    const waiting = reads.get();
    started[0]?.reject(new Error('emulator down'));
    await expect(failed).rejects.toThrow('emulator down');
    await tick();
    started[1]?.resolve(2);
    expect(await waiting).toBe(2);
    const after = reads.get();
    expect(started).toHaveLength(3);
    started[2]?.resolve(3);
    expect(await after).toBe(3);
  });
});
