import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { MIN_BYPASS_PREFIX } from '../../../src/domain/bypass-address-rules';
import { type Cidr, type CidrParse, type IpVersion, parseCidr } from '../../../src/domain/cidr';
import { ValidationError } from '../../../src/domain/errors';
import { parseBypassRequest } from '../../../src/use-cases/update-bypass-set';

/** Modest run counts keep the whole file at about two seconds; fast-check prints the seed on failure. */
const RUNS = { numRuns: 600 };
/** The breadth properties parse whole requests; fewer runs keep them as quick as the rest. */
const BREADTH_RUNS = { numRuns: 300 };
const WIDTH: Record<IpVersion, number> = { 4: 32, 6: 128 };

/** A well-formed address as a person might type it, with the number it stands for. */
interface Spelled {
  text: string;
  version: IpVersion;
  bits: bigint;
}

const toBits = (parts: number[], size: bigint) =>
  parts.reduce((acc, part) => (acc << size) | BigInt(part), 0n);

const ipv4: fc.Arbitrary<Spelled> = fc
  .array(fc.nat(255), { minLength: 4, maxLength: 4 })
  .map((octets) => ({ text: octets.join('.'), version: 4, bits: toBits(octets, 8n) }));

/** Zero groups are over-represented so `::` compression, in every position, is exercised often. */
const ipv6Groups = fc
  .array(fc.oneof(fc.constant(0), fc.nat(0xffff)), { minLength: 8, maxLength: 8 })
  .filter((g) => !(g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff)); // IPv4-mapped: refused by design

const ipv6: fc.Arbitrary<Spelled> = fc
  .record({
    groups: ipv6Groups,
    upper: fc.boolean(),
    pad: fc.boolean(),
    compress: fc.boolean(),
    tail: fc.boolean(),
  })
  .map(({ groups, upper, pad, compress, tail }) => {
    const hex = groups.slice(0, tail ? 6 : 8).map((g) => g.toString(16).padStart(pad ? 4 : 1, '0'));
    let head = hex.join(':');
    // RFC 4291 lets `::` stand for any one run of zero groups; take the first.
    if (compress) head = head.replace(/(^|:)0+(:0+)*(:|$)/, '::');
    if (upper) head = head.toUpperCase();
    const dotted = groups
      .slice(6)
      .flatMap((g) => [g >> 8, g & 0xff])
      .join('.');
    const text = !tail ? head : head.endsWith(':') ? `${head}${dotted}` : `${head}:${dotted}`;
    return { text, version: 6 as const, bits: toBits(groups, 16n) };
  });

const address = fc.oneof(ipv4, ipv6);
const withPrefix = address.chain((a) =>
  fc.integer({ min: 1, max: WIDTH[a.version] }).map((prefix) => ({ ...a, prefix })),
);

/** RFC 5952, written out independently of ipaddr.js: lower-case, no leading zeros, `::` for the first longest run of 2+. */
function rfc5952(groups: number[]): string {
  let best = { start: -1, length: 1 };
  for (let i = 0; i < groups.length; ) {
    let j = i;
    while (j < groups.length && groups[j] === 0) j++;
    if (j - i > best.length) best = { start: i, length: j - i };
    i = Math.max(j, i + 1);
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.start < 0) return hex.join(':');
  return `${hex.slice(0, best.start).join(':')}::${hex.slice(best.start + best.length).join(':')}`;
}

function formatBits(bits: bigint, version: IpVersion): string {
  const size = version === 4 ? 8n : 16n;
  const count = version === 4 ? 4 : 8;
  const parts = Array.from({ length: count }, (_, i) =>
    Number((bits >> (BigInt(count - 1 - i) * size)) & ((1n << size) - 1n)),
  );
  return version === 4 ? parts.join('.') : rfc5952(parts);
}

function hostMask(prefix: number, version: IpVersion): bigint {
  return (1n << BigInt(WIDTH[version] - prefix)) - 1n;
}

function accepted(result: CidrParse) {
  if (!result.ok) throw new Error(`expected acceptance, got: ${result.reason}`);
  return result.cidr;
}

describe('parseCidr properties', () => {
  it('accepts every well-formed address and prefix, and its canonical value parses to itself', () => {
    const sources = fc.oneof(
      withPrefix,
      fc
        .tuple(fc.ipV4(), fc.integer({ min: 1, max: 32 }))
        .map(([text, prefix]) => ({ text, prefix, version: 4 })),
      fc
        .tuple(fc.ipV6(), fc.integer({ min: 1, max: 128 }))
        .filter(([text, prefix]) => !(prefix >= 96 && ipaddr.IPv6.parse(text).isIPv4MappedAddress()))
        .map(([text, prefix]) => ({ text, prefix, version: 6 })),
    );
    fc.assert(
      fc.property(sources, ({ text, prefix, version }) => {
        const cidr = accepted(parseCidr(`${text}/${prefix}`));
        expect(cidr).toMatchObject({ prefix, version });
        expect(cidr.value.endsWith(`/${prefix}`)).toBe(true);
        expect(parseCidr(cidr.value)).toEqual({ ok: true, cidr });
      }),
      RUNS,
    );
  });

  it('reads a bare address as a single host', () => {
    fc.assert(
      fc.property(address, ({ text, version }) => {
        const width = WIDTH[version];
        expect(parseCidr(text)).toEqual(parseCidr(`${text}/${width}`));
        expect(accepted(parseCidr(text)).prefix).toBe(width);
      }),
      RUNS,
    );
  });

  it('returns the network address with its host bits cleared, spelled canonically', () => {
    fc.assert(
      fc.property(withPrefix, ({ text, version, bits, prefix }) => {
        const cidr = accepted(parseCidr(`${text}/${prefix}`));
        const [value = '', prefixText] = cidr.value.split('/');
        const valueBits = toBits(ipaddr.parse(value).toByteArray(), 8n);
        expect(valueBits & hostMask(prefix, version)).toBe(0n);
        expect(valueBits).toBe(bits & ~hostMask(prefix, version));
        expect(cidr.value).toBe(`${formatBits(valueBits, version)}/${prefixText}`);
      }),
      RUNS,
    );
  });
});

/**
 * What a lenient reading of well-formed input gives, from ipaddr.js alone: the oracle for anything the
 * parser accepts. ipaddr.js reads `::a.b.c.d` as IPv4-mapped; spelling it `::0:a.b.c.d` avoids that.
 */
function lenientCanonical(input: string): string | null {
  const [text = '', prefixText, ...rest] = input.split('/');
  if (rest.length > 0 || (prefixText !== undefined && !/^(0|[1-9]\d*)$/.test(prefixText))) return null;
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) {
    const prefix = prefixText ?? '32';
    return `${ipaddr.IPv4.networkAddressFromCIDR(`${text}/${prefix}`).toString()}/${prefix}`;
  }
  if (!ipaddr.IPv6.isValid(text) || text.includes('%')) return null;
  const prefix = prefixText ?? '128';
  const lenient = /^::[\d.]+$/.test(text) ? text.replace('::', '::0:') : text;
  return `${ipaddr.IPv6.networkAddressFromCIDR(`${lenient}/${prefix}`).toRFC5952String()}/${prefix}`;
}

/** Harmful edits of a valid input, each with what the refusal must say. */
const EDITS = {
  whitespace: /whitespace/,
  zone: /zone id/,
  zeroRunPrefix: /leading zeros/,
  zeroPaddedPrefix: /leading zeros/,
  signedPrefix: /whole number/,
  doubleSlash: /at most one \//,
  prefixTooLong: /prefix must be at most (32 for IPv4|128 for IPv6)$/,
  port: /port|brackets/,
  zeroPaddedOctet: /leading zeros/,
};
type Edit = keyof typeof EDITS;

const mutated = fc
  .record({
    input: withPrefix,
    edit: fc.constantFrom(...(Object.keys(EDITS) as Edit[])),
    n: fc.nat(65535),
    space: fc.constantFrom(' ', '\t', '\n', '\r', '\v', '\f', '\u00a0', '\u2003', '\u3000', '\ufeff'),
    zone: fc.stringMatching(/^[0-9a-z]{1,8}$/),
    zeros: fc.constantFrom('0', '00', '000'),
    sign: fc.constantFrom('+', '-'),
  })
  .filter(({ input, edit }) => edit !== 'zeroPaddedOctet' || input.version === 4)
  .map(({ input: { text, version, prefix }, edit, n, space, zone, zeros, sign }): [string, RegExp] => {
    const full = `${text}/${prefix}`;
    const at = n % (full.length + 1);
    const spelled: Record<Edit, string> = {
      whitespace: `${full.slice(0, at)}${space}${full.slice(at)}`,
      zone: `${text}%${zone}/${prefix}`,
      zeroRunPrefix: `${text}/0${zeros}`,
      zeroPaddedPrefix: `${text}/0${prefix}`,
      signedPrefix: `${text}/${sign}${prefix}`,
      doubleSlash: [`${full}/`, `${text}//${prefix}`, `${full}/${prefix}`][n % 3] as string,
      prefixTooLong: `${text}/${WIDTH[version] + 1 + (n % 800)}`,
      port: version === 4 ? `${text}:${n}` : `[${text}]:${n}`,
      zeroPaddedOctet: text
        .split('.')
        .map((octet, i) => (i === n % 4 ? `0${octet}` : octet))
        .join('.'),
    };
    return [spelled[edit], EDITS[edit]];
  });

/** Short strings over the address alphabet plus the characters that must be refused: hits the grammar's edges. */
const GRAMMAR_PIECES = [
  ...'0123456789abcdefABCDEF:./'.split(''),
  '::',
  '1.2.3.4',
  'ffff',
  '%',
  ' ',
  '[',
  ']',
];
const grammarish = fc.string({ unit: fc.constantFrom(...GRAMMAR_PIECES), maxLength: 12 });

describe('parseCidr refusals', () => {
  it('accepts nothing outside the grammar: whatever it accepts is a well-formed input, canonicalised', () => {
    const valid = withPrefix.map(({ text, prefix }) => `${text}/${prefix}`);
    const nearlyValid = fc.tuple(
      grammarish,
      fc.oneof(
        valid,
        address.map((a) => a.text),
      ),
      grammarish,
    );
    const strings = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      grammarish,
      nearlyValid.map(([before, text, after]) => `${before.slice(0, 2)}${text}${after.slice(0, 3)}`),
    );
    fc.assert(
      fc.property(strings, (input) => {
        const result = parseCidr(input);
        if (/[\s%[\]]/.test(input)) expect(result.ok).toBe(false);
        if (!result.ok) return;
        expect(result.cidr.value).toBe(lenientCanonical(input));
        expect(parseCidr(result.cidr.value)).toEqual(result);
      }),
      { numRuns: 800 },
    );
  });

  it('refuses valid input once spaces, zone ids, ports, signs or leading zeros are added', () => {
    fc.assert(
      fc.property(mutated, ([input, reason]) => {
        expect(parseCidr(input)).toEqual({ ok: false, reason: expect.stringMatching(reason) });
      }),
      RUNS,
    );
  });

  it('refuses any string containing whitespace, %, [ or ]', () => {
    const poison = fc.constantFrom(' ', '\t', '\n', '\u00a0', '\u2028', '%', '[', ']');
    const around = fc.oneof(
      fc.string({ maxLength: 20 }),
      address.map((a) => a.text),
    );
    fc.assert(
      fc.property(around, poison, around, (before, bad, after) => {
        expect(parseCidr(`${before}${bad}${after}`).ok).toBe(false);
      }),
      RUNS,
    );
  });

  it('never throws, and always answers with a cidr or a non-empty reason', () => {
    const anything = fc.anything({
      withBigInt: true,
      withBoxedValues: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withObjectString: true,
      withSparseArray: true,
      withTypedArray: true,
    });
    fc.assert(
      fc.property(anything, (input) => {
        const result = parseCidr(input);
        if (result.ok) expect(typeof input).toBe('string');
        else expect(result.reason).toMatch(/\w/);
      }),
      RUNS,
    );
  });
});

/**
 * A well-formed entry with any prefix, /0 included, a quarter of them too broad, so that both sides of the
 * breadth rule come up in every run and batches of several accepted entries are common.
 */
const anyBreadth = address.chain((a) =>
  fc
    .oneof(
      { weight: 1, arbitrary: fc.integer({ min: 0, max: MIN_BYPASS_PREFIX[a.version] - 1 }) },
      { weight: 3, arbitrary: fc.integer({ min: MIN_BYPASS_PREFIX[a.version], max: WIDTH[a.version] }) },
    )
    .map((prefix) => `${a.text}/${prefix}`),
);
/** The halves of each address space: two of them were the whole internet before the breadth rule. */
const HALVES = { 4: ['0.0.0.0/1', '128.0.0.0/1'], 6: ['::/1', '8000::/1'] } as const;
const breadthEntry = fc.oneof(
  { weight: 5, arbitrary: anyBreadth },
  { weight: 1, arbitrary: fc.constantFrom(...HALVES[4], ...HALVES[6]) },
);

/** The first and last address of a CIDR, as numbers. */
function span(cidr: Cidr): { start: bigint; end: bigint } {
  const start = toBits(ipaddr.parse(cidr.value.split('/')[0] ?? '').toByteArray(), 8n);
  return { start, end: start + hostMask(cidr.prefix, cidr.version) };
}

/** Whether the union of `cidrs` holds every address of `block`: sweep the spans in order, looking for a gap. */
function unionCovers(cidrs: Cidr[], block: Cidr): boolean {
  const target = span(block);
  const spans = cidrs
    .filter((c) => c.version === block.version)
    .map(span)
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  let next = target.start;
  for (const { start, end } of spans) {
    if (start > next) return false;
    if (end >= next) next = end + 1n;
    if (next > target.end) return true;
  }
  return false;
}

function refusedFields(add: string[]): string[] | null {
  try {
    parseBypassRequest({ add });
    return null;
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return error.errors.map((e) => e.field);
  }
}

describe('the breadth rule, through parseBypassRequest', () => {
  it('accepts no addition shorter than /8 (IPv4) or /32 (IPv6), and refuses each with the shortest allowed', () => {
    fc.assert(
      fc.property(breadthEntry, (text) => {
        const { version, prefix } = accepted(parseCidr(text));
        const min = MIN_BYPASS_PREFIX[version];
        if (prefix < min) {
          expect(() => parseBypassRequest({ add: [text] })).toThrow(
            expect.objectContaining({
              errors: [
                {
                  field: 'add[0]',
                  message: expect.stringMatching(
                    new RegExp(
                      `^/${prefix} would let .* through maintenance; the shortest prefix allowed for IPv${version} is /${min}$`,
                    ),
                  ),
                },
              ],
            }),
          );
        } else {
          const deltas = parseBypassRequest({ add: [text] });
          expect(deltas[version].add.map((c) => c.prefix)).toEqual([prefix]);
        }
      }),
      BREADTH_RUNS,
    );
  });

  it('refuses a batch naming each over-broad entry, and what it accepts never covers half of either address space', () => {
    // The union check itself, on the batch the rule exists for and on one with a gap.
    const cidrs = (...texts: string[]) => texts.map((text) => accepted(parseCidr(text)));
    const [firstHalf] = cidrs(HALVES[4][0]);
    expect(unionCovers(cidrs('64.0.0.0/2', '0.0.0.0/2', '10.0.0.0/8'), firstHalf as Cidr)).toBe(true);
    expect(unionCovers(cidrs('0.0.0.0/2', '64.0.0.0/3', '112.0.0.0/4'), firstHalf as Cidr)).toBe(false);
    fc.assert(
      fc.property(fc.array(breadthEntry, { minLength: 1, maxLength: 8 }), (add) => {
        const cidrs = add.map((text) => accepted(parseCidr(text)));
        const tooBroad = cidrs.flatMap((c, i) =>
          c.prefix < MIN_BYPASS_PREFIX[c.version] ? [`add[${i}]`] : [],
        );
        const refused = refusedFields(add);
        if (tooBroad.length > 0) {
          expect(refused).toEqual(tooBroad);
          return;
        }
        expect(refused).toBeNull();
        const deltas = parseBypassRequest({ add });
        const added = [...deltas[4].add, ...deltas[6].add];
        for (const half of [...HALVES[4], ...HALVES[6]]) {
          expect(unionCovers(added, accepted(parseCidr(half)))).toBe(false);
        }
        // Each entry is at most a /8's (or a /32's) worth, so k of them hold at most k times that.
        for (const version of [4, 6] as const) {
          const size = deltas[version].add.reduce((sum, c) => sum + hostMask(c.prefix, version) + 1n, 0n);
          expect(size).toBeLessThanOrEqual(
            BigInt(deltas[version].add.length) * (hostMask(MIN_BYPASS_PREFIX[version], version) + 1n),
          );
        }
      }),
      BREADTH_RUNS,
    );
  });

  it('never refuses a removal for its breadth, so an over-broad entry stored by hand can be taken out', () => {
    fc.assert(
      fc.property(breadthEntry, (text) => {
        const { version, value } = accepted(parseCidr(text));
        expect(parseBypassRequest({ remove: [text] })[version].remove.map((c) => c.value)).toEqual([value]);
      }),
      BREADTH_RUNS,
    );
  });
});
