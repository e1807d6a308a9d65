import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { SHELL_MODULE_PATH, shellFromTemplate, shellModule, TEMPLATES } from '../../../scripts/site-shell';
import {
  durationInWords,
  escapeHtml,
  MAX_BODY_BYTES,
  type MaintenancePageInput,
  renderMaintenanceHtml,
  renderMaintenanceJson,
} from '../../../src/domain/maintenance-page';
import { MAINTENANCE_INLINE_PAGE, MAINTENANCE_SHELL } from '../../../src/domain/maintenance-shell';
import { requestedUrls } from '../../support/page-assets';

const generated = { MAINTENANCE_SHELL, MAINTENANCE_INLINE_PAGE };

import { MAX_REASON_LENGTH, MAX_RETRY_AFTER_SECONDS } from '../../../src/domain/maintenance-status';

const ROOT = resolve(__dirname, '../../..');
const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
const anInput = (overrides: Partial<MaintenancePageInput> = {}): MaintenancePageInput => ({
  reason: 'Database upgrade',
  retryAfterSeconds: 1800,
  ...overrides,
});

// The longest reasons the API accepts (`.length` counts UTF-16 units), each maximal in some way.
const worstReasons = {
  'quotes (6 bytes each in HTML)': '"'.repeat(MAX_REASON_LENGTH),
  'emoji (4 bytes per 2 units)': '😀'.repeat(MAX_REASON_LENGTH / 2),
  'CJK (3 bytes per unit)': '語'.repeat(MAX_REASON_LENGTH),
  'control characters (6 bytes each in JSON)': '\u0001'.repeat(MAX_REASON_LENGTH),
};

describe('escapeHtml', () => {
  it('escapes every HTML metacharacter', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});

describe('renderMaintenanceHtml', () => {
  it('isolates the reason, so a right-to-left one keeps its own direction without reordering the page', () => {
    const html = renderMaintenanceHtml(anInput({ reason: 'صيانة قاعدة البيانات' }));
    expect(html).toContain('<p dir="auto">صيانة قاعدة البيانات</p>');
  });

  it('states the reason in its own paragraph and the Retry-After for the page to count from', () => {
    const html = renderMaintenanceHtml(anInput());
    expect(html).toContain('<h1>Down for maintenance</h1><p dir="auto">Database upgrade</p>');
    expect(html).toContain('data-retry-after="1800"');
    expect(html).toContain('back in about <span id="eta" data-retry-after="1800">1800 seconds</span>');
  });

  it('leaves no placeholder behind and no reason paragraph when there is no reason', () => {
    const html = renderMaintenanceHtml(anInput({ reason: null }));
    expect(html).not.toMatch(/\{\{|\}\}/);
    expect(html).toContain('<h1>Down for maintenance</h1><p class="eta">');
  });

  it('never lets markup in the reason through unescaped', () => {
    const html = renderMaintenanceHtml(anInput({ reason: '<script>alert(1)</script> "quoted" \'single\'' }));
    expect(html).toContain(
      '<p dir="auto">&lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot; &#39;single&#39;</p>',
    );
    expect(html).not.toContain('<script>alert');
  });

  it('keeps placeholders and replacement patterns in the reason literal', () => {
    const reason = "{{reason}} {{retryAfterSeconds}} $& $' $` $$ $1";
    const html = renderMaintenanceHtml(anInput({ reason, retryAfterSeconds: 60 }));
    expect(html).toContain(`<p dir="auto">${escapeHtml(reason)}</p>`);
    expect(html.split('Down for maintenance')).toHaveLength(3); // the title and the h1, nothing more
  });

  it('keeps the page links the shell promises', () => {
    const html = renderMaintenanceHtml(anInput());
    expect(html).toMatch(/^<!doctype html><html lang="en">/);
    expect(html).toContain('<link rel="stylesheet" href="/maintenance/style.css">');
    expect(html).toContain('<script src="/maintenance/app.js" defer></script>');
    expect(html.match(/<main>/g)).toHaveLength(1);
    expect(html.match(/<h1>/g)).toHaveLength(1);
  });

  it.each(
    Object.entries(worstReasons).flatMap(([what, reason]) =>
      (['hosted', 'inline'] as const).map((style) => [what, style, reason] as const),
    ),
  )('stays within 4 KB for the longest reason of %s (%s)', (_, style, reason) => {
    expect(reason.length).toBeLessThanOrEqual(MAX_REASON_LENGTH);
    const html = renderMaintenanceHtml({ reason, retryAfterSeconds: MAX_RETRY_AFTER_SECONDS }, style);
    expect(bytes(html)).toBeLessThanOrEqual(MAX_BODY_BYTES);
  });

  it('throws rather than produce a body WAF would reject', () => {
    expect(() => renderMaintenanceHtml(anInput({ reason: '<'.repeat(2000) }))).toThrow(RangeError);
  });

  it('throws for a Retry-After that is not a whole number of seconds', () => {
    expect(() => renderMaintenanceHtml(anInput({ retryAfterSeconds: 1.5 }))).toThrow(RangeError);
    expect(() => renderMaintenanceHtml(anInput({ retryAfterSeconds: Number.NaN }))).toThrow(RangeError);
  });
});

describe('the inline page (attach mode)', () => {
  it('is complete in itself: the reason, the Retry-After in words, and no asset to request', () => {
    const html = renderMaintenanceHtml(anInput({ reason: 'Database <upgrade>' }), 'inline');
    expect(html).toMatch(/^<!doctype html><html lang="en">/);
    expect(html).toContain('<p dir="auto">Database &lt;upgrade&gt;</p>');
    expect(html).toContain('back in about 30 minutes');
    expect(html).toContain('<style>');
    expect(html).toContain('<link rel="icon" href="data:,">');
    expect(requestedUrls(html)).toEqual([]);
    expect(html).not.toContain('<script');
  });

  it.each([
    [10, '30'],
    [300, '300'],
    [86_400, '900'],
  ])(
    'checks again by itself after a Retry-After of %i s, kept between 30 s and 15 min (%s s)',
    (seconds, after) => {
      const html = renderMaintenanceHtml(anInput({ retryAfterSeconds: seconds }), 'inline');
      expect(html).toContain(`<meta http-equiv="refresh" content="${after}">`);
    },
  );

  it.each([
    [1, '1 second'],
    [45, '45 seconds'],
    [60, '1 minute'],
    [1800, '30 minutes'],
    [3600, '1 hour'],
    [5400, '1 hour 30 minutes'],
    [86_400, '24 hours'],
  ])('says %i s as "%s"', (seconds, words) => {
    expect(durationInWords(seconds)).toBe(words);
  });
});

describe('renderMaintenanceJson', () => {
  it('is an RFC 9457 problem document with the reason and Retry-After', () => {
    expect(JSON.parse(renderMaintenanceJson(anInput({ reason: 'Database "upgrade" <now>' })))).toEqual({
      type: 'urn:waf-maintenance:problem:maintenance',
      title: 'Down for maintenance',
      status: 503,
      detail: 'Database "upgrade" <now>',
      retryAfterSeconds: 1800,
    });
  });

  it('gives a generic detail when there is no reason', () => {
    const problem = JSON.parse(renderMaintenanceJson(anInput({ reason: null, retryAfterSeconds: 300 })));
    expect(problem).toMatchObject({ detail: 'The site is down for maintenance.', retryAfterSeconds: 300 });
  });

  it.each(Object.entries(worstReasons))('stays within 4 KB for the longest reason of %s', (_, reason) => {
    const json = renderMaintenanceJson({ reason, retryAfterSeconds: MAX_RETRY_AFTER_SECONDS });
    expect(bytes(json)).toBeLessThanOrEqual(MAX_BODY_BYTES);
    expect(JSON.parse(json).detail).toBe(reason);
  });

  it('throws rather than produce a body WAF would reject', () => {
    expect(() => renderMaintenanceJson(anInput({ reason: '\u0001'.repeat(1000) }))).toThrow(RangeError);
  });
});

describe('both bodies', () => {
  it('fit WAF for every reason the API accepts', () => {
    const reason = fc
      .string({ unit: 'binary', maxLength: MAX_REASON_LENGTH })
      .filter((text) => text.length >= 1 && text.length <= MAX_REASON_LENGTH);
    const retryAfterSeconds = fc.integer({ min: 1, max: MAX_RETRY_AFTER_SECONDS });
    fc.assert(
      fc.property(reason, retryAfterSeconds, (r, s) => {
        const input = { reason: r, retryAfterSeconds: s };
        return (
          bytes(renderMaintenanceHtml(input)) <= MAX_BODY_BYTES &&
          bytes(renderMaintenanceJson(input)) <= MAX_BODY_BYTES
        );
      }),
    );
  });
});

describe.each(TEMPLATES)('the generated $constant', ({ path, constant }) => {
  const template = readFileSync(resolve(ROOT, path), 'utf8');

  it(`is in sync with ${path} (run npm run build:site)`, () => {
    expect(generated[constant]).toBe(shellFromTemplate(template));
  });

  it('is in the module the build script writes, byte for byte', () => {
    const written = readFileSync(resolve(ROOT, SHELL_MODULE_PATH), 'utf8');
    const bodies = Object.fromEntries(
      TEMPLATES.map((t) => [t.constant, shellFromTemplate(readFileSync(resolve(ROOT, t.path), 'utf8'))]),
    ) as Parameters<typeof shellModule>[0];
    expect(written).toBe(shellModule(bodies));
  });
});

describe('the hosted shell', () => {
  it('has exactly the two placeholders', () => {
    expect([...new Set(MAINTENANCE_SHELL.match(/\{\{[^}]*\}\}/g))].sort()).toEqual([
      '{{reason}}',
      '{{retryAfterSeconds}}',
    ]);
  });
});

describe('shellFromTemplate', () => {
  it('drops comments and line breaks between tags, and keeps wrapped text one space apart', () => {
    const template =
      '<!-- note -->\n<p>\n  Back in\n  about <b>5</b> minutes.\n</p>\n  {{reason}}\n<p>a  b</p>\n';
    expect(shellFromTemplate(template)).toBe('<p> Back in about <b>5</b> minutes. </p>{{reason}}<p>a  b</p>');
  });

  it('keeps a space between inline tags written on one line', () => {
    expect(shellFromTemplate('<p><b>a</b> <i>b</i></p>')).toBe('<p><b>a</b> <i>b</i></p>');
  });
});
