import { existsSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenSession, ENGINES, type Session, startTestApp, type TestApp } from './helpers.js';

/**
 * The sandbox bank in a real browser (Debian's Chromium through playwright-core), under the app's real CSP: the
 * page has no script, its form posts and the 303 redirect land back on the portal. Skipped without Chromium.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const describeBrowser = existsSync(CHROMIUM) ? describe : describe.skip;

describeBrowser.each(ENGINES)('sandbox bank in Chromium on %s', (engine) => {
  let t: TestApp;
  let browser: Browser;
  let citizen: Session;
  beforeAll(async () => {
    t = await startTestApp(engine, { dossiers: 0, listen: true });
    citizen = await citizenSession(t, '040090001234');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows an accessible page without script and brings the citizen back to the dossier', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/dossiers',
      headers: citizen.headers,
      payload: {
        procedureCode: '1.013225',
        channel: 'online',
        competentUnit: 'H41.50',
        applicant: { name: 'Nguyễn Văn Minh', idNumber: '040090001234' },
        formData: {
          hoTen: 'Nguyễn Văn Minh',
          soDinhDanh: '040090001234',
          ngaySinh: '1990-05-12',
          diaChi: 'Số 12 đường Lê Lợi, phường Hưng Bình',
          soDienThoai: '0912345678',
          loaiCongTrinh: 'Nhà ở riêng lẻ',
          diaDiemXayDung: 'Thửa 45, tờ bản đồ 12',
          thuaDatToBanDo: 'Thửa 45, tờ 12',
          dienTichXayDung: 96,
          tongDienTichSan: 280,
          soTang: 3,
        },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const code = res.json().code as string;
    const pay = await t.app.inject({
      method: 'POST',
      url: `/api/dossiers/${code}/payments`,
      headers: citizen.headers,
      payload: {},
    });
    const { redirectUrl } = pay.json() as { redirectUrl: string };

    const context = await browser.newContext({ baseURL: t.baseUrl, locale: 'vi-VN' });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    await page.goto(redirectUrl);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain(
      'NGÂN HÀNG MÔ PHỎNG — bản trình diễn',
    );
    expect(await page.locator('dd.amount').textContent()).toBe('75.000 ₫');
    const axe = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);

    await page.getByRole('button', { name: /Thanh toán/ }).click();
    await page.waitForURL((u) => u.pathname === `/ho-so/${code}`);
    expect(new URL(page.url()).searchParams.get('thanh-toan')).toBe('thanh-cong');
    expect(problems.filter((p) => /Content Security Policy/i.test(p))).toEqual([]);
    await context.close();

    const row = await t.ctx.database.db
      .selectFrom('payments as p')
      .innerJoin('dossiers as d', 'd.id', 'p.dossier_id')
      .select('p.status')
      .where('d.code', '=', code)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('paid');
  });
});
