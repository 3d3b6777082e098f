import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../server/src/demo/organisation.js';
import { pdfBytes } from '../../server/test/file-fixtures.js';
import { startTestApp, type TestApp } from '../../server/test/helpers.js';
import { DESKTOP, describeBrowser, launch, newContext, screenshot, seriousViolations } from './browser.js';

/**
 * The back office of issue 4 in Debian's Chromium: Bà Hường's death registration at the commune counter with a
 * scanned paper (Mẫu 01), then the specialist, the chairman and the clerk each act from their workspace, and the
 * reception officer returns the result by post; the control sheet grows at each step. axe-core on every page.
 */
describeBrowser('officer back office in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const visited: { name: string; violations: string[] }[] = [];
  let code = '';

  beforeAll(async () => {
    t = await startTestApp('pglite', { dossiers: 20, listen: true });
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
  async function officer(username: string) {
    const context = await newContext(browser, base, DESKTOP);
    const page = await context.newPage();
    await page.goto('/can-bo');
    await page.locator('#username').fill(username);
    await page.locator('#password').fill(DEMO_PASSWORD);
    await page.locator('#login-submit').click();
    await expect.poll(() => page.locator('#o-tiles a').count()).toBeGreaterThan(0);
    return { context, page };
  }
  /** Opens the dossier, runs one action through its form, and returns the status shown afterwards. */
  async function act(page: Page, type: string, fill?: (p: Page) => Promise<void>) {
    await page.goto(`/can-bo/ho-so/${code}`);
    await page.locator(`#ws-act-${type}`).click();
    await expect.poll(() => page.locator(`#ws-form-${type}`).count()).toBe(1);
    if (fill) await fill(page);
    const before = await page.locator('#ws-actions tbody tr').count();
    await page.locator('#ws-act-submit').click();
    await expect.poll(() => page.locator('#ws-actions tbody tr').count()).toBe(before + 1);
  }

  it('registers a paper dossier at the counter with a scanned component and prints Mẫu 01', async () => {
    const { context, page } = await officer('tiepnhan.50');
    await check(page, 'o01-officer-home');
    await page.keyboard.press('Alt+n');
    await expect.poll(() => page.locator('#intake-form').count()).toBe(1);
    await page.locator('#intake-pid').fill('040164005678');
    await page.keyboard.press('Enter');
    // The platform knows her: name and contact are filled in from the citizen record.
    await expect.poll(() => page.locator('#intake-name').inputValue()).not.toBe('');
    await page.locator('#intake-proc-q').fill('dang ky khai tu');
    await page.keyboard.press('Enter');
    await page.locator('#intake-proc-results button[data-code="1.000656"]').click();
    await expect.poll(() => page.locator('#intake-competent').inputValue()).toBe('H41.50');
    await page
      .locator('#intake-components li[data-code="TP01"] input[type=file]')
      .setInputFiles({ name: 'giay-bao-tu.pdf', mimeType: 'application/pdf', buffer: pdfBytes() });
    await expect
      .poll(() => page.locator('#intake-components li[data-code="TP01"] .file-name').count())
      .toBe(1);
    await page.locator('#intake-components li[data-code="TP06"] input[type=checkbox]').check();
    await check(page, 'o02-counter-intake');
    await page.locator('#intake-submit').click();
    await expect.poll(() => page.locator('#intake-code').count()).toBe(1);
    code = (await page.locator('#intake-code').innerText()).trim();
    expect(await page.locator('#intake-pdf').getAttribute('href')).toBe(
      `/api/dossiers/${code}/forms/receipt`,
    );
    await check(page, 'o03-counter-accepted');
    const comps = await page.request.get(`/api/dossiers/${code}/components`);
    const tp01 = (await comps.json()).items.find((c: { code: string }) => c.code === 'TP01');
    expect(tp01).toMatchObject({ provided: true, digitized: true });
    expect(tp01.files).toHaveLength(1);
    await context.close();
  });

  it('moves the dossier specialist → chairman → clerk → returned, with the control sheet at each step', async () => {
    let s = await officer('tuphap.50');
    await s.page.goto('/can-bo/hang-doi/to_process');
    await s.page.keyboard.press('/');
    await s.page.keyboard.type(code);
    await s.page.keyboard.press('Enter');
    await expect.poll(() => s.page.locator('#queue-table tbody tr').count()).toBe(1);
    await expect.poll(() => s.page.locator('#queue-table [data-light]').count()).toBe(1);
    await check(s.page, 'o04-queue-to-process');
    await s.page.locator('#queue-table tbody tr').first().focus();
    await s.page.keyboard.press('Enter');
    await s.page.waitForURL(`**/can-bo/ho-so/${code}`);
    await expect.poll(() => s.page.locator('#ws-title').count()).toBe(1);
    await check(s.page, 'o05-workspace-specialist');
    // The scanned PDF opens inside the page (the file is served with CSP sandbox; Chromium's viewer shows it).
    await s.page.locator('button[data-file]').first().click();
    await expect
      .poll(() => s.page.locator('#ws-viewer iframe').getAttribute('src'))
      .toMatch(/^\/api\/files\//);
    await act(s.page, 'comment', (p) => p.locator('#ws-f-text').fill('Đủ điều kiện, đề nghị ký.'));
    // A specialist may not list the unit's officers (only a head assigns work): the forward form does not ask.
    const refused: string[] = [];
    s.page.on('response', (r) => {
      if (r.status() >= 400) refused.push(`${r.status()} ${r.url()}`);
    });
    s.page.on('console', (m) => {
      if (m.type() === 'error') refused.push(m.text());
    });
    await act(s.page, 'forward', async (p) => {
      expect(await p.locator('#ws-f-assignee').count()).toBe(0);
      await p.locator('#ws-f-note').fill('Trình Chủ tịch ký');
    });
    expect(refused).toEqual([]);
    await s.context.close();

    s = await officer('chutich.50');
    // The chairman heads the commune: he may hand the next step to one of its officers.
    await act(s.page, 'forward', async (p) => {
      expect(await p.locator('#ws-f-assignee option').count()).toBeGreaterThan(1);
      // Sent to another agency, the dossier is assigned there: the commune's officers are no longer offered.
      await p.locator('#ws-f-toUnit').selectOption('H41.05');
      await expect.poll(() => p.locator('#ws-forward-assignee-hint').count()).toBe(1);
      expect(await p.locator('#ws-f-assignee').count()).toBe(0);
      await p.locator('#ws-f-toUnit').selectOption('');
      await expect.poll(() => p.locator('#ws-f-assignee option').count()).toBeGreaterThan(1);
    });
    await s.context.close();
    s = await officer('vanthu.50');
    await act(s.page, 'finish');
    await s.context.close();

    s = await officer('tiepnhan.50');
    await act(s.page, 'return_result', async (p) => {
      await p.locator('#ws-f-method').selectOption('post');
      await p.locator('#ws-f-tracking').fill('EB123456789VN');
    });
    await expect
      .poll(() => s.page.locator('#ws-status [data-status]').getAttribute('data-status'))
      .toBe('10');
    // Mẫu 05: every step completed, with its timing, and every hand-over logged.
    expect(await s.page.locator('#ws-steps tbody tr').count()).toBe(4);
    expect(await s.page.locator('#ws-steps [data-timing]').count()).toBe(4);
    const log = await s.page.locator('#ws-actions').innerText();
    for (const word of [
      'Nộp hồ sơ',
      'Tiếp nhận',
      'Ý kiến nội bộ',
      'Chuyển bước tiếp theo',
      'Kết thúc xử lý',
      'Trả kết quả',
    ])
      expect(log).toContain(word);
    expect(await s.page.locator('#ws-applicant').innerText()).toContain('EB123456789VN');
    await check(s.page, 'o06-workspace-returned');
    await s.context.close();
  });

  it('has no serious or critical accessibility violation on any page it visited', () => {
    const bad = visited.filter((v) => v.violations.length > 0);
    expect(bad, JSON.stringify(bad, null, 2)).toEqual([]);
    expect(visited.length).toBeGreaterThanOrEqual(6);
  });
});
