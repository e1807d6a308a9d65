import type { ByteMatchStatement, FieldToMatch, TextTransformation } from '@aws-sdk/client-wafv2';
import { definedKeys, type Predicate, UnsupportedWafFeature, type WafRequest } from './waf-request';

/**
 * ByteMatchStatement for the fields this switch inspects (the URI path, a single header, cookies, and the
 * query string and method), with the text transformations it uses. Anything else is refused when compiled.
 */

/** LOWERCASE is ASCII only: "Convert uppercase letters (A-Z) to lowercase (a-z)" (TextTransformation). */
const asciiLowerCase = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase());

/**
 * URL_DECODE, "Decode a URL-encoded value" (Text transformations, AWS WAF Developer Guide): each `%XX`
 * becomes its byte, and `+` a space, as in form encoding; a `%` without two hex digits stays as it is. The
 * switch applies it only to look for `/..` in the path, where these choices agree with any decoder.
 */
function urlDecode(text: string): string {
  const bytes = Buffer.from(text.replace(/\+/g, ' '), 'utf8');
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const hex = bytes[i] === 0x25 ? bytes.subarray(i + 1, i + 3).toString('latin1') : '';
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      out.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      out.push(bytes[i] as number);
    }
  }
  return Buffer.from(out).toString('latin1');
}

/** Applied lowest priority first (TextTransformation.Priority); unknown ones are refused at compile time. */
function transformation(transformations: TextTransformation[] = []): (text: string) => string {
  const steps = [...transformations]
    .sort((a, b) => (a.Priority ?? 0) - (b.Priority ?? 0))
    .map(({ Type }): ((text: string) => string) => {
      if (Type === 'NONE') return (text) => text;
      if (Type === 'LOWERCASE') return asciiLowerCase;
      if (Type === 'URL_DECODE') return urlDecode;
      throw new UnsupportedWafFeature(`the text transformation ${Type}`);
    });
  return (text) => steps.reduce((value, step) => step(value), text);
}

function cookiePairs(request: WafRequest): Array<[string, string]> {
  return (request.headers.cookie ?? '')
    .split(';')
    .map((pair) => pair.trim())
    .filter(Boolean)
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq === -1 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
    });
}

/**
 * The values a field yields; a byte match matches if any of them does, and none when the field is absent.
 * Cookies with MatchScope ALL match on a key or a value (FieldToMatch, "Cookies").
 */
function fieldValues(field: FieldToMatch): (request: WafRequest) => string[] {
  const kinds = definedKeys(field);
  if (kinds.length !== 1)
    throw new UnsupportedWafFeature(`the field to match ${kinds.join(', ') || '(none)'}`);
  if (field.UriPath) return (request) => [request.path];
  if (field.QueryString) return (request) => [request.query];
  if (field.Method) return (request) => [request.method];
  if (field.SingleHeader) {
    const name = (field.SingleHeader.Name ?? '').toLowerCase();
    return (request) => (request.headers[name] === undefined ? [] : [request.headers[name] as string]);
  }
  if (field.Cookies) {
    const { MatchPattern = {}, MatchScope } = field.Cookies;
    if (!['ALL', 'KEY', 'VALUE'].includes(MatchScope ?? '')) {
      throw new UnsupportedWafFeature(`the cookie match scope ${MatchScope}`);
    }
    const included = (name: string) =>
      MatchPattern.All !== undefined ||
      (MatchPattern.IncludedCookies?.includes(name) ?? false) ||
      (MatchPattern.ExcludedCookies !== undefined && !MatchPattern.ExcludedCookies.includes(name));
    return (request) =>
      cookiePairs(request)
        .filter(([name]) => included(name))
        .flatMap(([name, value]) =>
          MatchScope === 'KEY' ? [name] : MatchScope === 'VALUE' ? [value] : [name, value],
        );
  }
  throw new UnsupportedWafFeature(`the field to match ${kinds.join(', ')}`);
}

const WORD = /[A-Za-z0-9_]/;

/** ByteMatchStatement.PositionalConstraint, as the API reference defines each one. */
function positional(constraint: string | undefined, search: string): (value: string) => boolean {
  switch (constraint) {
    case 'EXACTLY':
      return (value) => value === search;
    case 'STARTS_WITH':
      return (value) => value.startsWith(search);
    case 'ENDS_WITH':
      return (value) => value.endsWith(search);
    case 'CONTAINS':
      return (value) => value.includes(search);
    case 'CONTAINS_WORD':
      // The search string, with no word character (A-Z, a-z, 0-9, _) right before or after it.
      return (value) => {
        for (let at = value.indexOf(search); at !== -1; at = value.indexOf(search, at + 1)) {
          const before = value[at - 1];
          const after = value[at + search.length];
          if ((before === undefined || !WORD.test(before)) && (after === undefined || !WORD.test(after)))
            return true;
        }
        return false;
      };
    default:
      throw new UnsupportedWafFeature(`the positional constraint ${constraint}`);
  }
}

export function byteMatch(statement: ByteMatchStatement): Predicate {
  const raw = statement.SearchString;
  // The SDK hands the blob back as bytes; a hand-written input may still hold text.
  const search = typeof raw === 'string' ? raw : new TextDecoder().decode(raw);
  const values = fieldValues(statement.FieldToMatch ?? {});
  const transform = transformation(statement.TextTransformations);
  const test = positional(statement.PositionalConstraint, search);
  return (request) => values(request).some((value) => test(transform(value)));
}
