import ipaddr from 'ipaddr.js';

export type IpVersion = 4 | 6;

/** A canonical CIDR: network address, lower-case, compressed IPv6 (RFC 5952), explicit prefix. */
export interface Cidr {
  readonly value: string;
  readonly version: IpVersion;
  readonly prefix: number;
}

export type CidrParse = { ok: true; cidr: Cidr } | { ok: false; reason: string };

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** The longest well-formed input (`ffff:…:ffff:255.255.255.255/128`) has 49 characters. */
const MAX_INPUT_LENGTH = 64;
const MAX_PREFIX: Record<IpVersion, number> = { 4: 32, 6: 128 };
const NOT_AN_ADDRESS = 'is not an IPv4 or IPv6 address or CIDR';

/**
 * Parses what a person typed into the bypass set's canonical form: the one value the HTTP API, Slack and
 * the CLI store, compare and list. The grammar is strict on purpose, and only admits what AWS WAF's IP set
 * admits: whitespace is refused rather than trimmed, and so are the forms ipaddr.js would otherwise
 * tolerate (`1.2.3`, `16909060`, `0x7f.0.0.1`, `01.2.3.4`, zone ids). Any prefix up to the width parses,
 * /0 included: how broad an addition may be is the bypass set's rule (`breadthProblem` in
 * bypass-address-rules.ts), and an over-broad entry someone stored by hand must still be readable, to be
 * listed and removed.
 *
 * IPv6 with an embedded dotted IPv4 tail (`64:ff9b::1.2.3.4`) is accepted and canonicalised to hex
 * (`64:ff9b::102:304/128`). IPv4-mapped addresses (`::ffff:1.2.3.4`, in either notation) are refused: WAF
 * matches IPv4 visitors against the IPv4 set, so such an entry would never let anyone through; the reason
 * names the IPv4 CIDR to add instead.
 *
 * The reason is a phrase about the input without repeating it; callers put the value or field in front.
 * Never throws, whatever `input` is.
 *
 * @example
 * parseCidr('198.51.100.77/24') // { ok: true, cidr: { value: '198.51.100.0/24', version: 4, prefix: 24 } }
 * parseCidr('2001:DB8:0:0::1') // { ok: true, cidr: { value: '2001:db8::1/128', version: 6, prefix: 128 } }
 * parseCidr('10.0.0.0/33') // { ok: false, reason: 'prefix must be at most 32 for IPv4' }
 */
export function parseCidr(input: unknown): CidrParse {
  const shape = shapeProblem(input);
  if (shape !== null) return refuse(shape);
  const [addressText = '', prefixText] = (input as string).split('/');
  const address = parseAddress(addressText);
  if (typeof address === 'string') return refuse(address);
  const version: IpVersion = address.kind() === 'ipv4' ? 4 : 6;
  const prefix = parsePrefix(prefixText, version);
  if (typeof prefix === 'string') return refuse(prefix);
  const network = networkAddress(address, prefix);
  if (network instanceof ipaddr.IPv6 && network.isIPv4MappedAddress()) {
    const ipv4 = `${network.toIPv4Address().toString()}/${prefix - 96}`;
    const hint = prefix > 96 ? `; add ${ipv4} instead` : '';
    return refuse(`is an IPv4-mapped IPv6 address, which WAF never sees${hint}`);
  }
  const text = network instanceof ipaddr.IPv6 ? network.toRFC5952String() : network.toString();
  return { ok: true, cidr: { value: `${text}/${prefix}`, version, prefix } };
}

/**
 * Total order for listing: IPv4 before IPv6, then by network address numerically, then by prefix.
 * Both arguments come from `parseCidr`.
 *
 * @example
 * const cidrs = ['2001:db8::/32', '10.0.0.0/8', '9.0.0.0/8'].map((text) => (parseCidr(text) as { cidr: Cidr }).cidr);
 * cidrs.sort(compareCidrs); // 9.0.0.0/8, 10.0.0.0/8, 2001:db8::/32
 */
export function compareCidrs(a: Cidr, b: Cidr): number {
  if (a.version !== b.version) return a.version - b.version;
  const left = networkBytes(a);
  const right = networkBytes(b);
  const differing = left.findIndex((byte, i) => byte !== right[i]);
  if (differing !== -1) return (left[differing] ?? 0) - (right[differing] ?? 0);
  return a.prefix - b.prefix;
}

function refuse(reason: string): CidrParse {
  return { ok: false, reason };
}

/** Problems visible without parsing; checked first so each gets a reason that says what is wrong. */
function shapeProblem(input: unknown): string | null {
  if (typeof input !== 'string') return 'must be a string holding an IPv4 or IPv6 address or CIDR';
  if (input === '') return 'is empty; expected an IPv4 or IPv6 address or CIDR';
  if (input.length > MAX_INPUT_LENGTH) return `is longer than ${MAX_INPUT_LENGTH} characters`;
  if (/\s/.test(input)) return 'must not contain whitespace';
  if (input.includes('%')) return 'must not carry a zone id (%…); WAF matches addresses only';
  if (/[[\]]/.test(input)) return 'must not have brackets or a port; give the bare address';
  if (/^\d+(\.\d+)+:/.test(input)) return 'must not have a port; give the bare address';
  if (input.split('/').length > 2) return 'must have at most one /';
  return null;
}

/** The address before the slash, or the reason it is not one. */
function parseAddress(text: string): Address | string {
  if (!/^[0-9A-Fa-f:.]+$/.test(text)) return NOT_AN_ADDRESS;
  if (!text.includes(':')) return parseIpv4(text);
  const hex = dottedTailToHex(text);
  if (hex === null || !ipaddr.IPv6.isValid(hex)) return NOT_AN_ADDRESS;
  return ipaddr.IPv6.parse(hex);
}

/**
 * Only four dotted decimal octets: ipaddr.js alone would also take the legacy inet_aton forms, which WAF
 * refuses and which read as a different address than a person expects (`010` is octal 8 there).
 */
function parseIpv4(text: string): Address | string {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  const octets = text.split('.');
  if (!octets.every((octet) => /^\d+$/.test(octet))) return NOT_AN_ADDRESS;
  if (octets.length !== 4) return 'IPv4 addresses need four dotted decimal octets, like 192.0.2.1';
  if (octets.some((octet) => /^0\d/.test(octet))) return 'IPv4 octets must not have leading zeros';
  return 'IPv4 octets must be 0-255';
}

/**
 * Rewrites `…:1.2.3.4` as `…:102:304` so ipaddr.js sees plain hex. Its own handling is too lenient for us:
 * it reads `::1.2.3.4` as `::ffff:1.2.3.4` and accepts leading zeros in the octets.
 */
function dottedTailToHex(text: string): string | null {
  if (!text.includes('.')) return text;
  const cut = text.lastIndexOf(':') + 1;
  const tail = text.slice(cut);
  if (!ipaddr.IPv4.isValidFourPartDecimal(tail)) return null;
  const [a = 0, b = 0, c = 0, d = 0] = ipaddr.IPv4.parse(tail).octets;
  return `${text.slice(0, cut)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
}

/** The prefix after the slash (a bare address means a single host), or the reason it is unusable. */
function parsePrefix(text: string | undefined, version: IpVersion): number | string {
  const max = MAX_PREFIX[version];
  if (text === undefined) return max;
  if (!/^\d+$/.test(text)) return `prefix must be a whole number of bits, at most ${max} for IPv${version}`;
  if (text.length > 1 && text.startsWith('0')) return 'prefix must not have leading zeros';
  const prefix = Number(text);
  return prefix <= max ? prefix : `prefix must be at most ${max} for IPv${version}`;
}

/** Clears the host bits, so `198.51.100.77/24` and `198.51.100.0/24` are one entry, as they are to WAF. */
function networkAddress(address: Address, prefix: number): Address {
  const mask = (address instanceof ipaddr.IPv4 ? ipaddr.IPv4 : ipaddr.IPv6).subnetMaskFromPrefixLength(
    prefix,
  );
  const maskBytes = mask.toByteArray();
  return ipaddr.fromByteArray(address.toByteArray().map((byte, i) => byte & (maskBytes[i] ?? 0)));
}

/** Sorting calls the comparator n log n times; parsing each value once keeps 10,000 entries fast. */
const networkBytesCache = new WeakMap<Cidr, number[]>();

function networkBytes(cidr: Cidr): number[] {
  let bytes = networkBytesCache.get(cidr);
  if (bytes === undefined) {
    bytes = ipaddr.parse(cidr.value.slice(0, cidr.value.indexOf('/'))).toByteArray();
    networkBytesCache.set(cidr, bytes);
  }
  return bytes;
}

/**
 * Whether `address` (a single address, as API Gateway reports a caller's source) lies in any of the
 * stored CIDRs. An IPv4-mapped IPv6 source is the IPv4 address it maps, as WAF sees it. Entries that do
 * not parse match nothing.
 *
 * @example
 * addressIn('203.0.113.7', ['203.0.113.0/24']) // true
 * addressIn('2001:db8::1', ['203.0.113.0/24']) // false
 */
export function addressIn(address: string, cidrs: readonly string[]): boolean {
  if (!ipaddr.isValid(address)) return false;
  const ip = ipaddr.process(address);
  return cidrs.some((stored) => {
    try {
      const [network, prefix] = ipaddr.parseCIDR(stored);
      return network.kind() === ip.kind() && ip.match(network, prefix);
    } catch {
      return false;
    }
  });
}
