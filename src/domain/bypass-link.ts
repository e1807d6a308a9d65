import { randomBytes } from 'node:crypto';
import type { Rule, Statement } from '@aws-sdk/client-wafv2';
import { byteMatch, searchText } from './waf-statements';

/**
 * The secret bypass link, done in WAF alone (no origin code): while maintenance is on, the group holds a
 * secret drawn when it turned on. A rule answers `/__maintenance/bypass/<secret>` with a 302 to `/` that
 * sets the cookie; the pass rule lets through requests whose cookie or `X-Maintenance-Bypass` header is
 * exactly the secret. Turning off removes all three, so the secret is retired: the link then sets
 * nothing, and an old cookie matches nothing at the next window, which draws a new secret.
 */

export const BYPASS_LINK_RULE_NAME = 'maintenance-bypass-link';
export const BYPASS_LINK_PREFIX = '/__maintenance/bypass/';
export const BYPASS_COOKIE = 'maintenance_bypass';
/** Header names are case-insensitive; WAF's SingleHeader matches them so (FieldToMatch, SingleHeader). */
export const BYPASS_HEADER = 'x-maintenance-bypass';
/** A day: long enough for a working day during a window; the secret itself ends with the window. */
export const BYPASS_COOKIE_MAX_AGE_SECONDS = 86_400;
/** 256 bits, base64url: 43 characters of [A-Za-z0-9_-], safe in a path, a cookie and a header. */
const SECRET_BYTES = 32;
const SECRET_PATTERN = /^[A-Za-z0-9_-]{22,}$/;

/**
 * A fresh secret: 256 random bits, base64url.
 *
 * @example
 * newBypassSecret() // 'q1n6V0m2...' (43 characters)
 */
export function newBypassSecret(): string {
  return randomBytes(SECRET_BYTES).toString('base64url');
}

/** Whether `value` can be a secret this module drew (at least 128 bits of base64url). */
export function isBypassSecret(value: string): boolean {
  return SECRET_PATTERN.test(value);
}

/**
 * The link's path for a secret, as the status shows it.
 *
 * @example
 * bypassLinkPath('abc...') // '/__maintenance/bypass/abc...'
 */
export function bypassLinkPath(secret: string): string {
  return `${BYPASS_LINK_PREFIX}${secret}`;
}

/** The cookie the link sets: HttpOnly and Secure, sent back on every path of the site. */
export function bypassCookie(secret: string): string {
  return `${BYPASS_COOKIE}=${secret}; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=${BYPASS_COOKIE_MAX_AGE_SECONDS}`;
}

/** What the pass rule adds while a secret is live: the cookie's value, or the header, exactly the secret. */
export function secretStatements(secret: string): Statement[] {
  return [
    byteMatch(
      {
        Cookies: {
          MatchPattern: { IncludedCookies: [BYPASS_COOKIE] },
          MatchScope: 'VALUE',
          OversizeHandling: 'NO_MATCH',
        },
      },
      'EXACTLY',
      secret,
    ),
    byteMatch({ SingleHeader: { Name: BYPASS_HEADER } }, 'EXACTLY', secret),
  ];
}

/** The rule that answers the link: first in the group, so even a bypassed address can pick up the cookie. */
export function bypassLinkRule(secret: string): Omit<Rule, 'Priority' | 'VisibilityConfig'> {
  return {
    Name: BYPASS_LINK_RULE_NAME,
    Action: {
      Block: {
        CustomResponse: {
          ResponseCode: 302,
          ResponseHeaders: [
            { Name: 'Location', Value: '/' },
            { Name: 'Set-Cookie', Value: bypassCookie(secret) },
            { Name: 'Cache-Control', Value: 'no-store' },
          ],
        },
      },
    },
    Statement: byteMatch({ UriPath: {} }, 'EXACTLY', bypassLinkPath(secret)),
  };
}

/** The secret the pass rule's header statement holds, if any (the group as GetRuleGroup returns it). */
export function readSecret(passStatements: Statement[]): string | null {
  const header = passStatements.find(
    (s) => s.ByteMatchStatement?.FieldToMatch?.SingleHeader?.Name?.toLowerCase() === BYPASS_HEADER,
  );
  const secret = header ? searchText(header) : null;
  return secret !== null && isBypassSecret(secret) ? secret : null;
}

/**
 * Where a site address is reached, for the bypass link: its origin when it is an http(s) URL, else null.
 * The link's rule matches the whole URI path, so a path in the address (`/shop`) cannot be part of the link.
 *
 * @example
 * siteOrigin('https://www.example.com/shop/') // 'https://www.example.com'
 * siteOrigin('ftp://example.com') // null
 * siteOrigin('https://*.example.com') // null
 */
export function siteOrigin(siteUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(siteUrl.trim());
  } catch {
    return null;
  }
  // A wildcard alias (*.example.com) names no one address to open.
  if (url.hostname.includes('*')) return null;
  return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : null;
}

/**
 * The bypass link as a visitor opens it: the site's origin, one slash, the link's path. Null when the site's
 * address is unknown or not an http(s) URL: then only the path can be shown.
 *
 * @example
 * bypassLinkUrl('/__maintenance/bypass/abc', 'https://www.example.com/') // 'https://www.example.com/__maintenance/bypass/abc'
 * bypassLinkUrl('/__maintenance/bypass/abc', null) // null
 */
export function bypassLinkUrl(path: string, siteUrl: string | null | undefined): string | null {
  const origin = siteUrl ? siteOrigin(siteUrl) : null;
  return origin === null ? null : `${origin}/${path.replace(/^\/+/, '')}`;
}
