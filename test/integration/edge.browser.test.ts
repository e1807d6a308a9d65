import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { awsDeps } from '../../handlers/lib/aws-deps';
import type { RunningEdge } from '../../scripts/local/edge/edge-server';
import { MAINTENANCE_PROBLEM_TYPE } from '../../src/domain/maintenance-page';
import { getMaintenanceStatus } from '../../src/use-cases/get-maintenance-status';
import { launchChromium, openPage } from '../support/browser';
import {
  type EdgeRig,
  type OriginAnswer,
  type RecordingOrigin,
  startEdgeRig,
  visit,
} from '../support/edge-rig';
import { handlerEnv } from '../support/stack';

/**
 * The whole path a visitor takes, end to end: a toggle through the real handler into the rule group in
 * moto, the local edge evaluating the web ACL the emulated distribution carries, and Debian's Chromium as
 * the visitor. Screenshots land in test-artifacts/ for a human to look at.
 */

const ARTIFACTS = resolve(__dirname, '../../test-artifacts');
const REASON = 'Database <upgrade> & "quotes" \'too\'';
const SHOP = '<!doctype html><html lang="en"><title>Shop</title><h1>Welcome to the shop</h1></html>';

describe('a visitor, through the local edge, in a browser', () => {
  let rig: EdgeRig;
  let origin: RecordingOrigin;
  let edge: RunningEdge;
  let browser: Browser;
  const toggle = (body: object) => rig.toggle(body);

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    // The team's origin: a shop page, and a 502 on /broken.
    rig = await startEdgeRig('eb', {
      answer: ({ url }): ReturnType<OriginAnswer> =>
        url === '/broken'
          ? { status: 502, headers: { 'content-type': 'text/plain' }, body: 'bad gateway' }
          : {
              status: 200,
              headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
              body: SHOP,
            },
    });
    ({ origin, edge } = rig);
    browser = await launchChromium();
    jest.spyOn(console, 'info').mockImplementation(() => undefined);
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await browser?.close();
    await rig?.close();
  });

  it('gets the site while maintenance is off', async () => {
    const { page, close } = await openPage(browser);
    try {
      const response = await page.goto(`${edge.url}/`);
      expect(response?.status()).toBe(200);
      await page.locator('h1', { hasText: 'Welcome to the shop' }).waitFor();
    } finally {
      await close();
    }
  });

  describe('while maintenance is on', () => {
    beforeAll(() => toggle({ enabled: true, reason: REASON, retryAfterSeconds: 1200 }));
    afterAll(() => toggle({ enabled: false }));

    it('gets a 503 with Retry-After 1200 and the page, the reason escaped, and never reaches the origin', async () => {
      const before = origin.seen.length;
      const res = await visit(edge, '/checkout');
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('1200');
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body).toContain('Database &lt;upgrade&gt; &amp; &quot;quotes&quot; &#39;too&#39;');
      expect(res.body).not.toContain('<upgrade>');
      expect(origin.seen.length).toBe(before);
    });

    it('answers a JSON client with problem+json and Retry-After', async () => {
      const res = await visit(edge, '/api/orders', { headers: { accept: 'application/json' } });
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('1200');
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(JSON.parse(res.body)).toEqual({
        type: MAINTENANCE_PROBLEM_TYPE,
        title: 'Down for maintenance',
        status: 503,
        detail: REASON,
        retryAfterSeconds: 1200,
      });
    });

    it('lets a person who opens the secret link browse the site; a browser without it still gets the page', async () => {
      const { bypassLink } = await getMaintenanceStatus(awsDeps(handlerEnv(rig.stack)));
      const holder = await openPage(browser);
      const stranger = await openPage(browser);
      try {
        const response = await holder.page.goto(`${edge.url}${bypassLink}`);
        // The 302 lands on /, which the cookie it set now lets through.
        expect(new URL(holder.page.url()).pathname).toBe('/');
        expect(response?.status()).toBe(200);
        await holder.page.locator('h1', { hasText: 'Welcome to the shop' }).waitFor();
        const [cookie] = await holder.page.context().cookies();
        expect(cookie).toMatchObject({
          name: 'maintenance_bypass',
          httpOnly: true,
          secure: true,
          sameSite: 'Lax',
          path: '/',
        });
        expect((await holder.page.goto(`${edge.url}/checkout`))?.status()).toBe(200);
        expect((await stranger.page.goto(`${edge.url}/checkout`))?.status()).toBe(503);
      } finally {
        await holder.close();
        await stranger.close();
      }
    });

    it('lets an address in the bypass set through to the site', async () => {
      await rig.bypass({ add: ['127.0.0.3'] });
      try {
        expect((await visit(edge, '/', { from: '127.0.0.3' })).body).toBe(SHOP);
        expect((await visit(edge, '/', { from: '127.0.0.2' })).status).toBe(503);
      } finally {
        await rig.bypass({ remove: ['127.0.0.3'] });
      }
    });

    it.each([
      { width: 1280, height: 800, colorScheme: 'light' as const },
      { width: 1280, height: 800, colorScheme: 'dark' as const },
      { width: 390, height: 844, colorScheme: 'light' as const },
      { width: 390, height: 844, colorScheme: 'dark' as const },
    ])(
      'shows the styled page at $width px in $colorScheme mode, every asset loaded, no console error',
      async (view) => {
        const { page, requests, close } = await openPage(browser, {
          viewport: { width: view.width, height: view.height },
          colorScheme: view.colorScheme,
        });
        const failed: string[] = [];
        const errors: string[] = [];
        const assets: Array<[string, number]> = [];
        page.on('requestfailed', (r) => failed.push(r.url()));
        // The document's own 503 is reported as a failed resource: that one is the point.
        page.on('console', (m) =>
          m.type() === 'error' && m.location().url !== `${edge.url}/`
            ? errors.push(`${m.location().url}: ${m.text()}`)
            : undefined,
        );
        page.on('response', (r) =>
          r.url().includes('/maintenance/') ? assets.push([r.url(), r.status()]) : undefined,
        );
        try {
          const response = await page.goto(`${edge.url}/`);
          expect(response?.status()).toBe(503);
          await page.locator('h1', { hasText: 'Down for maintenance' }).waitFor();
          await expect(page.locator('main p').first().textContent()).resolves.toBe(REASON);
          // The stylesheet applied: the shell alone does not set the page's background.
          await page.waitForFunction(() => getComputedStyle(document.body).getPropertyValue('--bg') !== '');
          await page.screenshot({
            path: resolve(ARTIFACTS, `edge-maintenance-${view.width}-${view.colorScheme}.png`),
            fullPage: true,
          });
          expect(failed).toEqual([]);
          expect(errors).toEqual([]);
          expect(assets.map(([url]) => new URL(url).pathname).sort()).toEqual([
            '/maintenance/app.js',
            '/maintenance/style.css',
          ]);
          expect(assets.every(([, status]) => status === 200)).toBe(true);
          expect(requests.every((url) => url.startsWith(`${edge.url}/`))).toBe(true);
        } finally {
          await close();
        }
      },
    );
  });

  it('checks back by itself, and reloads into the site once maintenance is off', async () => {
    await toggle({ enabled: true, reason: REASON, retryAfterSeconds: 1200 });
    const { page, close } = await openPage(browser);
    try {
      await page.clock.install({ time: new Date('2030-01-01T10:00:00Z') });
      expect((await page.goto(`${edge.url}/`))?.status()).toBe(503);
      await page.locator('h1', { hasText: 'Down for maintenance' }).waitFor();

      await toggle({ enabled: false });
      // Retry-After 1200 s is clamped to 15 minutes, plus at most 10% jitter.
      await page.clock.fastForward('16:40');
      await page.locator('h1', { hasText: 'Welcome to the shop' }).waitFor();
    } finally {
      await close();
    }
  });

  it('shows the 503 page for an origin 502 while maintenance is off', async () => {
    const { page, close } = await openPage(browser);
    try {
      const response = await page.goto(`${edge.url}/broken`);
      expect(response?.status()).toBe(503);
      await page.locator('h1').waitFor();
      await expect(page.locator('h1').textContent()).resolves.toBe('We’ll be right back');
      await page.screenshot({ path: resolve(ARTIFACTS, 'edge-origin-error-1280-light.png') });
    } finally {
      await close();
    }
  });
});
