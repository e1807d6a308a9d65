import { Deadline, MIN_TIME_FOR_WRITE_MS } from '../../../src/domain/deadline';
import { DeadlineError } from '../../../src/domain/errors';
import { FakeClock } from '../../support/fakes';

describe('Deadline', () => {
  it('counts down on the clock and lets writes start only while there is time for one', () => {
    const clock = new FakeClock();
    const deadline = Deadline.in(clock, 5_000);
    expect(deadline.remainingMs()).toBe(5_000);
    expect(deadline.mayWrite()).toBe(true);
    clock.advance(5_000 - MIN_TIME_FOR_WRITE_MS + 1);
    expect(deadline.mayCall()).toBe(true);
    expect(deadline.mayWrite()).toBe(false);
    expect(() => deadline.assertMayWrite('UpdateRuleGroup')).toThrow(
      new DeadlineError('UpdateRuleGroup was not sent: too little time was left before the answer.'),
    );
    clock.advance(MIN_TIME_FOR_WRITE_MS);
    expect(deadline.mayCall()).toBe(false);
  });

  it('aborts its signal when closed, and refuses every call afterwards', () => {
    const deadline = Deadline.in(new FakeClock(), 60_000);
    const aborted = jest.fn();
    deadline.signal.addEventListener('abort', aborted);
    deadline.close();
    deadline.close();
    expect(aborted).toHaveBeenCalledTimes(1);
    expect(deadline.signal.reason).toBeInstanceOf(DeadlineError);
    expect(deadline.mayCall()).toBe(false);
    expect(() => deadline.assertMayWrite('PutItem')).toThrow(/had already been answered/);
  });

  it('names the writes whose outcome is unknown: in flight, or sent and never answered', () => {
    const deadline = Deadline.in(new FakeClock(), 60_000);
    const first = deadline.writeSent('UpdateIPSet waf-maintenance-t-bypass-v4');
    const second = deadline.writeSent('UpdateIPSet waf-maintenance-t-bypass-v6');
    expect(deadline.writesOfUnknownOutcome()).toEqual([
      'UpdateIPSet waf-maintenance-t-bypass-v4',
      'UpdateIPSet waf-maintenance-t-bypass-v6',
    ]);
    first({ known: true });
    second({ known: false });
    expect(deadline.writesOfUnknownOutcome()).toEqual(['UpdateIPSet waf-maintenance-t-bypass-v6']);
    expect(deadline.outcome()).toEqual({
      detail:
        'AWS did not answer UpdateIPSet waf-maintenance-t-bypass-v6: it may or may not have been applied. Read the state back before retrying.',
      unconfirmedWrites: ['UpdateIPSet waf-maintenance-t-bypass-v6'],
    });
  });

  it('settles an unknown write once a later write to the same resource is answered (a retry)', () => {
    const deadline = Deadline.in(new FakeClock(), 60_000);
    deadline.writeSent('UpdateRuleGroup waf-maintenance-t')({ known: false });
    deadline.writeSent('UpdateRuleGroup waf-maintenance-t')({ known: true });
    expect(deadline.outcome()).toEqual({ detail: 'Nothing was changed.', unconfirmedWrites: [] });
  });
});
