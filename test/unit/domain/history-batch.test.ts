import { describeDetails } from '../../../src/cli/history-commands';
import { announcement } from '../../../src/domain/announcements';
import { batchDetails, listOf, MAX_LISTED_IN_ENTRY } from '../../../src/domain/history';
import { updateBypassSet } from '../../../src/use-cases/update-bypass-set';
import { slackRunDeps } from '../../support/fakes';
import { anEntry } from '../../support/history';

// A batch may change 10,000 addresses per IP version; its entry must still fit in one DynamoDB item (400 KB),
// so it names the first 100 of each list and says how many there were.

const many = (n: number) => Array.from({ length: n }, (_, i) => `2001:db8::${i.toString(16)}/128`);

describe('a batch entry', () => {
  it('keeps both lists whole up to the limit', () => {
    const change = { added: many(MAX_LISTED_IN_ENTRY), removed: ['192.0.2.1/32'] };
    expect(batchDetails(change)).toEqual(change);
  });

  it('names the first 100 of each list past it, with the counts', () => {
    const details = batchDetails({ added: many(10_000), removed: ['192.0.2.1/32'] });
    expect(details).toEqual({
      added: many(MAX_LISTED_IN_ENTRY),
      removed: ['192.0.2.1/32'],
      addedCount: 10_000,
      removedCount: 1,
    });
    expect(JSON.stringify(details).length).toBeLessThan(10_000);
    expect(listOf(details, 'added')).toEqual({ items: many(MAX_LISTED_IN_ENTRY), count: 10_000 });
  });

  it('takes a count no smaller than the list it goes with', () => {
    expect(listOf({ added: ['a', 'b'], addedCount: 1 }, 'added')).toEqual({ items: ['a', 'b'], count: 2 });
    expect(listOf({ removed: 'x' }, 'removed')).toEqual({ items: [], count: 0 });
  });

  it('is what a bypass change of 250 addresses writes', async () => {
    const deps = slackRunDeps();
    await updateBypassSet(deps, { add: many(250), actor: 'alice' });
    const [entry] = deps.audit.entries;
    expect(entry?.details).toMatchObject({ addedCount: 250, removedCount: 0 });
    expect(entry?.details.added).toHaveLength(MAX_LISTED_IN_ENTRY);
  });

  it('is told in full numbers by the CLI and the announcement', () => {
    const entry = anEntry({
      action: 'bypass.update',
      details: batchDetails({ added: many(250), removed: [] }),
    });
    expect(describeDetails(entry)).toBe(`added ${many(5).join(', ')} and 245 more`);
    const { text, blocks } = announcement(entry);
    expect(text).toContain('added 250 addresses');
    expect(JSON.stringify(blocks)).toMatch(/and 2\d\d more/);
  });
});
