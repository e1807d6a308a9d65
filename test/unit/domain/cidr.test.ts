import { type Cidr, compareCidrs, parseCidr } from '../../../src/domain/cidr';

function cidr(text: string): Cidr {
  const result = parseCidr(text);
  if (!result.ok) throw new Error(`test setup: ${text} ${result.reason}`);
  return result.cidr;
}

describe('parseCidr', () => {
  describe('accepts IPv4 and returns its canonical network', () => {
    it.each([
      ['198.51.100.77', '198.51.100.77/32', 32],
      ['198.51.100.77/32', '198.51.100.77/32', 32],
      ['198.51.100.77/24', '198.51.100.0/24', 24],
      ['198.51.100.0/24', '198.51.100.0/24', 24],
      ['10.1.2.3/8', '10.0.0.0/8', 8],
      ['172.31.255.255/12', '172.16.0.0/12', 12],
      ['192.0.2.255/31', '192.0.2.254/31', 31],
      ['255.255.255.255/1', '128.0.0.0/1', 1],
      ['127.0.0.1/1', '0.0.0.0/1', 1],
      ['198.51.100.7/0', '0.0.0.0/0', 0],
      ['0.0.0.0', '0.0.0.0/32', 32],
      ['0.0.0.0/8', '0.0.0.0/8', 8],
    ])('%s -> %s', (input, value, prefix) => {
      expect(parseCidr(input)).toEqual({ ok: true, cidr: { value, version: 4, prefix } });
    });
  });

  describe('accepts IPv6 and returns its canonical network, lower-case and compressed per RFC 5952', () => {
    it.each([
      ['2001:DB8:0:0::1', '2001:db8::1/128', 128],
      ['2001:db8::/32', '2001:db8::/32', 32],
      ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1/128', 128],
      ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1/128', 128],
      ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1/128', 128],
      ['2001:db8:0:0:1:0:0:0', '2001:db8:0:0:1::/128', 128],
      ['2001:DB8::ABCD/64', '2001:db8::/64', 64],
      ['2001:db8:1235:5678::/47', '2001:db8:1234::/47', 47],
      ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0/128', 128],
      ['::1', '::1/128', 128],
      ['::', '::/128', 128],
      ['fe80::1/10', 'fe80::/10', 10],
      ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/1', '8000::/1', 1],
      ['2001:db8::/0', '::/0', 0],
      ['::ffff:1.2.3.4/0', '::/0', 0],
      ['64:ff9b::192.0.2.33', '64:ff9b::c000:221/128', 128],
      ['::192.0.2.1', '::c000:201/128', 128],
      ['::ffff:1.2.3.4/64', '::/64', 64],
    ])('%s -> %s', (input, value, prefix) => {
      expect(parseCidr(input)).toEqual({ ok: true, cidr: { value, version: 6, prefix } });
    });
  });

  it('returns a canonical value that parses to itself', () => {
    const first = cidr('2001:DB8:0:0:0:0:0:AB/120');
    expect(first.value).toBe('2001:db8::/120');
    expect(parseCidr(first.value)).toEqual({ ok: true, cidr: first });
  });

  describe('refuses input that is not a non-empty, short string', () => {
    it.each([
      ['a number', 16909060, /must be a string/],
      ['null', null, /must be a string/],
      ['undefined', undefined, /must be a string/],
      ['an object', { value: '1.2.3.4/32' }, /must be a string/],
      ['an array', ['1.2.3.4'], /must be a string/],
      ['a boolean', true, /must be a string/],
      ['a String object', new String('1.2.3.4'), /must be a string/],
      [
        'an object whose toString throws',
        {
          toString: () => {
            throw new Error('boom');
          },
        },
        /must be a string/,
      ],
      ['the empty string', '', /empty/],
      ['65 characters', '1.2.3.4/'.padEnd(65, '3'), /longer than 64 characters/],
      ['a long run of letters', 'a'.repeat(1000), /longer than 64 characters/],
    ])('%s', (_name, input, reason) => {
      const result = parseCidr(input);
      expect(result).toEqual({ ok: false, reason: expect.stringMatching(reason) });
    });
  });

  describe('refuses prefixes WAF would refuse', () => {
    it.each([
      ['IPv4 /33', '1.2.3.4/33', /^prefix must be at most 32 for IPv4$/],
      ['IPv4 /128', '1.2.3.4/128', /prefix must be at most 32 for IPv4/],
      ['a huge prefix', '1.2.3.4/99999999999999999999', /prefix must be at most 32 for IPv4/],
      ['IPv6 /129', '::1/129', /^prefix must be at most 128 for IPv6$/],
      ['a plus sign', '1.2.3.4/+24', /whole number/],
      ['a minus sign', '1.2.3.4/-24', /whole number/],
      ['a negative IPv6 prefix', '::1/-1', /whole number.*at most 128 for IPv6/],
      ['a run of zeros', '1.2.3.4/00', /leading zeros/],
      ['a run of zeros on IPv6', '::/000', /leading zeros/],
      ['a leading zero', '1.2.3.4/024', /leading zeros/],
      ['a leading zero on IPv6', '2001:db8::/032', /leading zeros/],
      ['letters', '1.2.3.4/24a', /whole number/],
      ['a decimal point', '1.2.3.4/2.4', /whole number/],
      ['an exponent', '1.2.3.4/1e1', /whole number/],
      ['hex', '1.2.3.4/0x18', /whole number/],
      ['a netmask', '1.2.3.4/255.255.255.0', /whole number/],
      ['an empty prefix', '1.2.3.4/', /whole number/],
      ['a double slash', '1.2.3.4//24', /at most one \//],
      ['a trailing slash', '1.2.3.4/24/', /at most one \//],
      ['two prefixes', '2001:db8::/32/48', /at most one \//],
      ['only a prefix', '/24', /is not an IPv4 or IPv6 address or CIDR/],
    ])('%s: %s', (_name, input, reason) => {
      expect(parseCidr(input)).toEqual({ ok: false, reason: expect.stringMatching(reason) });
    });
  });

  describe('refuses decorations around the address instead of stripping them', () => {
    it.each([
      ['a zone id', 'fe80::1%eth0', /zone id/],
      ['a numeric zone id with a prefix', 'fe80::1%1/64', /zone id/],
      ['a lone percent sign', '%', /zone id/],
      ['an IPv4 port', '1.2.3.4:80', /port/],
      ['an IPv4 port and a prefix', '1.2.3.4:80/32', /port/],
      ['an empty IPv4 port', '1.2.3.4:', /port/],
      ['a bracketed IPv6 port', '[2001:db8::1]:443', /brackets/],
      ['brackets alone', '[2001:db8::1]', /brackets/],
      ['a leading space', ' 1.2.3.4', /whitespace/],
      ['a trailing space', '1.2.3.4 ', /whitespace/],
      ['a space before the slash', '1.2.3.4 /24', /whitespace/],
      ['a space after the slash', '1.2.3.4/ 24', /whitespace/],
      ['a space inside IPv6', '2001:db8:: 1', /whitespace/],
      ['a tab', '\t1.2.3.4', /whitespace/],
      ['a newline', '1.2.3.4\n', /whitespace/],
      ['CRLF', '2001:db8::1\r\n', /whitespace/],
      ['a no-break space', '1.2.3.4\u00a0', /whitespace/],
      ['a line separator', '\u20281.2.3.4', /whitespace/],
      ['a byte-order mark', '\ufeff1.2.3.4', /whitespace/],
      ['a zero-width space', '1.2.3.4\u200b', /is not an IPv4 or IPv6 address or CIDR/],
    ])('%s: %j', (_name, input, reason) => {
      expect(parseCidr(input)).toEqual({ ok: false, reason: expect.stringMatching(reason) });
    });
  });

  describe('refuses IPv4 forms other than four dotted decimal octets', () => {
    it.each([
      ['a leading-zero first octet', '01.2.3.4', /leading zeros/],
      ['a leading-zero last octet', '1.2.3.010', /leading zeros/],
      ['a leading-zero octet with a prefix', '1.02.3.4/24', /leading zeros/],
      ['octal', '0177.0.0.1', /leading zeros/],
      ['three parts', '1.2.3', /four dotted decimal octets/],
      ['two parts', '1.2', /four dotted decimal octets/],
      ['one 32-bit number', '16909060', /four dotted decimal octets/],
      ['five parts', '1.2.3.4.5', /four dotted decimal octets/],
      ['an empty octet', '1..3.4', /is not an IPv4 or IPv6 address or CIDR/],
      ['a trailing dot', '1.2.3.4.', /is not an IPv4 or IPv6 address or CIDR/],
      ['a hex octet', '0x7f.0.0.1', /is not an IPv4 or IPv6 address or CIDR/],
      ['a hex number', '0x7f000001', /is not an IPv4 or IPv6 address or CIDR/],
      ['an octet over 255', '1.2.3.256', /0-255/],
      ['a first octet over 255 with a prefix', '256.0.0.0/8', /0-255/],
      ['a huge octet', '1.2.3.99999', /0-255/],
      ['full-width digits', '\uff11.\uff12.\uff13.\uff14', /is not an IPv4 or IPv6 address or CIDR/],
    ])('%s: %s', (_name, input, reason) => {
      expect(parseCidr(input)).toEqual({ ok: false, reason: expect.stringMatching(reason) });
    });
  });

  describe('refuses hostnames and malformed IPv6', () => {
    it.each([
      'example.com',
      'localhost',
      'cafe',
      'dead.beef',
      ':::',
      ':',
      '1::2::3',
      '1:2:3:4:5:6:7:8:9',
      '1::2:3:4:5:6:7:8',
      '12345::',
      'g::1',
      '::-1',
      '2001:db8::1.2.3',
      '::1.2.3.4.5',
      '1:2:3:4:5:6:7:1.2.3.4',
      '::ffff:01.2.3.4',
      '::ffff:1.2.3.256',
    ])('%s', (input) => {
      expect(parseCidr(input)).toEqual({ ok: false, reason: 'is not an IPv4 or IPv6 address or CIDR' });
    });
  });

  describe('refuses IPv4-mapped IPv6, which WAF never matches, and names the IPv4 CIDR to add', () => {
    it.each([
      ['::ffff:1.2.3.4', /IPv4-mapped.*add 1\.2\.3\.4\/32 instead/],
      ['::FFFF:102:304', /IPv4-mapped.*add 1\.2\.3\.4\/32 instead/],
      ['0:0:0:0:0:ffff:c000:0201/128', /IPv4-mapped.*add 192\.0\.2\.1\/32 instead/],
      ['::ffff:192.0.2.7/120', /IPv4-mapped.*add 192\.0\.2\.0\/24 instead/],
      ['::ffff:0:0/96', /^is an IPv4-mapped IPv6 address, which WAF never sees$/],
    ])('%s', (input, reason) => {
      expect(parseCidr(input)).toEqual({ ok: false, reason: expect.stringMatching(reason) });
    });
  });
});

describe('compareCidrs', () => {
  it('orders IPv4 before IPv6, then by network address numerically, then by prefix', () => {
    const sorted = [
      '0.0.0.0/32',
      '1.0.0.0/8',
      '9.0.0.0/8',
      '10.0.0.0/8',
      '10.0.0.0/16',
      '10.0.0.0/24',
      '10.0.0.9/32',
      '10.0.0.10/32',
      '192.0.2.0/24',
      '255.255.255.255/32',
      '::/128',
      '::1/128',
      '::2/128',
      '::a/128',
      '1::/16',
      '2001:db8::/32',
      '2001:db8::/48',
      '2001:db8::1/128',
      'fe80::/10',
      'ffff::/16',
    ];
    const shuffled = [...sorted.slice(9), ...sorted.slice(0, 9)].reverse().map(cidr);

    expect(shuffled.sort(compareCidrs).map((c) => c.value)).toEqual(sorted);
  });

  it('returns 0 for two spellings of one network and opposite signs when swapped', () => {
    expect(compareCidrs(cidr('2001:DB8::7/32'), cidr('2001:db8:0::/32'))).toBe(0);
    expect(compareCidrs(cidr('9.0.0.0/8'), cidr('10.0.0.0/8'))).toBeLessThan(0);
    expect(compareCidrs(cidr('10.0.0.0/8'), cidr('9.0.0.0/8'))).toBeGreaterThan(0);
    expect(compareCidrs(cidr('::/128'), cidr('255.255.255.255/32'))).toBeGreaterThan(0);
    expect(compareCidrs(cidr('10.0.0.0/24'), cidr('10.0.0.0/16'))).toBeGreaterThan(0);
  });
});
