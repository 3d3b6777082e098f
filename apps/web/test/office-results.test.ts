import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../server/src/demo/organisation.js';
import { login, startTestApp, type TestApp } from '../../server/test/helpers.js';
import { DESKTOP, describeBrowser, launch, newContext, screenshot, seriousViolations } from './browser.js';

/** Reads a PDF like a person with poppler's tools would (Debian poppler-utils, libnss3-tools; CI installs them). */
function tool(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { code?: string; stdout?: string };
    if (err.code === 'ENOENT')
      throw new Error(`${cmd} is missing: apt-get install poppler-utils libnss3-tools`);
    return err.stdout ?? '';
  }
}

/** Today in Viet Nam as YYYY-MM-DD. */
const todayVn = () => new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
const dmy = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

/**
 * Issue 4, the result of a dossier in the officer workspace: the specialist drafts a decision (Quyết định) from the
 * template the procedure's catalogue entry names, with its grounds and articles (errors of the form and of the
 * server under their fields); the chairman signs it, the clerk numbers and issues it; the downloaded PDF carries
 * Điều 1 and two valid, trusted signatures (pdfsig). Then the queue and leader date filters, typed dd/mm/yyyy
 * whatever the browser's language, kept in the address as YYYY-MM-DD. axe-core on every page.
 */
describeBrowser('officer result documents and date filters in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let code = '';
  let dir = '';
  const visited: { name: string; violations: string[] }[] = [];

  beforeAll(async () => {
    t = await startTestApp('pglite', { dossiers: 20, listen: true });
    base = t.baseUrl!;
    browser = await launch();
    dir = mkdtempSync(join(tmpdir(), 'tinhso-results-'));
    // Bà Hường asks the ward to recognise her as a conciliator (1.002211, result: a decision), at the counter.
    const reception = await login(t.app, 'tiepnhan.50');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/dossiers',
      headers: reception.headers,
      payload: {
        procedureCode: '1.002211',
        channel: 'counter',
        competentUnit: 'H41.50',
        applicant: { name: 'Trần Thị Hường', idNumber: '040164005678' },
        outcome: { type: 'accept' },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    code = res.json().code;
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
  async function officer(username: string, size: BrowserContextOptions = DESKTOP) {
    const context = await newContext(browser, base, size);
    const page = await context.newPage();
    await page.goto('/can-bo');
    await page.locator('#username').fill(username);
    await page.locator('#password').fill(DEMO_PASSWORD);
    await page.locator('#login-submit').click();
    await expect.poll(() => page.locator('#o-tiles a').count()).toBeGreaterThan(0);
    return { context, page };
  }
  const docStatus = (page: Page) =>
    page.locator('#ws-docs li [data-doc-status]').first().getAttribute('data-doc-status');

  it('drafts a decision from the procedure’s template, signs and issues it; the PDF has Điều 1 and is signed', async () => {
    let s = await officer('tuphap.50');
    await s.page.goto(`/can-bo/ho-so/${code}`);
    await s.page.locator('#ws-draft summary').click();
    await expect.poll(() => s.page.locator('#ws-draft-form').count()).toBe(1);
    // The catalogue says this procedure ends with a decision: that template is chosen, filled in where it can be.
    expect(await s.page.locator('#ws-draft-kind option:checked').innerText()).toContain(
      'Quyết định công nhận hòa giải viên',
    );
    expect(await s.page.locator('#ws-draft-subject').inputValue()).toBe('công nhận hòa giải viên');
    expect(await s.page.locator('#ws-draft-authority').inputValue()).toBe(
      'Chủ tịch Ủy ban nhân dân phường Trường Vinh',
    );
    expect(await s.page.locator('#ws-draft-bases').inputValue()).toMatch(/^Căn cứ /);
    expect(await s.page.locator('#ws-draft-signerTitle').inputValue()).toBe('Chủ tịch');
    // Only the fields of a decision (no title or paragraphs of the other templates).
    expect(await s.page.locator('#ws-draft-title, #ws-draft-paragraphs').count()).toBe(0);

    // Điều 1 left empty: the form says so under Điều 1, nothing is sent.
    await s.page.locator('#ws-draft-submit').click();
    await expect.poll(() => s.page.locator('#ws-draft-articles-0-error').count()).toBe(1);
    expect(await s.page.locator('#ws-draft-articles-0').getAttribute('aria-invalid')).toBe('true');
    expect(await s.page.locator('#ws-no-docs').count()).toBe(1);

    // A ground longer than the server takes (1,000 characters): its answer lands on "Căn cứ", line 2.
    const grounds = [
      'Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;',
      `Căn cứ Luật Hòa giải ở cơ sở ngày 20 tháng 6 năm 2013; ${'x'.repeat(1000)}`,
    ];
    await s.page.locator('#ws-draft-subject').fill('công nhận hòa giải viên đối với bà Trần Thị Hường');
    await s.page.locator('#ws-draft-bases').fill(grounds.join('\n'));
    await s.page.locator('#ws-draft-proposal').fill('công chức Tư pháp - Hộ tịch');
    await s.page
      .locator('#ws-draft-articles-0')
      .fill('Công nhận bà Trần Thị Hường, sinh năm 1964, là hòa giải viên của Tổ hòa giải khối 3.');
    await s.page
      .locator('#ws-draft-articles-2')
      .fill('Công chức Tư pháp - Hộ tịch và bà Trần Thị Hường chịu trách nhiệm thi hành Quyết định này.');
    await s.page.locator('#ws-draft-recipients').fill('Như Điều 3;\nLưu: VT.');
    await s.page.locator('#ws-draft-submit').click();
    await expect.poll(() => s.page.locator('#ws-draft-bases-error').count()).toBe(1);
    const err = await s.page.locator('#ws-draft-bases-error').innerText();
    expect(err).toContain('Dòng 2');
    expect(err).toContain('1000');
    expect(await s.page.locator('#ws-draft-articles-0-error').count()).toBe(0);
    expect(await s.page.locator('#ws-draft-status').innerText()).toContain('không hợp lệ');
    await check(s.page, 'or01-draft-decision-error');

    await s.page
      .locator('#ws-draft-bases')
      .fill(`${grounds[0]}\nCăn cứ Luật Hòa giải ở cơ sở ngày 20 tháng 6 năm 2013;`);
    await s.page.locator('#ws-draft-submit').click();
    await expect.poll(() => docStatus(s.page)).toBe('draft');
    expect(await s.page.locator('#ws-docs li').innerText()).toContain(
      'Quyết định công nhận hòa giải viên đối với bà Trần Thị Hường',
    );
    await check(s.page, 'or02-draft-saved');
    await s.context.close();

    s = await officer('chutich.50');
    await s.page.goto(`/can-bo/ho-so/${code}`);
    await s.page.locator('#ws-docs button[id^="ws-doc-sign-"]').click();
    await expect.poll(() => docStatus(s.page)).toBe('signed');
    await s.context.close();

    s = await officer('vanthu.50');
    await s.page.goto(`/can-bo/ho-so/${code}`);
    await s.page.locator('#ws-docs button[id^="ws-doc-issue-"]').click();
    await expect.poll(() => docStatus(s.page)).toBe('issued');
    expect(await s.page.locator('#ws-docs li').innerText()).toContain('01/QĐ-UBND');
    await check(s.page, 'or03-decision-issued');

    const [download] = await Promise.all([
      s.page.waitForEvent('download'),
      s.page.locator('#ws-docs li a[download]').click(),
    ]);
    const path = join(dir, 'quyet-dinh.pdf');
    await download.saveAs(path);
    const text = tool('pdftotext', ['-layout', path, '-']).replace(/\s+/g, ' ');
    expect(text).toContain('QUYẾT ĐỊNH');
    expect(text).toContain('Về việc công nhận hòa giải viên đối với bà Trần Thị Hường');
    expect(text).toContain('CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG TRƯỜNG VINH');
    expect(text).toContain('Căn cứ Luật Hòa giải ở cơ sở ngày 20 tháng 6 năm 2013;');
    expect(text).toContain('Theo đề nghị của công chức Tư pháp - Hộ tịch.');
    expect(text).toContain(
      'Điều 1. Công nhận bà Trần Thị Hường, sinh năm 1964, là hòa giải viên của Tổ hòa giải khối 3.',
    );
    expect(text).toContain('Điều 2. Quyết định này có hiệu lực kể từ ngày ký.');
    expect(text).toContain('Điều 3. Công chức Tư pháp - Hộ tịch');
    expect(text).toContain('Nơi nhận:');

    // Trust the demo CA as a reader's PDF tool would, from the public download.
    const nss = join(dir, 'nss');
    mkdirSync(nss);
    tool('certutil', ['-N', '-d', `sql:${nss}`, '--empty-password']);
    const pem = await (await s.page.request.get('/api/trust-anchors')).text();
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    const ca = join(dir, 'ca.pem');
    writeFileSync(ca, pem);
    tool('certutil', ['-A', '-n', 'tinhso-demo-ca', '-t', 'CT,C,C', '-i', ca, '-d', `sql:${nss}`]);
    const sig = tool('pdfsig', ['-nssdir', `sql:${nss}`, path]);
    // The chairman's signature and the ward's (seal), both valid and trusted.
    expect(sig.match(/Signature is Valid\./g), sig).toHaveLength(2);
    expect(sig.match(/Certificate is Trusted\./g), sig).toHaveLength(2);
    expect(sig).toContain('Ủy ban nhân dân phường Trường Vinh');
    await s.context.close();
  });

  it('offers the other templates with their own fields', async () => {
    const s = await officer('tuphap.50');
    await s.page.goto(`/can-bo/ho-so/${code}`);
    await s.page.locator('#ws-draft summary').click();
    await expect.poll(() => s.page.locator('#ws-draft-form').count()).toBe(1);
    await s.page.locator('#ws-draft-kind').selectOption('k:certificate');
    expect(await s.page.locator('#ws-draft-title').inputValue()).toBe('Giấy chứng nhận');
    expect(await s.page.locator('#ws-draft-subject, #ws-draft-bases, #ws-draft-recipients').count()).toBe(0);
    // An information line without its value: shown under the field, on its line.
    await s.page.locator('#ws-draft-info').fill('Họ và tên: Trần Thị Hường\nNgày sinh');
    await s.page.locator('#ws-draft-submit').click();
    await expect.poll(() => s.page.locator('#ws-draft-info-error').count()).toBe(1);
    expect(await s.page.locator('#ws-draft-info-error').innerText()).toContain('Dòng 2');
    await check(s.page, 'or04-draft-certificate-error');
    await s.page.locator('#ws-draft-kind').selectOption('k:document');
    expect(await s.page.locator('#ws-draft-recipients').count()).toBe(1);
    expect(await s.page.locator('#ws-draft-title').inputValue()).toBe(
      'Kết quả giải quyết Thủ tục công nhận hòa giải viên (cấp xã)',
    );

    // A confirmation with its information lines, a paragraph and the signer's title as the drafter sets it.
    await s.page.locator('#ws-draft-kind').selectOption('k:confirmation');
    await s.page.locator('#ws-draft-title').fill('Giấy xác nhận hòa giải viên');
    await s.page.locator('#ws-draft-info').fill('Họ và tên: Trần Thị Hường\nNăm sinh: 1964');
    await s.page.locator('#ws-draft-paragraphs').fill('Là hòa giải viên của Tổ hòa giải khối 3.');
    await s.page.locator('#ws-draft-signerTitle').fill('Phó Chủ tịch');
    await s.page.locator('#ws-draft-submit').click();
    await expect.poll(() => s.page.locator('#ws-docs li').count()).toBe(2);
    const link = await s.page.locator('#ws-docs li').nth(1).locator('a[download]').getAttribute('href');
    const path = join(dir, 'xac-nhan.pdf');
    writeFileSync(path, await (await s.page.request.get(link!)).body());
    const text = tool('pdftotext', ['-layout', path, '-']).replace(/\s+/g, ' ');
    expect(text).toContain('GIẤY XÁC NHẬN HÒA GIẢI VIÊN');
    expect(text).toContain('Họ và tên: Trần Thị Hường');
    expect(text).toContain('Là hòa giải viên của Tổ hòa giải khối 3.');
    expect(text).toContain('PHÓ CHỦ TỊCH');
    await s.context.close();
  });

  it('filters a queue by dates typed dd/mm/yyyy, kept in the address as YYYY-MM-DD', async () => {
    const s = await officer('tuphap.50');
    await s.page.goto('/can-bo/hang-doi/all');
    await expect.poll(() => s.page.locator('#queue-total').count()).toBe(1);
    const from = s.page.locator('#queue-from');
    expect(await from.getAttribute('type')).toBe('text');
    expect(await from.getAttribute('placeholder')).toBe('dd/mm/yyyy');
    expect(await from.getAttribute('inputmode')).toBe('numeric');

    // 31 February does not exist: said under the field, the address does not change.
    await from.fill('31/02/2026');
    await from.press('Enter');
    await expect.poll(() => s.page.locator('#queue-from-error').count()).toBe(1);
    expect(await s.page.locator('#queue-from-error').innerText()).toContain('31/02/2026');
    expect(await s.page.locator('#queue-from-error').innerText()).toContain('dd/mm/yyyy');
    expect(await from.getAttribute('aria-invalid')).toBe('true');
    expect(s.page.url()).not.toContain('from=');
    await check(s.page, 'or05-queue-date-invalid');

    const today = todayVn();
    await from.fill(dmy(today));
    await s.page.locator('#queue-to').fill(dmy(today));
    await s.page.locator('#queue-apply').click();
    await s.page.waitForURL(`**/can-bo/hang-doi/all?from=${today}&to=${today}`);
    await expect.poll(() => s.page.locator(`#queue-table tr[data-code="${code}"]`).count()).toBe(1);
    expect(await s.page.locator('#queue-from').inputValue()).toBe(dmy(today));
    expect(await s.page.locator('#queue-to').inputValue()).toBe(dmy(today));
    // The list is the API's for that day: only today's dossiers, none of the demo year's.
    const api = await (
      await s.page.request.get(`/api/queues/all?limit=100&from=${today}&to=${today}`)
    ).json();
    const rows = await s.page.locator('#queue-table tbody tr').all();
    const shown = await Promise.all(rows.map((r) => r.getAttribute('data-code')));
    expect(shown).toEqual(api.items.map((i: { code: string }) => i.code));
    const all = await (await s.page.request.get('/api/queues/all?limit=1')).json();
    expect(api.total).toBeLessThan(all.total);
    await check(s.page, 'or06-queue-date-filtered');
    await s.context.close();
  });

  it('the leader’s period is dd/mm/yyyy in an English browser too, with an English message', async () => {
    const context = await browser.newContext({
      ...DESKTOP,
      baseURL: base,
      locale: 'en-US',
      timezoneId: 'Asia/Ho_Chi_Minh',
    });
    await context.addInitScript("localStorage.setItem('lang', 'en')");
    const page = await context.newPage();
    await page.goto('/can-bo');
    await page.locator('#username').fill('chutich.50');
    await page.locator('#password').fill(DEMO_PASSWORD);
    await page.locator('#login-submit').click();
    await expect.poll(() => page.locator('#o-tiles a').count()).toBeGreaterThan(0);
    await page.goto('/can-bo/lanh-dao');
    await expect.poll(() => page.locator('#leader-units').count()).toBe(1);
    const today = todayVn();
    expect(await page.locator('#leader-from').inputValue()).toBe(dmy(`${today.slice(0, 8)}01`));
    expect(await page.locator('#leader-to').inputValue()).toBe(dmy(today));

    await page.locator('#leader-from').fill('31/02/2026');
    await page.locator('#leader-apply').click();
    await expect.poll(() => page.locator('#leader-from-error').count()).toBe(1);
    expect(await page.locator('#leader-from-error').innerText()).toContain('“31/02/2026” does not exist');
    expect(page.url()).not.toContain('from=');
    await check(page, 'or07-leader-date-invalid-en');

    await page.locator('#leader-from').fill('1/11/2026');
    await page.locator('#leader-to').fill('30/11/2026');
    await page.locator('#leader-apply').click();
    await page.waitForURL('**/can-bo/lanh-dao?from=2026-11-01&to=2026-11-30');
    await expect.poll(() => page.locator('#leader-units').count()).toBe(1);
    expect(await page.locator('#leader-from').inputValue()).toBe('01/11/2026');
    expect(await page.locator('#leader-to').inputValue()).toBe('30/11/2026');
    // "To" before "From" is refused in the page.
    await page.locator('#leader-to').fill('01/10/2026');
    await page.locator('#leader-apply').click();
    await expect.poll(() => page.locator('#leader-to-error').count()).toBe(1);
    expect(page.url()).toContain('to=2026-11-30');

    // The parser itself (apps/web/public/js/format.js), as the pages load it.
    const cases = [
      '05/11/2026',
      '5/1/2026',
      ' 29/02/2028 ',
      '29/02/2027',
      '31/04/2026',
      '12/31/2026',
      '2026-11-05',
      '',
    ];
    const parsed = await page.evaluate(
      `import('/js/format.js').then((m) => ${JSON.stringify(cases)}.map((x) => m.parseDmy(x)))`,
    );
    expect(parsed).toEqual(['2026-11-05', '2026-01-05', '2028-02-29', null, null, null, null, '']);
    await context.close();
  });

  it('has no serious or critical accessibility violation on any page it visited', () => {
    const bad = visited.filter((v) => v.violations.length > 0);
    expect(bad, JSON.stringify(bad, null, 2)).toEqual([]);
    expect(visited.length).toBeGreaterThanOrEqual(7);
  });
});
