import {
  checkExemptionBatch,
  checkExemptPath,
  checkInstant,
  checkReason,
  checkRetryAfter,
  checkRetryAfterText,
  MAX_EXEMPT_PATH_BYTES,
  MAX_MATCH_BYTES,
} from '../../../src/domain/values';

const refusal = (check: { ok: boolean; message?: string }) => (check.ok ? null : check.message);

describe('checkReason', () => {
  it.each(['Database upgrade', 'Mise à jour 🚧', 'ترقية قاعدة البيانات', 'x'.repeat(500)])(
    'accepts %j',
    (reason) => {
      expect(checkReason(reason)).toEqual({ ok: true, value: reason });
    },
  );

  it.each([
    ['', 'must be 1 to 500 characters'],
    ['x'.repeat(501), 'must be 1 to 500 characters'],
    ['a\nb', 'must be one line of text without control characters (U+000A)'],
    ['a\u202eb', 'must be one line of text without control characters (U+202E)'],
    ['\ud800', 'must be valid Unicode text'],
    [42, 'must be a string'],
  ])('refuses %j: %s', (reason, message) => {
    expect(refusal(checkReason(reason))).toBe(message);
  });
});

describe('checkRetryAfter and checkRetryAfterText', () => {
  it('accepts whole seconds from 1 to 86400', () => {
    expect(checkRetryAfter(1)).toEqual({ ok: true, value: 1 });
    expect(checkRetryAfterText('86400')).toEqual({ ok: true, value: 86_400 });
  });

  it.each(['0', '86401', '1.5', '-5', '1e3', ' 60', '', '0x10'])('refuses the text %j', (text) => {
    expect(refusal(checkRetryAfterText(text))).toBe('must be a whole number of seconds from 1 to 86400');
  });
});

describe('checkExemptPath', () => {
  it.each([
    ['/health', 'EXACTLY', '/health'],
    ['/api/webhooks/*', 'STARTS_WITH', '/api/webhooks/'],
    ['/api*', 'STARTS_WITH', '/api'],
    ['/caf%C3%A9', 'EXACTLY', '/caf%C3%A9'],
    ['/hooks/stripe;v=2', 'EXACTLY', '/hooks/stripe;v=2'],
    ['/maintenance', 'EXACTLY', '/maintenance'],
  ])('accepts %j as %s %j', (path, match, value) => {
    expect(checkExemptPath(path)).toEqual({ ok: true, value: { path, match, value } });
  });

  it.each([
    ['health', 'must start with /'],
    ['/', 'would exempt the whole site'],
    ['/*', 'would exempt the whole site'],
    ['/health?full=1', 'must be a path alone, without ? (query) or # (fragment)'],
    ['/health#top', 'must be a path alone, without ? (query) or # (fragment)'],
    ['/health check', 'must not contain whitespace or control characters'],
    ['/health\t', 'must not contain whitespace or control characters'],
    ['/a\u0000', 'must not contain whitespace or control characters'],
    [
      '/a/../admin',
      'must not contain . or .. segments (browsers resolve them before sending, so it would never match)',
    ],
    [
      '/a/./b',
      'must not contain . or .. segments (browsers resolve them before sending, so it would never match)',
    ],
    ['/café', 'must be ASCII path characters: percent-encode others as browsers send them (é is %C3%A9)'],
    ['/a%2', 'has a % that is not followed by two hex digits'],
    ['/a/*/b', 'may hold * only at its end, to match a prefix'],
    ['/maintenance/style.css', expect.stringContaining('is the switch’s own')],
    ['/__maintenance/bypass/x', expect.stringContaining('is the switch’s own')],
    [`/${'a'.repeat(MAX_EXEMPT_PATH_BYTES)}`, `must be at most ${MAX_EXEMPT_PATH_BYTES} bytes`],
    [
      `/${'a'.repeat(MAX_MATCH_BYTES)}`,
      `must match at most ${MAX_MATCH_BYTES} bytes (WAF's limit on a string match)`,
    ],
    [17, 'must be a string'],
  ])('refuses %j', (path, message) => {
    expect(refusal(checkExemptPath(path))).toEqual(message);
  });

  it('accepts a path whose match string is exactly WAF’s limit, with or without the trailing *', () => {
    const path = `/${'a'.repeat(MAX_MATCH_BYTES - 1)}`;
    expect(checkExemptPath(path).ok).toBe(true);
    expect(checkExemptPath(`${path}*`).ok).toBe(true);
  });
});

describe('checkExemptionBatch', () => {
  it('names each refused path by its position and refuses the whole batch', () => {
    expect(checkExemptionBatch({ add: ['/health', '/'], remove: ['nope'] })).toEqual({
      ok: false,
      problems: [
        { field: 'add[1]', entry: '/', message: 'would exempt the whole site' },
        { field: 'remove[0]', entry: 'nope', message: 'must start with /' },
      ],
    });
  });

  it('tells an exact path and its prefix form apart', () => {
    const checked = checkExemptionBatch({ add: ['/health', '/health*', '/health'] });
    expect(checked.ok && checked.value.add.map((e) => e.path)).toEqual(['/health', '/health*']);
  });
});

describe('checkInstant', () => {
  it.each([
    ['2026-12-01T22:00:00Z', '2026-12-01T22:00:00.000Z'],
    ['2026-12-01T23:30:00+01:30', '2026-12-01T22:00:00.000Z'],
    ['2026-12-01t22:00:00.5z', '2026-12-01T22:00:00.500Z'],
    ['2028-02-29T00:00:00-05:00', '2028-02-29T05:00:00.000Z'],
  ])('reads %j as %s', (text, iso) => {
    const checked = checkInstant(text);
    expect(checked.ok && checked.value.toISOString()).toBe(iso);
  });

  it.each([
    '2026-12-01T22:00:00',
    '2026-12-01 22:00:00Z',
    '2026-12-01T22:00Z',
    '2026-02-30T10:00:00Z',
    '2027-02-29T10:00:00Z',
    '2026-12-01T24:00:00Z',
    '2026-12-01T22:60:00Z',
    '2026-12-01T22:00:00+25:00',
    'tomorrow',
    1_764_626_400_000,
  ])('refuses %j', (input) => {
    expect(refusal(checkInstant(input))).toBe(
      'must be an RFC 3339 date and time with an offset, like 2026-12-01T22:00:00Z',
    );
  });
});
