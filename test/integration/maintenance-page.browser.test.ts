import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, resolve } from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { renderMaintenanceHtml } from '../../src/domain/maintenance-page';
import {
  BROWSER_WAIT_MS,
  launchChromium,
  type OpenPage,
  openPage as openInBrowser,
} from '../support/browser';

/**
 * The maintenance page in a real browser (Debian's Chromium): the WAF shell as CloudFront would serve it
 * during maintenance, the /maintenance/ assets beside it, and the origin-error page. Screenshots land in
 * test-artifacts/ for a human to look at.
 */
const ROOT = resolve(__dirname, '../..');
const SITE = resolve(ROOT, 'maintenance-site');
const ARTIFACTS = resolve(ROOT, 'test-artifacts');
const WAIT_MS = BROWSER_WAIT_MS;
const REASON = 'Database upgrade <b>now</b>';
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
};
const BACK_PAGE = '<!doctype html><html lang="en"><title>Shop</title><h1>Welcome back</h1></html>';

/** What the origin answers outside /maintenance/: the WAF's 503 (or the site once it is back). */
interface SiteState {
  back: boolean;
  retryAfter: number;
  reason: string;
  hits: number;
}

const state: SiteState = { back: false, retryAfter: 1800, reason: REASON, hits: 0 };
const assets = new Set(readdirSync(SITE));
let server: Server;
let origin: string;
let browser: Browser;

function serve(req: IncomingMessage, res: ServerResponse): void {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  const asset = path.startsWith('/maintenance/') ? path.slice('/maintenance/'.length) : null;
  if (asset !== null) {
    if (!assets.has(asset)) return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': CONTENT_TYPES[extname(asset)] ?? 'application/octet-stream' });
    return void res.end(readFileSync(resolve(SITE, asset)));
  }
  // Browsers ask for it on their own; counting it would blur how often the page itself checks back.
  if (path === '/favicon.ico') return void res.writeHead(404).end();
  if (path === '/origin-down') {
    // CloudFront's custom error response for a failing origin: the static page, no Retry-After.
    res.writeHead(503, { 'Content-Type': CONTENT_TYPES['.html'], 'Cache-Control': 'no-store' });
    return void res.end(readFileSync(resolve(SITE, 'index.html')));
  }
  state.hits += 1;
  if (state.back) {
    res.writeHead(200, { 'Content-Type': CONTENT_TYPES['.html'] });
    return void res.end(BACK_PAGE);
  }
  res.writeHead(503, {
    'Content-Type': 'text/html',
    'Retry-After': String(state.retryAfter),
    'Cache-Control': 'no-store',
  });
  res.end(renderMaintenanceHtml({ reason: state.reason, retryAfterSeconds: state.retryAfter }));
}

/** Polls a condition of the test's own state (the page's are awaited with waitForFunction), bounded. */
async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${WAIT_MS} ms waiting for ${what}`);
    await new Promise((next) => setTimeout(next, 25));
  }
}

const openPage = (options: BrowserContextOptions): Promise<OpenPage> => openInBrowser(browser, options);

/** WCAG contrast ratios of the page's text against the first opaque background behind it. */
function contrastRatios(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => {
    const rgb = (css: string) => (css.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = ([r = 0, g = 0, b = 0]: number[]) => {
      const [lr = 0, lg = 0, lb = 0] = [r, g, b].map((c) => {
        const s = c / 255;
        return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * lr + 0.7152 * lg + 0.0722 * lb;
    };
    const background = (element: Element | null): number[] => {
      for (let e = element; e; e = e.parentElement) {
        const color = rgb(getComputedStyle(e).backgroundColor);
        if (color.length === 3 || (color[3] ?? 0) > 0) return color;
      }
      return [255, 255, 255];
    };
    const ratios: Record<string, number> = {};
    for (const selector of ['h1', 'h1 + p:not([class])', '.eta', '#status', 'button']) {
      const element = document.querySelector(selector);
      if (!element) continue;
      const a = luminance(rgb(getComputedStyle(element).color));
      const b = luminance(background(element));
      ratios[selector] = Math.round(((Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)) * 100) / 100;
    }
    return ratios;
  });
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = createServer(serve);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
});

beforeEach(() => {
  Object.assign(state, { back: false, retryAfter: 1800, reason: REASON, hits: 0 });
});

describe('the maintenance page (WAF shell)', () => {
  const layouts = [
    { width: 1280, height: 800 },
    { width: 390, height: 844 },
  ];
  const schemes = ['light', 'dark'] as const;
  const cases = layouts.flatMap((viewport) => schemes.map((colorScheme) => ({ viewport, colorScheme })));

  it.each(cases)(
    'reads well at $viewport.width px in $colorScheme mode',
    async ({ viewport, colorScheme }) => {
      const { page, requests, close } = await openPage({ viewport, colorScheme });
      try {
        const response = await page.goto(`${origin}/checkout?step=2`);
        expect(response?.status()).toBe(503);

        await expect(page.locator('h1').textContent()).resolves.toBe('Down for maintenance');
        await page.locator('#eta time').waitFor();
        const text = await page.locator('main').textContent();
        expect(text).toContain(REASON); // the markup shows as text
        expect(text).toMatch(/back in about 30 minutes \(around \d{1,2}:\d{2}\s?[AP]M\)/);
        expect(await page.locator('main b').count()).toBe(0);

        const structure = await page.evaluate(() => ({
          lang: document.documentElement.lang,
          mains: document.querySelectorAll('main').length,
          h1s: document.querySelectorAll('h1').length,
          siteStyle: getComputedStyle(document.documentElement).getPropertyValue('--site-style').trim(),
          accentBorder: getComputedStyle(document.querySelector('main') as Element).borderTopWidth,
          overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
          liveRegion: document.querySelector('[aria-live="polite"]')?.textContent ?? '',
          eta: document.querySelector('#eta time')?.getAttribute('datetime') ?? '',
        }));
        expect(structure).toMatchObject({
          lang: 'en',
          mains: 1,
          h1s: 1,
          siteStyle: 'loaded',
          accentBorder: '6px',
        });
        expect(structure.overflow).toBeLessThanOrEqual(0);
        expect(structure.liveRegion).toMatch(/check again automatically at \d{1,2}:\d{2}:\d{2}/);
        // Page load + Retry-After, to within the time the test itself takes.
        expect(Math.abs(Date.parse(structure.eta) - (Date.now() + 1800_000))).toBeLessThan(60_000);

        const ratios = await contrastRatios(page);
        expect(Object.keys(ratios)).toHaveLength(5);
        for (const [selector, ratio] of Object.entries(ratios)) {
          expect({ selector, aa: ratio >= 4.5 }).toEqual({ selector, aa: true });
        }

        await page.screenshot({
          path: resolve(ARTIFACTS, `maintenance-page-${viewport.width}-${colorScheme}.png`),
          fullPage: true,
        });
        expect(requests.length).toBeGreaterThanOrEqual(3);
        expect(requests.filter((url) => !url.startsWith(`${origin}/`))).toEqual([]);
        expect(requests).toEqual(
          expect.arrayContaining([`${origin}/maintenance/style.css`, `${origin}/maintenance/app.js`]),
        );
      } finally {
        await close();
      }
    },
  );

  it('wraps the longest, most escapable reason without scrolling sideways on a 320 px phone', async () => {
    state.reason = '"'.repeat(500);
    const { page, close } = await openPage({ viewport: { width: 320, height: 640 } });
    try {
      await page.goto(`${origin}/`);
      await expect(page.locator('h1 + p').textContent()).resolves.toBe('"'.repeat(500));
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);
    } finally {
      await close();
    }
  });

  it('shows a visible focus ring and stops its animation for reduced motion', async () => {
    const { page, close } = await openPage({ reducedMotion: 'reduce' });
    try {
      await page.goto(`${origin}/`);
      await page.locator('#check').waitFor({ state: 'visible' });
      await page.keyboard.press('Tab');
      const styles = await page.evaluate(() => {
        const button = document.querySelector('#check') as Element;
        const dot = getComputedStyle(document.querySelector('#status') as Element, '::before');
        return {
          focused: document.activeElement === button,
          outline: getComputedStyle(button).outlineStyle,
          outlineWidth: getComputedStyle(button).outlineWidth,
          animation: dot.animationName,
        };
      });
      expect(styles).toEqual({ focused: true, outline: 'solid', outlineWidth: '3px', animation: 'none' });
    } finally {
      await close();
    }
  });

  it('animates the status dot when motion is welcome', async () => {
    const { page, close } = await openPage({ reducedMotion: 'no-preference' });
    try {
      await page.goto(`${origin}/`);
      await page.locator('#status time').waitFor();
      const animation = await page.evaluate(
        () => getComputedStyle(document.querySelector('#status') as Element, '::before').animationName,
      );
      expect(animation).toBe('pulse');
    } finally {
      await close();
    }
  });

  it('still reads when its assets cannot be loaded', async () => {
    const { page, close } = await openPage({});
    try {
      await page.route('**/maintenance/**', (route) => route.abort());
      await page.goto(`${origin}/`);
      const text = await page.locator('main').textContent();
      expect(text).toContain('Down for maintenance');
      expect(text).toContain(REASON);
      expect(text).toContain('We expect to be back in about 1800 seconds.');
      await expect(page.locator('#check').isVisible()).resolves.toBe(false);
    } finally {
      await close();
    }
  });
});

describe('the maintenance page checking back', () => {
  const statusText = (page: Page) => page.locator('#status').textContent();

  it('waits out Retry-After, follows a new one, and reloads once the site answers', async () => {
    const { page, requests, close } = await openPage({});
    try {
      await page.clock.install({ time: new Date('2030-01-01T10:00:00Z') });
      await page.goto(`${origin}/`);
      await expect(page.locator('#eta').textContent()).resolves.toBe('30 minutes (around 10:30 AM)');
      expect(state.hits).toBe(1);

      // Retry-After 1800 s is clamped to 15 minutes, plus at most 10% jitter: nothing before 900 s.
      await page.clock.fastForward('14:50');
      await expect(statusText(page)).resolves.toMatch(/check again automatically at 10:1[56]:\d\d/);
      expect(state.hits).toBe(1);

      state.retryAfter = 45;
      await page.clock.fastForward('01:40');
      await page.waitForFunction(() => document.querySelector('#eta')?.textContent?.startsWith('a minute'));
      expect(state.hits).toBe(2);
      await expect(statusText(page)).resolves.toMatch(/check again automatically at 10:17:\d\d/);

      state.back = true;
      await page.clock.fastForward('00:55');
      await page.locator('h1', { hasText: 'Welcome back' }).waitFor();
      expect(state.hits).toBe(4); // the check, then the reload
      expect(requests.filter((url) => !url.startsWith(`${origin}/`))).toEqual([]);
    } finally {
      await close();
    }
  });

  it('checks at once when asked to', async () => {
    const { page, close } = await openPage({});
    try {
      await page.clock.install({ time: new Date('2030-01-01T10:00:00Z') });
      await page.goto(`${origin}/`);
      await page.locator('#check').click();
      await until(() => state.hits === 2, 'a second request');
      await page.waitForFunction(() =>
        document.querySelector('#status')?.textContent?.includes('automatically at'),
      );
      await expect(page.locator('#check').getAttribute('aria-disabled')).resolves.toBeNull();
    } finally {
      await close();
    }
  });

  it('does not check while the tab is hidden, and catches up when it is shown again', async () => {
    const { page, close } = await openPage({});
    try {
      await page.clock.install({ time: new Date('2030-01-01T10:00:00Z') });
      await page.goto(`${origin}/`);
      await page.evaluate(() => {
        Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
        document.dispatchEvent(new Event('visibilitychange'));
      });
      await expect(statusText(page)).resolves.toContain('paused');
      await page.clock.fastForward('20:00');
      await expect(statusText(page)).resolves.toContain('paused');
      expect(state.hits).toBe(1);

      await page.evaluate(() => {
        Object.defineProperty(document, 'hidden', { configurable: true, get: () => false });
        document.dispatchEvent(new Event('visibilitychange'));
      });
      await until(() => state.hits === 2, 'a second request');
    } finally {
      await close();
    }
  });
});

describe('the origin-error page', () => {
  it('renders without a reason and checks back about every minute', async () => {
    const { page, requests, close } = await openPage({ viewport: { width: 390, height: 844 } });
    try {
      await page.clock.install({ time: new Date('2030-01-01T10:00:00Z') });
      const response = await page.goto(`${origin}/origin-down`);
      expect(response?.status()).toBe(503);
      await expect(page.locator('h1').textContent()).resolves.toBe('We’ll be right back');
      await expect(page.locator('main').textContent()).resolves.toContain('We’re working on it.');
      await page.locator('#status time').waitFor();
      await expect(page.locator('#status').textContent()).resolves.toMatch(/at 10:01:0\d/);
      const siteStyle = await page.evaluate(() =>
        getComputedStyle(document.documentElement).getPropertyValue('--site-style').trim(),
      );
      expect(siteStyle).toBe('loaded');
      await page.screenshot({ path: resolve(ARTIFACTS, 'maintenance-origin-error-390-light.png') });
      expect(requests.filter((url) => !url.startsWith(`${origin}/`))).toEqual([]);
    } finally {
      await close();
    }
  });
});
