import { checkBatch, type EntryCheck } from '../../../src/domain/batch';

/** Paths of letters only, keyed lower-case; `/note*` carries a note. */
const letters = (entry: unknown): EntryCheck<string, string> =>
  typeof entry === 'string' && /^\/[a-z*]+$/i.test(entry)
    ? {
        ok: true,
        value: entry,
        key: entry.toLowerCase(),
        ...(entry.startsWith('/note') ? { note: 'noted' } : {}),
      }
    : { ok: false, message: 'must be letters' };

describe('checkBatch', () => {
  it('accepts both lists, each entry once by its key, in the order first given', () => {
    expect(checkBatch({ add: ['/b', '/a', '/B'], remove: ['/c'] }, letters, 'path')).toEqual({
      ok: true,
      value: { add: ['/b', '/a'], remove: ['/c'], notes: [] },
    });
  });

  it('names every refused entry by its list and position, with the entry as given', () => {
    expect(checkBatch({ add: ['/a', 7, '/1'], remove: [null] }, letters, 'path')).toEqual({
      ok: false,
      problems: [
        { field: 'add[1]', entry: 7, message: 'must be letters' },
        { field: 'add[2]', entry: '/1', message: 'must be letters' },
        { field: 'remove[0]', entry: null, message: 'must be letters' },
      ],
    });
  });

  it('refuses an entry both added and removed, by its key', () => {
    const checked = checkBatch({ add: ['/a'], remove: ['/A'] }, letters, 'path');
    expect(checked).toEqual({
      ok: false,
      problems: [{ field: 'remove[0]', entry: '/A', message: '/a is also in add' }],
    });
  });

  it('keeps a note for every accepted entry given, with its field', () => {
    const checked = checkBatch({ add: ['/note', '/x', '/note'] }, letters, 'path');
    expect(checked.ok && checked.value.notes).toEqual([
      { field: 'add[0]', note: 'noted' },
      { field: 'add[2]', note: 'noted' },
    ]);
  });

  it.each([{}, { add: [] }, { add: [], remove: [] }])('refuses a request that names nothing: %j', (input) => {
    expect(checkBatch(input, letters, 'path')).toEqual({
      ok: false,
      problems: [{ field: 'body', entry: undefined, message: 'name at least one path in add or remove' }],
    });
  });
});
