/**
 * The bodies WAF returns with the 503. WAF caps a custom response body at 4 KB, so the HTML body is a
 * small shell (generated from maintenance-site/shell.html) that draws the full page from /maintenance/
 * assets; the JSON body is an RFC 9457 problem document for API clients. The reason is HTML-escaped so no
 * caller can inject markup into the page visitors see.
 */
import { MAINTENANCE_SHELL } from './maintenance-shell';

export interface MaintenancePageInput {
  reason: string | null;
  retryAfterSeconds: number;
}

export const MAX_BODY_BYTES = 4096;

export const MAINTENANCE_PROBLEM_TYPE = 'urn:waf-maintenance:problem:maintenance';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

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

/**
 * Fills the shell's `{{reason}}` and `{{retryAfterSeconds}}` in one pass, so text inside the reason
 * (a `{{retryAfterSeconds}}`, a `$&`) is never read as a placeholder or a replacement pattern.
 * Throws a RangeError for a Retry-After that is not a whole number of seconds, or if the result would not
 * fit WAF's limit, which the reason's 500-character cap makes impossible for the inputs the API accepts.
 *
 * @example
 * renderMaintenanceHtml({ reason: 'Database <b>upgrade</b>', retryAfterSeconds: 1800 })
 * // '<!doctype html>…<h1>Down for maintenance</h1><p>Database &lt;b&gt;upgrade&lt;/b&gt;</p>…1800…'
 */
export function renderMaintenanceHtml(input: MaintenancePageInput): string {
  if (!Number.isSafeInteger(input.retryAfterSeconds) || input.retryAfterSeconds < 0) {
    throw new RangeError(
      `retryAfterSeconds must be a whole number of seconds, not ${input.retryAfterSeconds}`,
    );
  }
  const values: Record<string, string> = {
    // dir="auto": a reason in a right-to-left script keeps its own direction without reordering the page.
    reason: input.reason ? `<p dir="auto">${escapeHtml(input.reason)}</p>` : '',
    retryAfterSeconds: String(input.retryAfterSeconds),
  };
  const body = MAINTENANCE_SHELL.replace(/\{\{(reason|retryAfterSeconds)\}\}/g, (_, name: string) => {
    return values[name] ?? '';
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
