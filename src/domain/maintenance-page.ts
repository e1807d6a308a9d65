/**
 * The HTML body WAF returns with the 503. WAF caps a custom response body at 4 KB, so the body is a small
 * shell; the reason is HTML-escaped so no caller can inject markup into the page visitors see.
 */
export const MAX_BODY_BYTES = 4096;

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

/**
 * Renders the maintenance body for the given reason. Throws if the result would not fit WAF's limit,
 * which the reason's 500-character cap makes impossible for the inputs the API accepts.
 */
export function renderMaintenanceBody(input: { reason: string | null; retryAfterSeconds: number }): string {
  const minutes = Math.max(1, Math.round(input.retryAfterSeconds / 60));
  const reason = input.reason ? `<p>${escapeHtml(input.reason)}</p>` : '';
  const body = [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width,initial-scale=1">',
    '<title>Down for maintenance</title></head><body><main>',
    '<h1>Down for maintenance</h1>',
    reason,
    `<p>Please try again in about ${minutes} minute${minutes === 1 ? '' : 's'}.</p>`,
    '</main></body></html>',
  ].join('');
  if (Buffer.byteLength(body, 'utf8') > MAX_BODY_BYTES) {
    throw new RangeError(`maintenance body is ${Buffer.byteLength(body, 'utf8')} bytes, over WAF's 4 KB`);
  }
  return body;
}
