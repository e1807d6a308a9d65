import { checkDuration, formatDuration, parseDurationText } from '../../../src/domain/values';

const WEEK = 7 * 86_400;

describe('parseDurationText', () => {
  it.each([
    ['45m', 2_700],
    ['2h', 7_200],
    ['1h30m', 5_400],
    ['90s', 90],
    ['7d', WEEK],
    ['1d2h3m4s', 93_784],
    ['2H', 7_200],
    ['1H30M', 5_400],
    ['0m', 0],
    ['007m', 420],
    ['90m', 5_400],
  ])('reads %j as %d seconds', (text, seconds) => {
    expect(parseDurationText(text)).toBe(seconds);
  });

  it.each([
    '',
    '30',
    '30min',
    '30 m',
    ' 30m',
    '30m ',
    'm',
    '1.5h',
    '-5m',
    '+5m',
    '1e3s',
    '30m1h',
    '1h1h',
    '5ms',
    '３０m',
    '1w',
  ])('returns null for %j', (text) => {
    expect(parseDurationText(text)).toBeNull();
  });
});

describe('checkDuration', () => {
  it.each([
    ['1s', 1],
    ['45m', 2_700],
    ['7d', WEEK],
    ['167h60m', WEEK],
  ])('accepts %j up to a week', (text, seconds) => {
    expect(checkDuration(text, WEEK)).toEqual({ ok: true, value: seconds });
  });

  it.each(['0s', '0m', '7d1s', '8d', '999999999d', 'soon', '', '1.5h'])(
    'refuses %j, naming the bound',
    (text) => {
      expect(checkDuration(text, WEEK)).toEqual({
        ok: false,
        message: 'must be a duration like 45m, 2h or 1h30m, from 1s to 7d',
      });
    },
  );

  it.each([undefined, null, 45, ['45m']])('refuses the non-text %j without throwing', (input) => {
    expect(checkDuration(input, WEEK).ok).toBe(false);
  });
});

describe('formatDuration', () => {
  it.each([
    [5_400, '1h30m'],
    [WEEK, '7d'],
    [90, '1m30s'],
    [3_600, '1h'],
    [0, '0s'],
    [93_784, '1d2h3m4s'],
  ])('writes %d seconds as %j, which parseDurationText reads back', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
    expect(parseDurationText(text)).toBe(seconds);
  });
});
