import { createHandler, MAX_EARLY_WAIT_MS } from '../../../handlers/scheduled';
import { lambdaContext } from '../../support/events';
import { FakeClock, switchDeps } from '../../support/fakes';
import { RecordingLogger } from '../../support/recording-logger';
import { aWindow } from '../../support/window-fakes';

const ID = '1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed';

function makeDeps() {
  const clock = new FakeClock(Date.parse('2026-12-06T01:59:30.000Z'));
  const deps = switchDeps({ clock, logger: new RecordingLogger(), reminderIntervalMs: 900_000 });
  deps.windows.seed(aWindow({ id: ID })); // 2026-12-06 02:00-03:00 UTC
  return deps;
}

const start = (at: string) => ({ event: { kind: 'window.start', windowId: ID }, at });

describe('the scheduled function', () => {
  it("waits out Scheduler's minute precision: called 30 s early, it starts the window on its second", async () => {
    const deps = makeDeps();
    const outcome = await createHandler(deps)(start('2026-12-06T02:00:00.000Z'), lambdaContext);
    expect(outcome).toMatchObject({ kind: 'window.start', outcome: 'started' });
    expect(deps.clock.slept[0]).toBe(30_000);
    expect([...deps.changes.records.values()].map((r) => r.changedAt)).toEqual(['2026-12-06T02:00:00.000Z']);
    expect(deps.logger.lines.at(-1)).toMatchObject({ level: 'info', event: 'timer-ran' });
  });

  it('acts at once, and says so, when called far earlier than Scheduler would', async () => {
    const deps = makeDeps();
    deps.clock.advance(-(MAX_EARLY_WAIT_MS + 60_000));
    const outcome = await createHandler(deps)(start('2026-12-06T02:00:00.000Z'), lambdaContext);
    expect(outcome).toMatchObject({ outcome: 'started' });
    expect(deps.clock.slept).toEqual([]);
    expect(deps.logger.lines.map((l) => l.event)).toContain('timer-early');
  });

  it.each([
    ['an unknown kind', { event: { kind: 'window.open', windowId: ID }, at: '2026-12-06T02:00:00.000Z' }],
    ['a reminder without its turn', { event: { kind: 'reminder' }, at: '2026-12-06T02:00:00.000Z' }],
    ['no moment', { event: { kind: 'window.start', windowId: ID } }],
    ['not an object', 'window.start'],
  ])('drops %s, logged, changing nothing (a retry would not mend it)', async (_, event) => {
    const deps = makeDeps();
    expect(await createHandler(deps)(event, lambdaContext)).toBeUndefined();
    expect(deps.logger.lines.map((l) => l.event)).toEqual(['timer-event-refused']);
    expect(deps.ruleGroup.writes).toHaveLength(0);
    expect(deps.windows.writes).toBe(0);
  });
});
