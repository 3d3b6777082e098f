import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../server/src/demo/organisation.js';
import { pdfBytes } from '../../server/test/file-fixtures.js';
import {
  act as apiAct,
  citizenSession,
  login,
  registerAtCounter,
  type Session,
  startTestApp,
  type TestApp,
  validForm,
} from '../../server/test/helpers.js';
import {
  DESKTOP,
  describeBrowser,
  launch,
  loginOnDemoVneid,
  newContext,
  screenshot,
  seriousViolations,
} from './browser.js';

/**
 * The deadlines of the back office (issue 4) in Debian's Chromium: a supplement request stops the dossier's clock
 * and the citizen's answer restarts it with the due date moved by the paused working days; a dossier one working
 * day before its due date shows in "due soon" with its amber light and gets an apology (Mẫu 04) with a new date.
 * Time passes only in the database (the pause start and the due dates), measured on the app's working-day clock.
 */

/** dd/mm/yyyy HH:mm in Vietnam time, as apps/web/public/js/format.js fmtDateTime shows it. */
function fmtDateTime(iso: string | Date): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Ho_Chi_Minh',
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(iso))
      .map((x) => [x.type, x.value]),
  );
  return `${p['day']}/${p['month']}/${p['year']} ${p['hour']}:${p['minute']}`;
}
const fmtDate = (iso: string | Date) => fmtDateTime(iso).slice(0, 10);
/** The Vietnam calendar date (YYYY-MM-DD) of an instant. */
const vietnamDay = (d: Date) => new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);

interface DossierView {
  code: string;
  version: number;
  status: number;
  deadline: 'green' | 'amber' | 'red' | null;
  stepDeadline: 'green' | 'amber' | 'red' | null;
  apologyDue: boolean;
  availableActions: string[];
  state: {
    dueAt: string;
    legalDueAt: string;
    steps: { dueAt: string; completedAt: string | null }[];
    pause: { from: string; kind: string } | null;
    pauses: { from: string; to: string; workingDays: number }[];
    apologies: { at: string; previousDueAt: string; newDueAt: string; reason: string }[];
  };
  actions: { type: string; at: string; payload: Record<string, unknown> }[];
}

describeBrowser('deadlines in the officer back office, in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let reception: Session;
  const visited: { name: string; violations: string[] }[] = [];

  beforeAll(async () => {
    t = await startTestApp('pglite', { dossiers: 20, listen: true });
    base = t.baseUrl!;
    browser = await launch();
    reception = await login(t.app, 'tiepnhan.50');
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
  /** The dossier as the API shows it to the reception officer. */
  async function view(code: string): Promise<DossierView> {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/dossiers/${code}`,
      headers: { cookie: reception.cookie },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  }
  /** Opens a work queue filtered on one dossier code and waits until the list is drawn. */
  async function openQueue(page: Page, key: string, code: string) {
    await page.goto(`/can-bo/hang-doi/${key}?q=${encodeURIComponent(code)}`);
    await expect.poll(() => page.locator('#queue-total').count()).toBe(1);
    return page.locator(`#queue-table tbody tr[data-code="${code}"]`);
  }
  async function openWorkspace(page: Page, code: string) {
    await page.goto(`/can-bo/ho-so/${code}`);
    await expect.poll(() => page.locator('#ws-title').count()).toBe(1);
  }
  /** Fetches a PDF link of the page with the page's session; returns its bytes. */
  async function fetchPdf(page: Page, href: string): Promise<Buffer> {
    const res = await page.request.get(href);
    expect(res.status(), href).toBe(200);
    expect(res.headers()['content-type']).toMatch(/^application\/pdf/);
    const body = await res.body();
    expect(body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    return body;
  }
  function pdfText(pdf: Buffer): string {
    const dir = mkdtempSync(join(tmpdir(), 'tinhso-pdf-'));
    try {
      const file = join(dir, 'form.pdf');
      writeFileSync(file, pdf);
      return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    } catch (err) {
      // pdftotext (poppler-utils) is optional on a laptop; the content type and the header were checked.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
      throw err;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const colourOf = (page: Page, selector: string) =>
    page.locator(selector).evaluate((el) => {
      const w = globalThis as unknown as {
        getComputedStyle(e: unknown): { color: string; backgroundColor: string };
      };
      return w.getComputedStyle(el).color;
    });
  /** The colour a CSS custom property of the page resolves to, as the browser reports `color`. */
  const cssVarColour = (page: Page, name: string) =>
    page.evaluate((v) => {
      const g = globalThis as unknown as {
        document: {
          body: { appendChild(e: unknown): void; removeChild(e: unknown): void };
          createElement(tag: string): { style: { color: string } };
        };
        getComputedStyle(e: unknown): { color: string };
      };
      const probe = g.document.createElement('span');
      probe.style.color = `var(${v})`;
      g.document.body.appendChild(probe);
      const c = g.getComputedStyle(probe).color;
      g.document.body.removeChild(probe);
      return c;
    }, name);

  it('a supplement request stops the clock and the resumed dossier’s due date moves by the paused working days', async () => {
    const PAUSED_DAYS = 3;
    // Anh Minh registers a birth online (a procedure whose clock resumes after a supplement); the commune receives it.
    const citizen = await citizenSession(t, '040090001234');
    const submitted = await t.app.inject({
      method: 'POST',
      url: '/api/dossiers',
      headers: citizen.headers,
      payload: {
        procedureCode: '1.001193',
        channel: 'online',
        competentUnit: 'H41.50',
        applicant: { name: 'Nguyễn Văn Minh', idNumber: '040090001234', phone: '0912345678' },
        formData: await validForm(t.app, '1.001193'),
      },
    });
    expect(submitted.statusCode, submitted.body).toBe(201);
    const d0 = submitted.json() as DossierView;
    const accepted = await apiAct(t.app, reception, d0.code, d0.version, { type: 'accept' });
    expect(accepted.statusCode, accepted.body).toBe(200);
    const code = d0.code;
    const before = await view(code);
    expect(before.status).toBe(2);
    expect(before.state.pauses).toEqual([]);
    const oldDue = before.state.dueAt;
    const oldStepDue = before.state.steps.at(-1)!.dueAt;
    // Half a working day to decide: it is due within one working day from the start.
    expect(before.deadline).toBe('amber');

    // The specialist (Tư pháp – hộ tịch) sees it running, due soon, with the due date of the API.
    const s = await officer('tuphap.50');
    expect(await (await openQueue(s.page, 'due_soon', code)).count()).toBe(1);
    await openWorkspace(s.page, code);
    expect(await s.page.locator('#ws-due').innerText()).toBe(fmtDateTime(oldDue));
    expect(await s.page.locator('#ws-light').getAttribute('data-light')).toBe('amber');
    expect(await s.page.locator('#ws-paused').count()).toBe(0);

    // … and asks for a supplement through the form: a reason and the missing items, one per line.
    await s.page.locator('#ws-act-request_supplement').click();
    await expect.poll(() => s.page.locator('#ws-form-request_supplement').count()).toBe(1);
    await s.page.locator('#ws-f-reason').fill('Giấy chứng sinh chưa rõ tên người mẹ.');
    await s.page
      .locator('#ws-f-items')
      .fill('Giấy chứng sinh (bản chụp rõ nét)\nCăn cước của người mẹ (bản chụp)');
    const rows = await s.page.locator('#ws-actions tbody tr').count();
    await s.page.locator('#ws-act-submit').click();
    await expect.poll(() => s.page.locator('#ws-actions tbody tr').count()).toBe(rows + 1);

    // Paused: status 5, the clock stopped (no light for the dossier nor its step), no apology asked, Mẫu 02 offered.
    await expect.poll(() => s.page.locator('#ws-status [data-status]').getAttribute('data-status')).toBe('5');
    expect(await s.page.locator('#ws-status').innerText()).toBe('Yêu cầu bổ sung giấy tờ');
    expect(await s.page.locator('#ws-paused').innerText()).toBe('Tạm dừng tính thời hạn');
    expect(await s.page.locator('#ws-light').getAttribute('data-light')).toBeNull();
    expect(await s.page.locator('#ws-light').innerText()).toBe('Không tính hạn');
    expect(await s.page.locator('#ws-step-light').getAttribute('data-light')).toBeNull();
    expect(await s.page.locator('.o-ws-facts [data-light]').count()).toBe(0);
    expect(await s.page.locator('#ws-apology-due').count()).toBe(0);
    expect(await s.page.locator('#ws-act-request_supplement').count()).toBe(0); // once per agency
    const mau02 = await s.page.locator('#ws-follow-pdf').getAttribute('href');
    expect(mau02).toBe(`/api/dossiers/${code}/forms/supplement`);
    expect(await s.page.locator('#ws-follow-pdf').innerText()).toContain('Mẫu 02');
    const supplementText = pdfText(await fetchPdf(s.page, mau02!));
    if (supplementText) expect(supplementText).toContain('Giấy chứng sinh (bản chụp rõ nét)');
    expect(await s.page.locator('#ws-actions').innerText()).toContain(
      'Giấy chứng sinh chưa rõ tên người mẹ.',
    );
    await check(s.page, 'd01-workspace-supplement-requested');

    // In "waiting for the applicant", without a light; neither due soon nor overdue while the clock stands still.
    const waiting = await openQueue(s.page, 'waiting_citizen', code);
    expect(await waiting.count()).toBe(1);
    expect(await waiting.locator('[data-status]').getAttribute('data-status')).toBe('5');
    expect(await waiting.locator('.light-none').innerText()).toBe('Không tính hạn');
    expect(await waiting.locator('[data-light]').count()).toBe(0);
    await check(s.page, 'd02-queue-waiting-citizen');
    for (const key of ['due_soon', 'overdue']) {
      expect(await (await openQueue(s.page, key, code)).count(), key).toBe(0);
      expect(await s.page.locator('#queue-empty').count(), key).toBe(1);
    }

    // The citizen takes three working days to answer: the pause started three working days earlier (fixture).
    const paused = await view(code);
    expect(paused.status).toBe(5);
    expect(paused.deadline).toBeNull();
    expect(paused.state.dueAt).toBe(oldDue); // the due date does not move while paused …
    const clock = t.ctx.dossiers.clock('H41.50');
    const pauseFrom = clock.subtractWorkingDays(new Date(paused.state.pause!.from), PAUSED_DAYS);
    await sql`UPDATE dossiers
        SET state = jsonb_set(state, '{pause,from}', to_jsonb(${pauseFrom.toISOString()}::text))
      WHERE code = ${code}`.execute(t.ctx.database.db);

    // Anh Minh answers on his dossier page with a note (the portal's supplement form).
    const c = await newContext(browser, base, DESKTOP);
    const cp = await c.newPage();
    await cp.goto(`/ho-so/${code}`);
    await cp.locator('a[href^="/api/auth/citizen/login"]').first().click();
    await loginOnDemoVneid(cp, '040090001234');
    await cp.waitForURL(`**/ho-so/${code}`);
    await expect.poll(() => cp.locator('#supplement-items').innerText()).toContain('Căn cước của người mẹ');
    // While waiting, his page still shows the appointment he was given.
    expect(await cp.locator('#due-at').innerText()).toBe(fmtDateTime(oldDue));
    await check(cp, 'd03-portal-supplement-asked');
    await cp.locator('#supplement-note').fill('Gửi lại bản chụp giấy chứng sinh rõ nét.');
    await cp
      .locator('#supp-TP04')
      .setInputFiles({ name: 'giay-chung-sinh.pdf', mimeType: 'application/pdf', buffer: pdfBytes() });
    await expect
      .poll(() => cp.locator('#supplement .file-name').allInnerTexts())
      .toContain('giay-chung-sinh.pdf');
    await cp.locator('#send-supplement').click();
    await expect.poll(async () => (await view(code)).status).toBe(2);

    // The API: the pause is closed with its working days, and every due date moved by exactly that much.
    const after = await view(code);
    expect(after.state.pause).toBeNull();
    expect(after.state.pauses).toHaveLength(1);
    const pausedDays = after.state.pauses[0]!.workingDays;
    // Three working days, plus whatever working time the test itself took between the request and the answer.
    expect(pausedDays).toBeGreaterThanOrEqual(PAUSED_DAYS);
    expect(pausedDays).toBeLessThan(PAUSED_DAYS + 1);
    expect(after.state.pauses[0]!.from).toBe(pauseFrom.toISOString());
    const newDue = clock.addWorkingDays(new Date(oldDue), pausedDays).toISOString();
    const newStepDue = clock.addWorkingDays(new Date(oldStepDue), pausedDays).toISOString();
    expect(after.state.dueAt).toBe(newDue);
    expect(after.state.legalDueAt).toBe(newDue);
    expect(after.state.steps.at(-1)!.dueAt).toBe(newStepDue);
    // Three working days on the calendar (e.g. Wednesday → Monday over a weekend), plus only the working time the
    // test itself took while the dossier waited.
    const threeDaysLater = clock.addWorkingDays(new Date(oldDue), PAUSED_DAYS);
    expect(Date.parse(newDue)).toBeGreaterThanOrEqual(threeDaysLater.getTime());
    expect(clock.workingDaysBetween(threeDaysLater, new Date(newDue))).toBeCloseTo(
      pausedDays - PAUSED_DAYS,
      6,
    );
    expect(clock.workingDaysBetween(new Date(oldDue), new Date(newDue))).toBeCloseTo(pausedDays, 6);
    expect(after.deadline).toBe('green'); // 3.5 working days to go: running again, no longer due soon
    expect(after.actions.map((a) => a.type).slice(-2)).toEqual(['request_supplement', 'provide_supplement']);

    // His page: the new appointment, and the answer in the timeline with the new date.
    await expect.poll(() => cp.locator('#due-at').innerText()).toBe(fmtDateTime(newDue));
    expect(await cp.locator('#supplement').count()).toBe(0);
    await expect
      .poll(() => cp.locator('#timeline').innerText())
      .toContain(`Bạn đã bổ sung hồ sơ. Ngày hẹn trả mới: ${fmtDateTime(newDue)}.`);
    await check(cp, 'd04-portal-supplement-sent');
    await c.close();

    // The specialist's workspace: running again with a green light, the moved due dates, the pause and the
    // resumption on the control sheet.
    await openWorkspace(s.page, code);
    expect(await s.page.locator('#ws-status [data-status]').getAttribute('data-status')).toBe('2');
    expect(await s.page.locator('#ws-paused').count()).toBe(0);
    expect(await s.page.locator('#ws-light').getAttribute('data-light')).toBe('green');
    expect(await s.page.locator('#ws-light').innerText()).toBe('Còn hạn');
    expect(await s.page.locator('#ws-due').innerText()).toBe(fmtDateTime(newDue));
    expect(await s.page.locator('#ws-due').innerText()).not.toBe(fmtDateTime(oldDue));
    expect(await s.page.locator('#ws-steps tr.o-current').innerText()).toContain(fmtDateTime(newStepDue));
    expect(await s.page.locator('#ws-act-forward').count()).toBe(1);
    const log = await s.page.locator('#ws-actions tbody').innerText();
    expect(log).toContain('Yêu cầu bổ sung');
    expect(log).toContain('Công dân bổ sung');
    expect(log).toContain('Gửi lại bản chụp giấy chứng sinh rõ nét.');
    const lastRows = (await s.page.locator('#ws-actions tbody tr').allInnerTexts()).slice(-2);
    expect(lastRows[0]).toContain('Yêu cầu bổ sung');
    expect(lastRows[1]).toContain('Công dân bổ sung');
    await check(s.page, 'd05-workspace-resumed');
    // Back in the specialist's work, no longer in "waiting for the applicant".
    expect(await (await openQueue(s.page, 'to_process', code)).count()).toBe(1);
    expect(await (await openQueue(s.page, 'waiting_citizen', code)).count()).toBe(0);
    await s.context.close();
  });

  it('a dossier 1 working day before its due date appears in “due soon” and gets an apology with a new date', async () => {
    // A building permit received at the counter: ten working days, so it starts far from its due date.
    const reg = await registerAtCounter(
      t.app,
      reception,
      'H41.50',
      { name: 'Hồ Thị Xin Lỗi', idNumber: '040190007101' },
      { outcome: { type: 'accept' } },
    );
    expect(reg.statusCode, reg.body).toBe(201);
    const code = (reg.json() as DossierView).code;
    expect((await view(code)).deadline).toBe('green');

    // Fixture: time has passed — the dossier (due date in force and legal one) and its step are now due in half a
    // working day on the working-day clock (as setDueAt does in apps/server/test/queues.test.ts).
    const clock = t.ctx.dossiers.clock('H41.50');
    const due = clock.addWorkingDays(new Date(), 0.5);
    const at = due.toISOString();
    await sql`UPDATE dossiers SET due_at = ${due}, step_due_at = ${due},
        state = jsonb_set(jsonb_set(jsonb_set(state, '{dueAt}', to_jsonb(${at}::text)),
                                    '{legalDueAt}', to_jsonb(${at}::text)),
                          '{steps,-1,dueAt}', to_jsonb(${at}::text))
      WHERE code = ${code}`.execute(t.ctx.database.db);
    const soon = await view(code);
    expect(soon.state.dueAt).toBe(at);
    expect(soon.state.legalDueAt).toBe(at);
    expect(soon.state.steps.at(-1)!.dueAt).toBe(due.toISOString());
    expect(soon.deadline).toBe('amber');
    expect(soon.apologyDue).toBe(true);
    const legalDue = soon.state.legalDueAt;

    // The specialist who holds it finds it in "due within 1 working day", amber in words and in colour.
    const s = await officer('tuphap.50');
    const tile = s.page.locator('#o-tile-due_soon');
    expect(await tile.innerText()).toContain('Sắp đến hạn (trong 1 ngày làm việc)');
    expect(Number(await tile.locator('.o-tile-count').innerText())).toBeGreaterThan(0);
    await tile.click();
    await s.page.waitForURL('**/can-bo/hang-doi/due_soon');
    await expect.poll(() => s.page.locator('#queue-total').count()).toBe(1);
    // The search box ("/" focuses it) narrows the queue to the dossier.
    await s.page.keyboard.press('/');
    await expect.poll(() => s.page.locator('#queue-q:focus').count()).toBe(1);
    await s.page.keyboard.type(code);
    await s.page.keyboard.press('Enter');
    await s.page.waitForURL(`**/can-bo/hang-doi/due_soon?q=${code}`);
    const row = s.page.locator(`#queue-table tbody tr[data-code="${code}"]`);
    await expect.poll(() => row.count()).toBe(1);
    // The list may still be redrawn once (the search result replaces the first page): wait for it to settle.
    await expect.poll(() => s.page.locator('#queue-table tbody tr').count()).toBe(1);
    await expect.poll(() => row.count()).toBe(1);
    const light = row.locator('[data-light]');
    expect(await light.getAttribute('data-light')).toBe('amber');
    expect(await light.innerText()).toBe('Sắp đến hạn');
    expect(await light.getAttribute('class')).toContain('light-amber');
    expect(await row.innerText()).toContain(fmtDateTime(due));
    const amber = await cssVarColour(s.page, '--warn');
    expect(amber).not.toBe('');
    expect(await colourOf(s.page, `#queue-table tr[data-code="${code}"] .light-amber`)).toBe(amber);
    expect(await colourOf(s.page, `#queue-table tr[data-code="${code}"] .light-amber .dot`)).toBe(amber);
    expect(await (await openQueue(s.page, 'overdue', code)).count()).toBe(0);
    const queued = await openQueue(s.page, 'due_soon', code);
    await check(s.page, 'd06-queue-due-soon');

    // Opens it from the queue with the keyboard: the Mẫu 04 reminder and the apology action are there.
    await queued.focus();
    await s.page.keyboard.press('Enter');
    await s.page.waitForURL(`**/can-bo/ho-so/${code}`);
    await expect.poll(() => s.page.locator('#ws-title').count()).toBe(1);
    const banner = s.page.locator('#ws-apology-due');
    expect(await banner.count()).toBe(1);
    expect(await banner.innerText()).toContain('Mẫu 04');
    expect(await banner.innerText()).toContain(fmtDateTime(due));
    expect(await s.page.locator('#ws-light').getAttribute('data-light')).toBe('amber');
    expect(await s.page.locator('#ws-step-light').getAttribute('data-light')).toBe('amber');
    expect(await s.page.locator('#ws-act-apologize').count()).toBe(1);
    expect(await s.page.locator('#ws-apology-issued').count()).toBe(0);
    await check(s.page, 'd07-workspace-apology-due');

    // The apology through its form: the reason and a new date (Vietnam time), five working days from now at 16:00.
    const newDay = vietnamDay(clock.addWorkingDays(new Date(), 5));
    const newDue = new Date(`${newDay}T16:00:00+07:00`);
    await banner.getByRole('button').click();
    await expect.poll(() => s.page.locator('#ws-form-apologize').count()).toBe(1);
    await s.page
      .locator('#ws-f-reason')
      .fill('Cần xác minh thêm hiện trạng thửa đất với Văn phòng đăng ký đất đai.');
    await s.page.locator('#ws-f-newDue').fill(`${newDay}T16:00`);
    await check(s.page, 'd08-workspace-apology-form');
    const rows = await s.page.locator('#ws-actions tbody tr').count();
    await s.page.locator('#ws-act-submit').click();
    await expect.poll(() => s.page.locator('#ws-actions tbody tr').count()).toBe(rows + 1);

    // Recorded: the notice with the new date, the Mẫu 04 PDF, the due date in force moved; no reminder any more.
    const issued = s.page.locator('#ws-apology-issued');
    await expect.poll(() => issued.count()).toBe(1);
    expect(await issued.innerText()).toContain(`hẹn lại: ${fmtDateTime(newDue)}`);
    expect(await s.page.locator('#ws-apology-due').count()).toBe(0);
    expect(await s.page.locator('#ws-due').innerText()).toBe(fmtDateTime(newDue));
    expect(await s.page.locator('#ws-light').getAttribute('data-light')).toBe('green');
    expect(await s.page.locator('#ws-actions tbody tr').last().innerText()).toContain('Xin lỗi');
    const href = await s.page.locator('#ws-apology-pdf').getAttribute('href');
    expect(href).toBe(`/api/dossiers/${code}/forms/apology`);
    expect(await s.page.locator('#ws-follow-pdf').getAttribute('href')).toBe(href);
    const text = pdfText(await fetchPdf(s.page, href!));
    if (text) {
      expect(text).toContain(fmtDate(newDue));
      expect(text).toContain(code);
    }
    await check(s.page, 'd09-workspace-apology-issued');

    // The API agrees; the legal due date (on-time statistics) is untouched by the apology.
    const after = await view(code);
    expect(after.state.dueAt).toBe(newDue.toISOString());
    expect(after.state.legalDueAt).toBe(legalDue);
    expect(after.state.apologies).toHaveLength(1);
    expect(after.state.apologies[0]).toMatchObject({
      previousDueAt: due.toISOString(),
      newDueAt: newDue.toISOString(),
      reason: 'Cần xác minh thêm hiện trạng thửa đất với Văn phòng đăng ký đất đai.',
    });
    expect(after.apologyDue).toBe(false);
    expect(after.deadline).toBe('green');
    // No longer due soon.
    expect(await (await openQueue(s.page, 'due_soon', code)).count()).toBe(0);
    await s.context.close();
  });

  it('records at the counter the documents a paper applicant brings back, and the clock runs again', async () => {
    const reg = await registerAtCounter(
      t.app,
      reception,
      'H41.50',
      { name: 'Phan Văn Giấy', idNumber: '040190007201' },
      { outcome: { type: 'accept' } },
    );
    expect(reg.statusCode, reg.body).toBe(201);
    const d = reg.json() as DossierView;
    const specialist = await login(t.app, 'tuphap.50');
    const asked = await apiAct(t.app, specialist, d.code, d.version, {
      type: 'request_supplement',
      reason: 'Thiếu bản vẽ',
      items: ['Bản vẽ thiết kế'],
    });
    expect(asked.statusCode, asked.body).toBe(200);
    const { page, context } = await officer('tiepnhan.50');
    await openWorkspace(page, d.code);
    await page.locator('#ws-act-provide_supplement').click();
    await expect.poll(() => page.locator('#ws-form-provide_supplement').count()).toBe(1);
    await page.locator('#ws-form-provide_supplement textarea').fill('Người nộp mang bản vẽ đến quầy');
    await check(page, 'd10-counter-supplement');
    await page.locator('#ws-act-submit').click();
    await expect.poll(async () => (await view(d.code)).status).not.toBe(5);
    const after = await view(d.code);
    expect(after.state.pause).toBeNull();
    expect(after.state.pauses).toHaveLength(1);
    await context.close();
  });

  it('has no serious or critical accessibility violation on any page state it visited', () => {
    const bad = visited.filter((v) => v.violations.length > 0);
    expect(bad, JSON.stringify(bad, null, 2)).toEqual([]);
    expect(visited.length).toBeGreaterThanOrEqual(9);
  });
});
