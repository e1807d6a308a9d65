/**
 * The bodies WAF returns with the 503. WAF caps a custom response body at 4 KB, so the HTML body is a
 * small shell (generated from maintenance-site/shell.html) that draws the full page from /maintenance/
 * assets; the JSON body is an RFC 9457 problem document for API clients. The reason is HTML-escaped so no
 * caller can inject markup into the page visitors see.
 */
import { MAINTENANCE_INLINE_PAGE, MAINTENANCE_SHELL } from './maintenance-shell';

export interface MaintenancePageInput {
  reason: string | null;
  retryAfterSeconds: number;
}

/**
 * `hosted`: the small shell that draws the full page from /maintenance/ assets (the stack's own
 * distribution serves them). `inline`: a page complete in itself, for a web ACL of the team's own in front
 * of a distribution that has no /maintenance/ behaviour (attach mode).
 */
export type PageStyle = 'hosted' | 'inline';

export const MAX_BODY_BYTES = 4096;

export const MAINTENANCE_PROBLEM_TYPE = 'urn:waf-maintenance:problem:maintenance';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Between 30 s and 15 min: the inline page loads itself again after Retry-After, within those bounds. */
const CHECK_AFTER_SECONDS = { min: 30, max: 900 };

/** `1 hour 30 minutes`, `45 seconds`: a Retry-After in words, to the minute above a minute. */
export function durationInWords(seconds: number): string {
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (seconds < 60) return unit(seconds, 'second');
  const minutes = Math.round(seconds / 60);
  const hours = Math.floor(minutes / 60);
  if (hours === 0) return unit(minutes, 'minute');
  return minutes % 60 === 0 ? unit(hours, 'hour') : `${unit(hours, 'hour')} ${unit(minutes % 60, 'minute')}`;
}

/**
 * @example
 * escapeHtml('<b>"x"</b>') // '&lt;b&gt;&quot;x&quot;&lt;/b&gt;'
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

function withinWafLimit(body: string, kind: string): string {
  const bytes = Buffer.byteLength(body, 'utf8');
  if (bytes > MAX_BODY_BYTES) {
    throw new RangeError(`maintenance ${kind} body is ${bytes} bytes, over WAF's ${MAX_BODY_BYTES}`);
  }
  return body;
}

/** Replaces every `{{name}}` in one pass, so text inside a value is never read as a placeholder. */
function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => values[name] ?? '');
}

/**
 * The HTML body: the hosted shell or the inline page (see PageStyle), with the reason HTML-escaped in its
 * own paragraph and the Retry-After. Filled in one pass, so text inside the reason (a `{{reason}}`, a `$&`)
 * is never read as a placeholder or a replacement pattern. Throws a RangeError for a Retry-After that is not
 * a whole number of seconds, or if the result would not fit WAF's limit, which the reason's 500-character
 * cap makes impossible for the inputs the API accepts.
 *
 * @example
 * renderMaintenanceHtml({ reason: 'Database <b>upgrade</b>', retryAfterSeconds: 1800 })
 * // '<!doctype html>…<h1>Down for maintenance</h1><p dir="auto">Database &lt;b&gt;upgrade&lt;/b&gt;</p>…1800…'
 */
export function renderMaintenanceHtml(input: MaintenancePageInput, style: PageStyle = 'hosted'): string {
  const seconds = input.retryAfterSeconds;
  if (!Number.isSafeInteger(seconds) || seconds < 0) {
    throw new RangeError(`retryAfterSeconds must be a whole number of seconds, not ${seconds}`);
  }
  // dir="auto": a reason in a right-to-left script keeps its own direction without reordering the page.
  const reason = input.reason ? `<p dir="auto">${escapeHtml(input.reason)}</p>` : '';
  const body =
    style === 'hosted'
      ? fill(MAINTENANCE_SHELL, { reason, retryAfterSeconds: String(seconds) })
      : fill(MAINTENANCE_INLINE_PAGE, {
          reason,
          retryAfterText: durationInWords(seconds),
          checkAfterSeconds: String(
            Math.min(CHECK_AFTER_SECONDS.max, Math.max(CHECK_AFTER_SECONDS.min, seconds)),
          ),
        });
  return withinWafLimit(body, 'HTML');
}

/**
 * The body for clients that ask for JSON: an RFC 9457 problem document. Throws a RangeError like
 * renderMaintenanceHtml if it would not fit WAF's limit.
 *
 * @example
 * renderMaintenanceJson({ reason: null, retryAfterSeconds: 300 })
 * // '{"type":"urn:waf-maintenance:problem:maintenance","title":"Down for maintenance","status":503,
 * //   "detail":"The site is down for maintenance.","retryAfterSeconds":300}'
 */
export function renderMaintenanceJson(input: MaintenancePageInput): string {
  const body = JSON.stringify({
    type: MAINTENANCE_PROBLEM_TYPE,
    title: 'Down for maintenance',
    status: 503,
    detail: input.reason ?? 'The site is down for maintenance.',
    retryAfterSeconds: input.retryAfterSeconds,
  });
  return withinWafLimit(body, 'JSON');
}
