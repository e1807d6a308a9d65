import { compileFilter, UnsupportedFilter } from '../../../scripts/local/stream-runner';

// The local stream runner admits records by the function's filterPatterns, as Lambda's event filtering
// would, and refuses what it cannot evaluate rather than letting every record through.

const ENTRIES = { eventName: ['INSERT'], dynamodb: { Keys: { pk: { S: [{ prefix: 'entry#' }] } } } };
const record = (eventName: string, pk: string) => ({ eventName, dynamodb: { Keys: { pk: { S: pk } } } });

describe('compileFilter', () => {
  const admits = compileFilter(ENTRIES);

  it('admits a new entry', () => {
    expect(admits(record('INSERT', 'entry#c1'))).toBe(true);
  });

  it.each([
    ['a change to an entry', record('MODIFY', 'entry#c1')],
    ['a removal', record('REMOVE', 'entry#c1')],
    ['another item', record('INSERT', 'change#c1')],
    ['a key that only contains the prefix', record('INSERT', 'x-entry#c1')],
    ['a record without keys', { eventName: 'INSERT', dynamodb: {} }],
    ['a number where a string is expected', { eventName: 'INSERT', dynamodb: { Keys: { pk: { S: 7 } } } }],
  ])('turns away %s', (_what, value) => {
    expect(admits(value)).toBe(false);
  });

  it('admits any of the values a field lists', () => {
    const either = compileFilter({ eventName: ['INSERT', 'MODIFY'] });
    expect([either({ eventName: 'MODIFY' }), either({ eventName: 'REMOVE' })]).toEqual([true, false]);
  });

  it.each([
    [{ eventName: [{ 'anything-but': 'REMOVE' }] }, /cannot evaluate \{"anything-but":"REMOVE"\}/],
    [{ eventName: [{ numeric: ['>', 0] }] }, /filterPatterns|pattern\.eventName\[0\]/],
    [{ eventName: 'INSERT' }, /pattern\.eventName: the local stream runner cannot evaluate "INSERT"/],
    [{ eventName: [{ prefix: 7 }] }, /prefix must be a string/],
  ])('refuses %j when compiled, before any record', (pattern, message) => {
    expect(() => compileFilter(pattern)).toThrow(UnsupportedFilter);
    expect(() => compileFilter(pattern)).toThrow(message);
  });
});
