import fc from 'fast-check';
import { findDuplicateKey } from '../../../handlers/lib/json-duplicates';

describe('findDuplicateKey', () => {
  it.each([
    ['{"enabled":false,"enabled":true}', 'enabled'],
    ['{"a":{"b":1,"b":2}}', 'a.b'],
    ['[{"x":1},{"x":2,"y":[{"z":1,"z":2}]}]', '[1].y[0].z'],
    ['{"a\\u0062":1,"ab":2}', 'ab'],
    ['{ "k" : "v" , "k" : "w" }', 'k'],
  ])('finds the duplicate in %s at %s', (text, path) => {
    expect(findDuplicateKey(text)).toBe(path);
  });

  it.each([
    '{"a":{"b":1},"c":{"b":2}}',
    '{"a":"b","b":"a"}',
    '{"a":"{\\"a\\":1,\\"a\\":2}"}',
    '[1,"a",{"a":[{"a":{"a":null}}]}]',
    '"just a string"',
    '{}',
  ])('finds none in %s', (text) => {
    expect(findDuplicateKey(text)).toBeNull();
  });

  it('walks deep nesting without recursion', () => {
    const deep = `${'['.repeat(100_000)}{"a":1,"a":2}${']'.repeat(100_000)}`;
    expect(findDuplicateKey(deep)).toMatch(/\.?a$/);
  });

  it('finds nothing in any JSON that JSON.stringify wrote (it never repeats a key)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(findDuplicateKey(JSON.stringify(value))).toBeNull();
      }),
    );
  });

  it('finds a key written twice into any object, wherever it sits', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue(), { minKeys: 1 }),
        fc.jsonValue(),
        (object, extra) => {
          const text = JSON.stringify(object);
          const [key] = Object.keys(object);
          const doubled = `${text.slice(0, -1)},${JSON.stringify(key)}:${JSON.stringify(extra)}}`;
          expect(findDuplicateKey(doubled)).toBe(key);
        },
      ),
    );
  });
});
