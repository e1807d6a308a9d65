import ipaddr from 'ipaddr.js';
import type { Cidr, IpVersion } from './cidr';

/**
 * The shortest prefix an addition to the bypass set may have. A /8 is the largest block IPv4 ever handed
 * to one organisation, and a /32 is what a regional registry allocates to a whole ISP in IPv6, so no team's
 * own network is broader; anything shorter (0.0.0.0/1 and 128.0.0.0/1 together are the whole IPv4 internet)
 * would switch maintenance off for a large part of the world. One rule, /0 included: WAF itself refuses /0
 * in an IP set ("all IPv4 and IPv6 CIDR ranges except for /0",
 * https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-ipset-match.html),
 * while /1 to /7 and /1 to /31 it stores without a word.
 */
export const MIN_BYPASS_PREFIX: Readonly<Record<IpVersion, number>> = { 4: 8, 6: 32 };

/**
 * Why `cidr` is too broad to add to the bypass set, or null when it is not. Additions only: an over-broad
 * entry put there by hand (in the WAF console) must stay listable and removable, so parsing accepts it.
 * Phrased like the parser's reasons, for the caller to put the field in front.
 *
 * @example
 * breadthProblem(cidr('10.0.0.0/8')) // null
 * breadthProblem(cidr('0.0.0.0/1')) // '/1 would let a large part of the internet through maintenance; the shortest prefix allowed for IPv4 is /8'
 */
export function breadthProblem(cidr: Cidr): string | null {
  const min = MIN_BYPASS_PREFIX[cidr.version];
  if (cidr.prefix >= min) return null;
  const who = cidr.prefix === 0 ? 'everyone' : 'a large part of the internet';
  return `/${cidr.prefix} would let ${who} through maintenance; the shortest prefix allowed for IPv${cidr.version} is /${min}`;
}

/**
 * The ranges no visitor of a CloudFront distribution ever comes from. WAF matches the IP set against the
 * request's origin address, which behind CloudFront is the viewer's address as CloudFront's access logs
 * record it (`c-ip`, https://docs.aws.amazon.com/waf/latest/APIReference/API_HTTPRequest.html): the address
 * the viewer reached CloudFront from over the internet, which is public. A private office address is
 * translated to the office's public one before it gets there.
 * Keys are ipaddr.js's `range()` names. Its `reserved` (documentation, benchmarking, 240.0.0.0/4) and
 * `benchmarking` are left out on purpose: the docs use 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24 and
 * 2001:db8::/32 as examples, and a warning on every example would teach people to ignore warnings.
 */
const NEVER_SEEN_BY_CLOUDFRONT = {
  private: { range: 'private', label: 'a private range (RFC 1918)' },
  loopback: { range: 'loopback', label: 'the loopback range' },
  linkLocal: { range: 'link-local', label: 'the link-local range' },
  carrierGradeNat: { range: 'cgnat', label: 'the carrier-grade NAT range (100.64.0.0/10, RFC 6598)' },
  uniqueLocal: { range: 'unique-local', label: 'the unique-local range (fc00::/7, RFC 4193)' },
} as const;

export type NonPublicRange =
  (typeof NEVER_SEEN_BY_CLOUDFRONT)[keyof typeof NEVER_SEEN_BY_CLOUDFRONT]['range'];

/** An accepted addition that can never match a visitor, named by its position in the request. */
export interface BypassWarning {
  /** `add[i]`, as in a validation error. */
  field: string;
  /** The canonical form that was stored. */
  cidr: string;
  range: NonPublicRange;
  message: string;
}

/**
 * The non-public range `cidr` lies entirely inside, with the reason to tell whoever added it, or null.
 * "Entirely": its first and its last address are both in the same range. That is exact for these ranges:
 * each is one CIDR block, except private's three, and no CIDR can start in one of those and end in
 * another (one that held 10.0.0.0/8 and 172.16.0.0/12 would be 0.0.0.0/0, which starts in neither).
 *
 * @example
 * nonPublicRange(cidr('10.1.2.3/32'))
 * // { range: 'private', message: "lies in a private range (RFC 1918); CloudFront only ever sees ..." }
 * nonPublicRange(cidr('192.0.2.0/24')) // null: documentation, not warned
 */
export function nonPublicRange(cidr: Cidr): Pick<BypassWarning, 'range' | 'message'> | null {
  const [first, last] = bounds(cidr);
  const name = first.range();
  if (name !== last.range() || !Object.hasOwn(NEVER_SEEN_BY_CLOUDFRONT, name)) return null;
  const { range, label } = NEVER_SEEN_BY_CLOUDFRONT[name as keyof typeof NEVER_SEEN_BY_CLOUDFRONT];
  return {
    range,
    message: `lies in ${label}; CloudFront only ever sees a visitor's public address, so behind CloudFront this entry never matches`,
  };
}

/** The first and last address a canonical CIDR covers. */
function bounds(cidr: Cidr): [ipaddr.IPv4 | ipaddr.IPv6, ipaddr.IPv4 | ipaddr.IPv6] {
  const first = ipaddr.parse(cidr.value.slice(0, cidr.value.indexOf('/')));
  const kind = first instanceof ipaddr.IPv4 ? ipaddr.IPv4 : ipaddr.IPv6;
  const mask = kind.subnetMaskFromPrefixLength(cidr.prefix).toByteArray();
  const lastBytes = first.toByteArray().map((byte, i) => byte | (~(mask[i] ?? 0) & 0xff));
  return [first, ipaddr.fromByteArray(lastBytes)];
}
