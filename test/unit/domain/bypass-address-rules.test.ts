import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { breadthProblem, MIN_BYPASS_PREFIX, nonPublicRange } from '../../../src/domain/bypass-address-rules';
import { type Cidr, parseCidr } from '../../../src/domain/cidr';

function cidr(text: string): Cidr {
  const result = parseCidr(text);
  if (!result.ok) throw new Error(`test setup: ${text} ${result.reason}`);
  return result.cidr;
}

/** `bytes` with its first `prefix` bits kept and `noise` in the rest: some address inside that block. */
function someAddressIn(bytes: number[], prefix: number, noise: number[]): string {
  const mixed = bytes.map((byte, i) => {
    const keep = Math.max(0, Math.min(8, prefix - 8 * i));
    return byte | ((noise[i] ?? 0) & ((1 << (8 - keep)) - 1));
  });
  return ipaddr.fromByteArray(mixed).toString();
}

const NEVER_MATCHES =
  "; CloudFront only ever sees a visitor's public address, so behind CloudFront this entry never matches";

describe('breadthProblem', () => {
  it('draws the line at /8 for IPv4 and /32 for IPv6', () => {
    expect(MIN_BYPASS_PREFIX).toEqual({ 4: 8, 6: 32 });
  });

  it.each([
    '10.0.0.0/8',
    '198.51.100.0/24',
    '203.0.113.7/32',
    '2001:db8::/32',
    '2001:db8:42::/48',
    '::1/128',
  ])('accepts %s', (text) => {
    expect(breadthProblem(cidr(text))).toBeNull();
  });

  it.each([
    ['0.0.0.0/0', '/0 would let everyone through maintenance; the shortest prefix allowed for IPv4 is /8'],
    ['::/0', '/0 would let everyone through maintenance; the shortest prefix allowed for IPv6 is /32'],
    [
      '0.0.0.0/1',
      '/1 would let a large part of the internet through maintenance; the shortest prefix allowed for IPv4 is /8',
    ],
    [
      '128.0.0.0/1',
      '/1 would let a large part of the internet through maintenance; the shortest prefix allowed for IPv4 is /8',
    ],
    [
      '192.0.0.0/4',
      '/4 would let a large part of the internet through maintenance; the shortest prefix allowed for IPv4 is /8',
    ],
    [
      '10.0.0.0/7',
      '/7 would let a large part of the internet through maintenance; the shortest prefix allowed for IPv4 is /8',
    ],
    [
      '::/1',
      '/1 would let a large part of the internet through maintenance; the shortest prefix allowed for IPv6 is /32',
    ],
    [
      '8000::/1',
      '/1 would let a large part of the internet through maintenance; the shortest prefix allowed for IPv6 is /32',
    ],
    [
      '2001:db8::/31',
      '/31 would let a large part of the internet through maintenance; the shortest prefix allowed for IPv6 is /32',
    ],
  ])('refuses %s', (text, reason) => {
    expect(breadthProblem(cidr(text))).toBe(reason);
  });
});

describe('nonPublicRange', () => {
  it.each([
    ['10.1.2.3/32', 'private', 'a private range (RFC 1918)'],
    ['10.0.0.0/8', 'private', 'a private range (RFC 1918)'],
    ['172.16.0.0/12', 'private', 'a private range (RFC 1918)'],
    ['172.31.255.255/32', 'private', 'a private range (RFC 1918)'],
    ['192.168.1.0/24', 'private', 'a private range (RFC 1918)'],
    ['127.0.0.1/32', 'loopback', 'the loopback range'],
    ['127.0.0.0/8', 'loopback', 'the loopback range'],
    ['::1/128', 'loopback', 'the loopback range'],
    ['169.254.169.254/32', 'link-local', 'the link-local range'],
    ['fe80::/10', 'link-local', 'the link-local range'],
    ['fe80::1/128', 'link-local', 'the link-local range'],
    ['100.64.0.0/10', 'cgnat', 'the carrier-grade NAT range (100.64.0.0/10, RFC 6598)'],
    ['100.127.255.0/24', 'cgnat', 'the carrier-grade NAT range (100.64.0.0/10, RFC 6598)'],
    ['fc00::/7', 'unique-local', 'the unique-local range (fc00::/7, RFC 4193)'],
    ['fd12:3456::/32', 'unique-local', 'the unique-local range (fc00::/7, RFC 4193)'],
  ])('warns for %s: %s', (text, range, label) => {
    expect(nonPublicRange(cidr(text))).toEqual({ range, message: `lies in ${label}${NEVER_MATCHES}` });
  });

  it.each([
    ['documentation (TEST-NET-1)', '192.0.2.0/24'],
    ['documentation (TEST-NET-2)', '198.51.100.7/32'],
    ['documentation (TEST-NET-3)', '203.0.113.0/24'],
    ['IPv6 documentation', '2001:db8::/32'],
    ['IPv6 documentation, a site', '2001:db8:42::/48'],
    ['benchmarking', '198.18.0.0/15'],
    ['benchmarking, one host', '198.19.1.1/32'],
    ['IPv6 benchmarking', '2001:2::/48'],
    ['a public address', '8.8.8.8/32'],
    ['a public IPv6 network', '2606:4700::/32'],
    // Partly inside a range, partly public: some visitors could match.
    ['a /8 holding 172.16.0.0/12', '172.0.0.0/8'],
    ['a /11 starting below 172.16.0.0/12', '172.0.0.0/11'],
    ['192.168.0.0/16 and the next /16', '192.168.0.0/15'],
    ['a /9 holding 100.64.0.0/10', '100.0.0.0/9'],
    ['169.254.0.0/16 and the /16 below', '169.254.0.0/15'],
    ['fe80::/10 and the rest of fe80::/9', 'fe80::/9'],
    ['a /6 holding fc00::/7', 'f800::/6'],
    ['the loopback /8 and the /8 below', '126.0.0.0/7'],
  ])('does not warn for %s: %s', (_name, text) => {
    expect(nonPublicRange(cidr(text))).toBeNull();
  });

  /** Every block the rule warns for, with ipaddr.js's name for it and the rule's. */
  const BLOCKS: Array<[string, number, string, string]> = [
    ['10.0.0.0', 8, 'private', 'private'],
    ['172.16.0.0', 12, 'private', 'private'],
    ['192.168.0.0', 16, 'private', 'private'],
    ['127.0.0.0', 8, 'loopback', 'loopback'],
    ['::1', 128, 'loopback', 'loopback'],
    ['169.254.0.0', 16, 'linkLocal', 'link-local'],
    ['fe80::', 10, 'linkLocal', 'link-local'],
    ['100.64.0.0', 10, 'carrierGradeNat', 'cgnat'],
    ['fc00::', 7, 'uniqueLocal', 'unique-local'],
  ];
  const IPADDR_NAME = Object.fromEntries(BLOCKS.map(([, , name, range]) => [range, name]));
  const noise = fc.array(fc.nat(255), { minLength: 16, maxLength: 16 });

  /** An entry near a block: an address inside it, with a prefix from a little broader than the block to a host. */
  const nearBlock = fc.constantFrom(...BLOCKS).chain(([base, bits, , range]) => {
    const width = base.includes(':') ? 128 : 32;
    return fc.tuple(noise, fc.integer({ min: Math.max(0, bits - 4), max: width })).map(([bytes, prefix]) => ({
      text: `${someAddressIn(ipaddr.parse(base).toByteArray(), bits, bytes)}/${prefix}`,
      inside: prefix >= bits,
      range,
    }));
  });

  it('warns for every entry that lies inside a block, naming its range', () => {
    fc.assert(
      fc.property(nearBlock, ({ text, inside, range }) => {
        fc.pre(inside);
        expect(nonPublicRange(cidr(text))).toMatchObject({ range });
      }),
      { numRuns: 400 },
    );
  });

  it('warns only for entries every address of which ipaddr.js puts in the named range', () => {
    const anywhere = fc.oneof(
      nearBlock.map(({ text }) => text),
      fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })).map(([text, prefix]) => `${text}/${prefix}`),
      fc.tuple(fc.ipV6(), fc.integer({ min: 0, max: 128 })).map(([text, prefix]) => `${text}/${prefix}`),
    );
    fc.assert(
      fc.property(anywhere, noise, (text, bytes) => {
        const parsed = parseCidr(text);
        if (!parsed.ok) return; // IPv4-mapped IPv6, refused by design
        const warning = nonPublicRange(parsed.cidr);
        if (warning === null) return;
        const network = ipaddr.parse(parsed.cidr.value.split('/')[0] ?? '').toByteArray();
        const someAddress = someAddressIn(network, parsed.cidr.prefix, bytes);
        expect(ipaddr.parse(someAddress).range()).toBe(IPADDR_NAME[warning.range]);
      }),
      { numRuns: 600 },
    );
  });
});
