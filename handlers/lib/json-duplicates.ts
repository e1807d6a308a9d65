/**
 * The first member name that appears twice in one object of a JSON text, as a path (`enabled`,
 * `a.b`, `add[2].x`), or null when there is none. `JSON.parse` keeps the last of duplicate names silently,
 * so `{"enabled":false,"enabled":true}` would turn maintenance on; RFC 8259 §4 leaves their meaning
 * undefined, and an API that means what it answers must refuse them.
 *
 * `text` must already be valid JSON (parse it first): this only walks its tokens. It keeps its own stack
 * rather than recursing, so no nesting depth can overflow the call stack.
 *
 * @example
 * findDuplicateKey('{"enabled":false,"enabled":true}') // 'enabled'
 * findDuplicateKey('{"add":["a"],"x":{"y":1,"y":2}}') // 'x.y'
 * findDuplicateKey('{"a":{"b":1},"c":{"b":2}}') // null
 */
export function findDuplicateKey(text: string): string | null {
  type Frame =
    | { object: true; keys: Set<string>; path: string; key: string }
    | { object: false; path: string; index: number };
  const stack: Frame[] = [];
  let expectingKey = false;
  let i = 0;

  const pathOfNextValue = (): string => {
    const top = stack.at(-1);
    if (!top) return '';
    if (!top.object) return `${top.path}[${top.index}]`;
    return top.path ? `${top.path}.${top.key}` : top.key;
  };
  const readString = (): string => {
    const start = i++;
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };

  while (i < text.length) {
    const char = text[i];
    const top = stack.at(-1);
    if (char === '{') {
      stack.push({ object: true, keys: new Set(), path: pathOfNextValue(), key: '' });
      expectingKey = true;
      i++;
    } else if (char === '[') {
      stack.push({ object: false, path: pathOfNextValue(), index: 0 });
      i++;
    } else if (char === '}' || char === ']') {
      stack.pop();
      expectingKey = false;
      i++;
    } else if (char === ',') {
      if (top?.object) expectingKey = true;
      else if (top) top.index++;
      i++;
    } else if (char === '"') {
      const value = readString();
      if (top?.object && expectingKey) {
        top.key = value;
        if (top.keys.has(value)) return pathOfNextValue();
        top.keys.add(value);
        expectingKey = false;
      }
    } else {
      // Whitespace, ':', and the characters of numbers and literals.
      i++;
    }
  }
  return null;
}
