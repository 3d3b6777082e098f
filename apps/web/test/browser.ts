import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
} from 'playwright-core';
import { describe } from 'vitest';
import { DEMO_PASSWORD } from '../../server/src/demo/organisation.js';

/**
 * Browser journeys run in Debian's Chromium driven by playwright-core (never a downloaded browser). A laptop
 * without Chromium skips them; CI sets TINHSO_REQUIRE_BROWSER so that a missing browser fails instead.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && process.env.TINHSO_REQUIRE_BROWSER) {
  throw new Error(`Chromium not found at ${CHROMIUM} (TINHSO_REQUIRE_BROWSER is set)`);
}
export const describeBrowser = available ? describe : describe.skip;

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

export const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
};
export const DESKTOP = { viewport: { width: 1280, height: 800 } };

export function newContext(
  browser: Browser,
  baseURL: string,
  size: BrowserContextOptions = PHONE,
): Promise<BrowserContext> {
  return browser.newContext({ ...size, baseURL, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
}

/** Screenshots land in .tmp/screenshots (not committed) so a person can look at them after a run. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = join(process.cwd(), '.tmp', 'screenshots');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** axe-core on the current page: the serious and critical violations (an empty list is the aim). */
export async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Logs in on the simulated VNeID page the portal's login link leads to. */
export async function loginOnDemoVneid(page: Page, personalId: string): Promise<void> {
  await page.locator('#personalId').fill(personalId);
  await page.locator('#password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: /Đăng nhập/ }).click();
}
