import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../server/test/helpers.js';
import {
  DESKTOP,
  describeBrowser,
  launch,
  newContext,
  PHONE,
  screenshot,
  seriousViolations,
} from './browser.js';

const vi = new Intl.NumberFormat('vi-VN');
const pct = (x: number | null) => (x === null ? 'Chưa có' : `${(x * 100).toFixed(1).replace('.', ',')} %`);

/**
 * Issue 6 item 5 in Chromium: a person opens "Minh bạch kết quả giải quyết" from the footer, picks a commune and a
 * period, reads the tiles (equal to the public API), sorts the table per procedure and downloads the CSV; the
 * province on a desktop. axe-core checks every page; screenshots at 390 px and 1280 px.
 */
describeBrowser('public transparency pages in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const visited: { name: string; violations: string[] }[] = [];

  beforeAll(async () => {
    t = await startTestApp('pglite', { dossiers: 120, listen: true });
    base = t.baseUrl!;
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function check(page: Page, name: string) {
    await page.waitForLoadState('networkidle');
    visited.push({ name, violations: await seriousViolations(page) });
    await screenshot(page, name);
  }
  const publicFigures = async (code: string) => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/public/transparency/${code}?period=2026&kind=year`,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const tileValue = (page: Page, id: string) => page.locator(`#${id} .mb-value`).innerText();

  it('picks a commune and a period on a phone, sees the API figures, sorts and downloads the CSV', async () => {
    const context = await newContext(browser, base, PHONE);
    const page = await context.newPage();
    await page.goto('/');
    await page.locator('#foot-transparency').click();
    await page.waitForURL('**/minh-bach');
    await expect.poll(() => page.locator('#tp-agency option').count()).toBeGreaterThan(10);
    expect(await page.locator('h1').innerText()).toBe('Minh bạch kết quả giải quyết thủ tục hành chính');
    const groups = await page
      .locator('#tp-agency optgroup')
      .evaluateAll((els) => els.map((e) => e.getAttribute('label')));
    expect(groups).toEqual(['Cấp tỉnh', 'Sở, ban, ngành', 'Xã, phường']);
    await check(page, 'mb01-picker-phone');

    await page.locator('#tp-agency').selectOption('H41.50');
    await page.locator('#tp-period').selectOption('year|2026');
    await page.locator('#tp-show').click();
    await page.waitForURL('**/minh-bach/H41.50?ky=2026');
    await expect.poll(() => page.locator('#tile-received').count()).toBe(1);
    const f = await publicFigures('H41.50');
    expect(await page.locator('h1').innerText()).toBe('Ủy ban nhân dân phường Trường Vinh');
    const trail = page.locator('nav.crumbs li');
    expect(await trail.allInnerTexts()).toEqual([
      'Trang chủ',
      'Minh bạch kết quả giải quyết',
      'Ủy ban nhân dân phường Trường Vinh',
    ]);
    expect(await trail.last().getAttribute('aria-current')).toBe('page');
    expect(await tileValue(page, 'tile-received')).toBe(vi.format(f.counts.received));
    expect(await tileValue(page, 'tile-resolved')).toBe(vi.format(f.counts.resolved));
    expect(await tileValue(page, 'tile-ontime')).toBe(pct(f.shares.onTime));
    expect(await tileValue(page, 'tile-online')).toBe(pct(f.shares.online));
    expect(await tileValue(page, 'tile-paid')).toBe(pct(f.shares.paidOnline));
    expect(await tileValue(page, 'tile-satisfied')).toBe(pct(f.shares.satisfied));
    expect(await tileValue(page, 'tile-digitized')).toBe(pct(f.shares.digitized));
    expect(await page.locator('#tile-satisfied .mb-sub').innerText()).toBe(`${f.counts.rated} lượt đánh giá`);
    expect(await page.locator('#tp-period-line').innerText()).toContain('Kỳ: 01/01/2026 – 31/12/2026');
    expect(await tileValue(page, 'tile-ontime')).toMatch(/^\d{1,3},\d %$/);

    // The table per procedure: every procedure, most decided first; a click sorts the other way.
    const decided = async () =>
      (await page.locator('#tp-table tbody .mb-decided').allInnerTexts()).map((s) =>
        Number(s.replace(/\D/g, '')),
      );
    expect(await page.locator('#tp-table tbody tr').count()).toBe(f.procedures.length);
    const first = await decided();
    expect(first).toEqual([...first].sort((a, b) => b - a));
    expect(first.reduce((a, n) => a + n, 0)).toBe(
      f.procedures.reduce((a: number, p: { decided: number }) => a + p.decided, 0),
    );
    expect(await page.locator('th[aria-sort="descending"]').innerText()).toContain('Đã giải quyết');
    await check(page, 'mb02-commune-phone');
    await page.locator('#tp-sort-decided').click();
    await expect.poll(() => page.locator('th[aria-sort="ascending"]').count()).toBe(1);
    const ascending = await decided();
    expect(ascending).toEqual([...first].sort((a, b) => a - b));

    // The download link gives the CSV of this commune and this period, with the BOM.
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#tp-csv').click()]);
    expect(download.suggestedFilename()).toBe('minh-bach-ket-qua-giai-quyet-H41.50-2026.csv');
    const bytes = readFileSync((await download.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text.split('\r\n')[0]).toMatch(/^agency_code,agency_name,agency_level,row_type,procedure_code/);
    expect(text).toContain(
      'H41.50,Ủy ban nhân dân phường Trường Vinh,commune,total,,Tổng cộng,2026-01-01,2026-12-31',
    );
    const json = await page.request.get((await page.locator('#tp-json').getAttribute('href')) as string);
    expect(json.status()).toBe(200);
    expect((await json.json()).rows.length).toBe(f.procedures.length + 1);

    // Changing the period on the page shows it at once.
    await page.locator('#tp-period').selectOption('quarter|2026-Q4');
    await page.waitForURL('**/minh-bach/H41.50?ky=2026-Q4');
    await expect.poll(() => page.locator('#tp-period-line').innerText()).toContain('01/10/2026 – 31/12/2026');
    await context.close();
  });

  it('shows the province on a desktop, in English too, and says when an agency does not exist', async () => {
    const context = await newContext(browser, base, DESKTOP);
    const page = await context.newPage();
    await page.goto('/minh-bach');
    await expect.poll(() => page.locator('#tp-browse').count()).toBe(1);
    await check(page, 'mb03-picker-desktop');
    await page.locator('main a[href^="/minh-bach/H41?"]').click();
    await page.waitForURL('**/minh-bach/H41?ky=*');
    await expect.poll(() => page.locator('#tile-received').count()).toBe(1);
    const f = await publicFigures('H41');
    expect(await tileValue(page, 'tile-received')).toBe(vi.format(f.counts.received));
    expect(await tileValue(page, 'tile-ontime')).toBe(pct(f.shares.onTime));
    expect(await tileValue(page, 'tile-satisfied')).toBe(pct(f.shares.satisfied));
    await check(page, 'mb04-province-desktop');

    await page.locator('#lang-toggle').click();
    await expect.poll(() => page.locator('#tile-received .mb-label').innerText()).toBe('Dossiers received');
    expect(await tileValue(page, 'tile-ontime')).toBe(`${(f.shares.onTime * 100).toFixed(1)}%`);
    await page.locator('#lang-toggle').click();

    await page.goto('/minh-bach/H99');
    await expect.poll(() => page.locator('#tp-error').innerText()).toContain('Không có cơ quan «H99»');
    await context.close();
  });

  it('has no serious accessibility violation on any page visited', () => {
    expect(visited.length).toBe(4);
    expect(visited.filter((v) => v.violations.length > 0)).toEqual([]);
  });
});
