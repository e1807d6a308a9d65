import { escapeHtml, MAX_BODY_BYTES, renderMaintenanceBody } from '../../../src/domain/maintenance-page';

describe('renderMaintenanceBody', () => {
  it('escapes every HTML metacharacter', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('states the reason and the expected wait', () => {
    const body = renderMaintenanceBody({ reason: 'Database upgrade', retryAfterSeconds: 1800 });
    expect(body).toContain('<p>Database upgrade</p>');
    expect(body).toContain('about 30 minutes');
  });

  it('stays within 4 KB for the longest, most escapable reason the API accepts', () => {
    const body = renderMaintenanceBody({ reason: '"'.repeat(500), retryAfterSeconds: 86_400 });
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(MAX_BODY_BYTES);
  });

  it('throws rather than produce a body WAF would reject', () => {
    expect(() => renderMaintenanceBody({ reason: '<'.repeat(2000), retryAfterSeconds: 60 })).toThrow(
      RangeError,
    );
  });
});
