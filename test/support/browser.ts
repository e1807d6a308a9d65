import { type Browser, type BrowserContextOptions, chromium, type Page } from 'playwright-core';

/**
 * Debian's Chromium driven by playwright-core (its own browser download cannot work on these machines),
 * with the flags a closed network needs: no background networking, no component updates.
 */
export const CHROMIUM = '/usr/bin/chromium';
export const BROWSER_WAIT_MS = 10_000;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    timeout: 30_000,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

export interface OpenPage {
  page: Page;
  /** Every URL the page asked for, in order. */
  requests: string[];
  close(): Promise<void>;
}

/** A fresh context (en-US, UTC) and page, recording what the page asks for. */
export async function openPage(browser: Browser, options: BrowserContextOptions = {}): Promise<OpenPage> {
  const context = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC', ...options });
  context.setDefaultTimeout(BROWSER_WAIT_MS);
  context.setDefaultNavigationTimeout(BROWSER_WAIT_MS);
  const page = await context.newPage();
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  return { page, requests, close: () => context.close() };
}
