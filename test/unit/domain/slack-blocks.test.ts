import fc from 'fast-check';
import { escapeMrkdwn, fitList, fitText, summarise } from '../../../src/domain/slack-blocks';

// Every `&` of escaped text must still begin a whole entity after a cut.
const BROKEN_ENTITY = /&(?!amp;|lt;|gt;)/;

describe('fitText', () => {
  it('leaves text within the limit as it is', () => {
    expect(fitText('x'.repeat(3_000), 3_000)).toBe('x'.repeat(3_000));
  });

  it('cuts longer text to the limit, ending with an ellipsis', () => {
    const cut = fitText('x'.repeat(3_001), 3_000);
    expect(cut).toHaveLength(3_000);
    expect(cut.endsWith('x…')).toBe(true);
  });

  it('never cuts an entity in two', () => {
    expect(fitText('ab&amp;cd', 5)).toBe('ab…');
    expect(fitText('ab&amp;cd', 8)).toBe('ab&amp;…');
  });

  it('never cuts a Slack token in two', () => {
    expect(fitText('by <@U024BE7LH> today', 10)).toBe('by …');
    expect(fitText('since <!date^1795428000^{date_short_pretty}|2026> ok', 30)).toBe('since …');
  });

  it('never cuts a surrogate pair in two', () => {
    expect(fitText('ab\u{1F6A7}cd', 4)).toBe('ab…');
  });

  it('keeps any escaped text within the limit and its entities whole', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), fc.integer({ min: 8, max: 300 }), (raw, max) => {
        const cut = fitText(escapeMrkdwn(raw), max);
        expect(cut.length).toBeLessThanOrEqual(max);
        expect(cut).not.toMatch(BROKEN_ENTITY);
      }),
    );
  });
});

describe('fitList and summarise', () => {
  it('names every item when all fit', () => {
    expect(summarise(['`a`', '`b`', '`c`'], 100)).toBe('`a`, `b`, `c`');
  });

  it('names at most `max` items, then how many more there are', () => {
    const items = Array.from({ length: 200 }, (_, i) => `i${i}`);
    expect(summarise(items, 3_000)).toBe(`${items.slice(0, 20).join(', ')} and 180 more`);
  });

  it('stays within the budget, the "more" included', () => {
    const items = Array.from({ length: 200 }, () => 'x'.repeat(40));
    const text = summarise(items, 500, 200);
    expect(text.length).toBeLessThanOrEqual(500);
    expect(text).toMatch(/ and 189 more$/);
  });

  it('fits the last item without keeping room for a "more" it does not need', () => {
    expect(fitList(['aaaa', 'bbbb'], { budget: 10, max: 5, separator: ', ', reserve: 20 })).toEqual({
      shown: ['aaaa', 'bbbb'],
      left: 0,
    });
  });
});
