import { decodeCursor, encodeCursor, HISTORY_LIMIT } from '../../../src/domain/history';
import { checkHistoryLimit, checkHistoryQuery } from '../../../src/domain/values';

const AT = '2026-12-01T10:00:00.000Z';
const LIMIT_MESSAGE = 'must be a whole number from 1 to 100';
const CURSOR_MESSAGE = "is not a cursor this API gave out (pass a page's nextCursor)";

/** A cursor's text as the API would write it, from any JSON: for shapes the API itself never gives out. */
const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('encodeCursor and decodeCursor', () => {
  it.each([
    [{ at: AT, id: 'c1' }],
    [{ at: AT, id: '6f1c2a9e-3b7d-4e0a-9c55-0d2f8e1b4a77' }],
    [{ at: '2026-01-31T23:59:59.999Z', id: 'change-1' }],
  ])('reads back %j as written', (cursor) => {
    const text = encodeCursor(cursor);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(text)).toEqual(cursor);
  });

  it('gives each entry a different cursor', () => {
    expect(encodeCursor({ at: AT, id: 'c1' })).not.toBe(encodeCursor({ at: AT, id: 'c2' }));
  });

  it.each([
    ['empty text', ''],
    ['characters outside base64url', 'WyIy+MDI2/IiwiYzEiXQ=='],
    ['base64url that is not JSON', Buffer.from('not json').toString('base64url')],
    ['an object instead of a pair', cursorOf({ at: AT, id: 'c1' })],
    ['one element', cursorOf([AT])],
    ['three elements', cursorOf([AT, 'c1', 'c2'])],
    ['a number for the id', cursorOf([AT, 1])],
    ['a number for the time', cursorOf([Date.parse(AT), 'c1'])],
    ['null', cursorOf(null)],
    ['a time that is no date', cursorOf(['yesterday', 'c1'])],
    ['an impossible date', cursorOf(['2026-13-45T99:00:00.000Z', 'c1'])],
    ['an empty id', cursorOf([AT, ''])],
    ['an id with other characters', cursorOf([AT, 'c1#2026'])],
    ['an id over 64 characters', cursorOf([AT, 'a'.repeat(65)])],
  ])('refuses %s', (_, text) => {
    expect(decodeCursor(text)).toBeNull();
  });

  it('refuses a text over 400 characters, even of a well-formed pair', () => {
    // JSON's whitespace pads the same pair out: at the limit it reads, past it it does not.
    const padded = (spaces: number) =>
      Buffer.from(`[${' '.repeat(spaces)}${JSON.stringify(AT)},"c1"]`).toString('base64url');
    const texts = Array.from({ length: 400 }, (_, spaces) => padded(spaces));
    const under = texts.filter((t) => t.length <= 400).at(-1) ?? '';
    const over = texts.find((t) => t.length > 400) ?? '';
    expect(under.length).toBeGreaterThan(395);
    expect(decodeCursor(under)).toEqual({ at: AT, id: 'c1' });
    expect(decodeCursor(over)).toBeNull();
  });
});

describe('checkHistoryLimit', () => {
  it.each([
    ['1', 1],
    ['20', 20],
    ['100', 100],
  ])('takes %j as %d', (input, value) => {
    expect(checkHistoryLimit(input)).toEqual({ ok: true, value });
  });

  it.each(['0', '101', '1000', 'abc', '1.5', '-1', '', ' 5', '5 ', '1e2', '0x10'])('refuses %j', (input) => {
    expect(checkHistoryLimit(input)).toEqual({ ok: false, message: LIMIT_MESSAGE });
  });

  it('names the bounds it holds', () => {
    expect(HISTORY_LIMIT).toEqual({ min: 1, max: 100, default: 20 });
  });
});

describe('checkHistoryQuery', () => {
  it('defaults to the newest 20 entries', () => {
    expect(checkHistoryQuery({})).toEqual({ ok: true, value: { limit: 20, cursor: null } });
  });

  it('reads a limit and a cursor', () => {
    const cursor = { at: AT, id: 'c1' };
    expect(checkHistoryQuery({ limit: ['5'], cursor: [encodeCursor(cursor)] })).toEqual({
      ok: true,
      value: { limit: 5, cursor },
    });
  });

  it('refuses a parameter it does not know', () => {
    expect(checkHistoryQuery({ page: ['2'] })).toEqual({
      ok: false,
      problems: [{ field: 'page', message: 'is not a known parameter (limit, cursor)' }],
    });
  });

  it.each(['limit', 'cursor'])('refuses %s given twice', (field) => {
    const value = field === 'limit' ? '5' : encodeCursor({ at: AT, id: 'c1' });
    expect(checkHistoryQuery({ [field]: [value, value] })).toEqual({
      ok: false,
      problems: [{ field, message: 'must be given at most once' }],
    });
  });

  it('refuses a limit out of range with the rule', () => {
    expect(checkHistoryQuery({ limit: ['101'] })).toEqual({
      ok: false,
      problems: [{ field: 'limit', message: LIMIT_MESSAGE }],
    });
  });

  it('refuses a cursor it did not give out', () => {
    expect(checkHistoryQuery({ cursor: ['garbage!'] })).toEqual({
      ok: false,
      problems: [{ field: 'cursor', message: CURSOR_MESSAGE }],
    });
  });

  it('names every problem at once', () => {
    expect(checkHistoryQuery({ limit: ['0'], cursor: ['x'], page: ['2'], sort: ['asc'] })).toEqual({
      ok: false,
      problems: [
        { field: 'limit', message: LIMIT_MESSAGE },
        { field: 'cursor', message: CURSOR_MESSAGE },
        { field: 'page', message: 'is not a known parameter (limit, cursor)' },
        { field: 'sort', message: 'is not a known parameter (limit, cursor)' },
      ],
    });
  });
});

describe('decodeCursor and the spelling of its time', () => {
  it('refuses a time spelled otherwise than entries are written, since it is compared as text', () => {
    for (const at of ['2026', '2026-12-01', '2026-12-01T10:00:00Z', '2026-12-01T10:00:00.000+00:00']) {
      const text = Buffer.from(JSON.stringify([at, 'c1'])).toString('base64url');
      expect({ at, cursor: decodeCursor(text) }).toEqual({ at, cursor: null });
    }
  });
});
