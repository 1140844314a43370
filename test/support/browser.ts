// Real headless Chromium for the browser tests: Debian's `chromium` driven by playwright-core (no
// browser download). `.ci/run` installs it when missing; elsewhere a machine without it skips these
// tests with a message saying how to run them, unless REQUIRE_BROWSER=1 (CI) makes that a failure.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Why the browser tests cannot run here, or null when they can. Throws when REQUIRE_BROWSER=1 and they cannot. */
export function browserUnavailable(): string | null {
  if (existsSync(CHROMIUM_PATH)) return null;
  const why = `no Chromium at ${CHROMIUM_PATH}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`;
  if (process.env.REQUIRE_BROWSER === '1') throw new Error(`browser tests are required (REQUIRE_BROWSER=1) but ${why}`);
  return why;
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: FLAGS });
}

/** A phone: 390 × 844 CSS pixels at 3×, touch, a mobile user agent (an iPhone 14's screen). */
export async function phoneContext(browser: Browser, options: { javaScriptEnabled?: boolean } = {}): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 3,
    isMobile: true,
    hasTouch: true,
    locale: 'en-GB',
    timezoneId: 'Europe/Berlin',
    userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36',
    javaScriptEnabled: options.javaScriptEnabled ?? true,
  });
}
