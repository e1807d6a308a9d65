import { type BatchCheck, type BatchInput, checkBatch } from '../batch';
import type { ValueCheck } from './value-check';

/** At most this many exempt paths in all (the contract's limit; 20 byte matches are 40 of the group's WCUs). */
export const MAX_EXEMPTIONS = 20;
/** The contract's limit on an exempt path as given. */
export const MAX_EXEMPT_PATH_BYTES = 256;
/** WAF's limit on a byte match's SearchString (ByteMatchStatement, API reference): the path to match. */
export const MAX_MATCH_BYTES = 200;
/** Paths the switch owns: the page's assets (always let through) and the bypass link. */
const OWN_PREFIXES = ['/maintenance/', '/__maintenance/'];
/** RFC 3986 `pchar` and `/`: unreserved, sub-delims, `:`, `@`, and `%` (checked as pct-encoded below). */
const PATH_CHARS = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*$/;

/** An exempt path: `/health` matches that path exactly; `/api/webhooks/*` every path starting `/api/webhooks/`. */
export interface ExemptPath {
  /** As listed, e.g. `/api/webhooks/*`. */
  path: string;
  match: 'EXACTLY' | 'STARTS_WITH';
  /** What WAF compares the request's URI path with: the path, less a trailing `*`. */
  value: string;
}

const utf8Length = (text: string) => new TextEncoder().encode(text).length;

function exemptPathProblem(input: string): string | null {
  if (/[\s\p{Cc}]/u.test(input)) return 'must not contain whitespace or control characters';
  if (utf8Length(input) > MAX_EXEMPT_PATH_BYTES) return `must be at most ${MAX_EXEMPT_PATH_BYTES} bytes`;
  if (!input.startsWith('/')) return 'must start with /';
  if (input === '/' || input === '/*') return 'would exempt the whole site';
  if (/[?#]/.test(input)) return 'must be a path alone, without ? (query) or # (fragment)';
  if (!PATH_CHARS.test(input)) {
    return 'must be ASCII path characters: percent-encode others as browsers send them (é is %C3%A9)';
  }
  if (/%(?![0-9A-Fa-f]{2})/.test(input)) return 'has a % that is not followed by two hex digits';
  if (input.split('/').some((segment) => segment === '.' || segment === '..')) {
    return 'must not contain . or .. segments (browsers resolve them before sending, so it would never match)';
  }
  if (input.slice(0, -1).includes('*')) return 'may hold * only at its end, to match a prefix';
  if (OWN_PREFIXES.some((prefix) => input.startsWith(prefix))) {
    return 'is the switch’s own: /maintenance/* always reaches the page, /__maintenance/* is the bypass link';
  }
  if (utf8Length(input.replace(/\*$/, '')) > MAX_MATCH_BYTES) {
    return `must match at most ${MAX_MATCH_BYTES} bytes (WAF's limit on a string match)`;
  }
  return null;
}

/**
 * A path exempt from maintenance, by the contract's rules and what WAF can match.
 *
 * @example
 * checkExemptPath('/api/webhooks/*') // { ok: true, value: { path: '/api/webhooks/*', match: 'STARTS_WITH', value: '/api/webhooks/' } }
 * checkExemptPath('/health?full') // { ok: false, message: 'must be a path alone, without ? (query) or # (fragment)' }
 */
export function checkExemptPath(input: unknown): ValueCheck<ExemptPath> {
  if (typeof input !== 'string') return { ok: false, message: 'must be a string' };
  const problem = exemptPathProblem(input);
  if (problem !== null) return { ok: false, message: problem };
  const prefix = input.endsWith('*');
  return {
    ok: true,
    value: {
      path: input,
      match: prefix ? 'STARTS_WITH' : 'EXACTLY',
      value: prefix ? input.slice(0, -1) : input,
    },
  };
}

/**
 * An exemptions change: every path judged by checkExemptPath, all or nothing (the limit of 20 in all is
 * checked against the current list by the use case).
 *
 * @example
 * checkExemptionBatch({ add: ['/health'] }) // { ok: true, value: { add: [{ path: '/health', ... }], remove: [], notes: [] } }
 */
export function checkExemptionBatch(input: BatchInput): BatchCheck<ExemptPath> {
  return checkBatch<ExemptPath>(
    input,
    (entry) => {
      const checked = checkExemptPath(entry);
      return checked.ok ? { ok: true, value: checked.value, key: checked.value.path } : checked;
    },
    'path',
  );
}
