import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../server/src/demo/organisation.js';
import { act, login, registerAtCounter, startTestApp, type TestApp } from '../../server/test/helpers.js';
import {
  DESKTOP,
  describeBrowser,
  launch,
  newContext,
  PHONE,
  screenshot,
  seriousViolations,
} from './browser.js';

interface Summary {
  unit: { code: string };
  period: { kind: string; key: string; from: string; to: string };
  counts: Record<string, number>;
  shares: Record<string, number | null>;
  score: {
    total: number;
    groups: { code: string; points: number; max: number; items: { id: string; lost: number }[] }[];
  };
  children: { unit: { code: string } }[];
  byProcedure: { code: string }[];
  explain: { id: string; numerator: number; denominator: number; drillable: boolean; lost: number }[];
}
interface Drill {
  total: number;
  items: { code: string }[];
}

const WALL = { viewport: { width: 1920, height: 1080 } };
const vi = (n: number) => new Intl.NumberFormat('vi-VN').format(n);
const vi1 = (n: number) =>
  new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(n);
const viPct = (x: number) => `${vi1(x * 100)}\u00a0%`;
/** Today in Viet Nam: the page's default period is the current year; the demo dossiers are in 2026. */
const today = () => new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);

/**
 * The operations dashboard of issue 6 (/can-bo/dieu-hanh) in Debian's Chromium, for the province leader and a
 * commune chairman: every number on the page is checked against the indicators API for the same unit and period,
 * the drill-down lists the dossiers that cost points and opens them, the period pickers and the unit tree change
 * the address and the numbers, the wall-screen mode and the quiet refresh (on Playwright's clock, not by waiting)
 * keep the reader's place; axe-core on every state.
 */
describeBrowser('operations dashboard (IOC) in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const visited: { name: string; violations: string[] }[] = [];
  /** Script errors in any page (an uncaught exception would leave a section half drawn). */
  const scriptErrors: string[] = [];

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
  /** Signs in at /can-bo; `clock`: Playwright's clock is installed first, so the refresh timers can be moved on. */
  async function officer(username: string, size: BrowserContextOptions = DESKTOP, clock = false) {
    const context = await newContext(browser, base, size);
    const page = await context.newPage();
    page.on('pageerror', (e) => scriptErrors.push(`${username}: ${e.message}`));
    if (clock) await page.clock.install();
    await page.goto('/can-bo');
    await page.locator('#username').fill(username);
    await page.locator('#password').fill(DEMO_PASSWORD);
    await page.locator('#login-submit').click();
    await expect.poll(() => page.locator('#o-tiles a').count()).toBeGreaterThan(0);
    return { context, page };
  }
  /** The page has drawn a view: the stamp says when. */
  async function ready(page: Page) {
    await expect.poll(() => page.locator('#ioc-stamp').innerText()).toMatch(/\d{2}:\d{2}:\d{2}/);
    await expect.poll(() => page.locator('#ioc-tile-received').count()).toBe(1);
  }
  async function json<T>(page: Page, url: string): Promise<T> {
    const res = await page.request.get(url);
    expect(res.status(), `${url}: ${await res.text()}`).toBe(200);
    return (await res.json()) as T;
  }
  /** The unit, period and kind the page shows (resolved by the server when the address leaves them out). */
  const view = async (page: Page) => {
    const root = page.locator('#ioc-root');
    return {
      unit: (await root.getAttribute('data-unit')) ?? '',
      period: (await root.getAttribute('data-period')) ?? '',
      kind: (await root.getAttribute('data-kind')) ?? '',
    };
  };
  /** A value read in the page (no DOM types in this Node project: the expression is text). */
  const read = async (page: Page, expression: string) => (await page.evaluate(expression)) as string | number;
  const q = (v: { unit: string; period: string; kind: string }) =>
    `unit=${v.unit}&period=${v.period}&kind=${v.kind}`;
  const tileValue = (page: Page, id: string) => page.locator(`#ioc-tile-${id} .ioc-tile-value`).innerText();

  /** Every tile and the index against GET /api/indicators for the view on screen. */
  async function expectNumbers(page: Page): Promise<Summary> {
    const v = await view(page);
    const s = await json<Summary>(page, `/api/indicators?${q(v)}`);
    expect(s.unit.code).toBe(v.unit);
    expect(await tileValue(page, 'received')).toBe(vi(s.counts.received!));
    expect(await tileValue(page, 'resolved')).toBe(vi(s.counts.resolved!));
    const text = await page.locator('#ioc-tile-received .ioc-tile-sub').innerText();
    expect(text).toBe(
      `Tại quầy ${vi(s.counts.counter!)} · Trực tuyến ${vi(s.counts.online!)} · Bưu chính ${vi(s.counts.post!)}`,
    );
    for (const [id, share] of [
      ['on-time', s.shares.onTime],
      ['online', s.shares.online],
      ['paid-online', s.shares.paidOnline],
      ['digitized', s.shares.digitized],
      ['electronic-result', s.shares.electronicResult],
      ['reused', s.shares.reused],
      ['satisfied', s.shares.satisfied],
    ] as const) {
      if (share === null) {
        expect(await tileValue(page, id)).toContain('—');
        expect(await page.locator(`#ioc-tile-${id} .ioc-null`).getAttribute('title')).toBe('không có hồ sơ');
      } else expect(await tileValue(page, id), id).toBe(viPct(share!));
    }
    expect((await tileValue(page, 'in-progress')).replace(/\s/g, '')).toBe(
      `${vi(s.counts.inProgressWithinDeadline!)}/${vi(s.counts.inProgressOverdue!)}`,
    );
    expect(await page.locator('#ioc-index-total strong').innerText()).toBe(vi1(s.score.total));
    for (const g of s.score.groups) {
      expect(
        await page.locator(`#ioc-items tbody[data-group="${g.code}"] .ioc-group-row strong`).innerText(),
      ).toBe(`${vi1(g.points)} / ${vi(g.max)}`);
      for (const i of g.items) {
        const lost = await page.locator(`#ioc-items tr[data-item="${i.id}"] td:nth-child(4)`).textContent();
        expect(lost, i.id).toBe(i.lost > 1e-9 ? `−${vi1(i.lost)} điểm bị mất` : '0');
      }
    }
    // The 16 points Decision 766 does not define yet are said, not hidden.
    expect(await page.locator('#ioc-index-note').innerText()).toContain('16 điểm');
    return s;
  }

  it('shows the province leader the real numbers, the ranking, and the dossiers behind a lost point', async () => {
    const { context, page } = await officer('lanhdao');
    await page.locator('#o-quick-dashboard').click();
    await page.waitForURL('**/can-bo/dieu-hanh');
    await ready(page);
    // By default: the highest unit the leader watches, this year so far.
    expect(await view(page)).toEqual({ unit: 'H41', period: today().slice(0, 4), kind: 'year' });
    await expectNumbers(page);
    await page.goto('/can-bo/dieu-hanh?period=2026&kind=year');
    await ready(page);
    expect(await view(page)).toEqual({ unit: 'H41', period: '2026', kind: 'year' });
    const s = await expectNumbers(page);
    expect(s.counts.received).toBeGreaterThan(50);
    expect(await page.locator('#ioc-children-table tbody tr').count()).toBe(s.children.length);
    expect(await page.locator('#ioc-procedures-table tbody tr').count()).toBe(
      Math.min(20, s.byProcedure.length),
    );
    expect(await page.locator('#ioc-channels-table tbody tr').count()).toBe(3);
    // The service centre receives for the deciding agencies: shown beside the tree, said in words.
    expect(await page.locator('#ioc-children-table tr[data-unit="H41.02"]').innerText()).toContain(
      'nơi tiếp nhận',
    );
    expect(await page.locator('#ioc-chart canvas').count()).toBeGreaterThan(0);
    // The chart's numbers are in a table too (its text alternative), one row per month of 2026 so far.
    const trend = await json<{ items: { key: string; received: number }[] }>(
      page,
      '/api/indicators/trend?unit=H41&period=2026&kind=year&by=month',
    );
    const rows = await page
      .locator('#ioc-trend-table tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [tr.querySelector('th')?.textContent, tr.querySelector('td')?.textContent]),
      );
    for (const i of trend.items) {
      expect(rows).toContainEqual([`${i.key.slice(5)}/${i.key.slice(0, 4)}`, vi(i.received)]);
    }
    expect(rows.reduce((a, r) => a + Number(r[1]), 0)).toBe(s.counts.received);
    expect(await page.locator('#ioc-export-xlsx').getAttribute('href')).toBe(
      '/api/indicators/export.xlsx?unit=H41&period=2026&kind=year',
    );
    expect(await page.locator('#ioc-export-pdf').getAttribute('href')).toBe(
      '/api/indicators/export.pdf?unit=H41&period=2026&kind=year',
    );
    // At risk: overdue first, in the API's order, with words and not only colour.
    const risk = await json<{
      overdue: number;
      dueSoon: number;
      items: { code: string; overdue: boolean }[];
    }>(page, '/api/indicators/at-risk?unit=H41&limit=200');
    // The server's totals, not the length of the (capped) list.
    expect(risk.overdue + risk.dueSoon).toBeGreaterThanOrEqual(risk.items.length);
    expect(risk.overdue).toBe(risk.items.filter((i) => i.overdue).length);
    const expected = [...risk.items].sort((a, b) => Number(b.overdue) - Number(a.overdue)).slice(0, 30);
    expect(
      await page
        .locator('#ioc-at-risk-list li')
        .evaluateAll((li) => li.map((x) => x.getAttribute('data-code'))),
    ).toEqual(expected.map((i) => i.code));
    if (expected[0]?.overdue)
      expect(await page.locator('#ioc-at-risk-list li').first().innerText()).toContain('Quá hạn');
    await check(page, 'ioc01-province-year');

    // Ranking: departments, then communes, row for row as the API says.
    for (const level of ['department', 'commune'] as const) {
      await page.locator(`#ioc-rank-tab-${level}`).click();
      expect(await page.locator(`#ioc-rank-tab-${level}`).getAttribute('aria-selected')).toBe('true');
      const r = await json<{
        items: {
          rank: number | null;
          previousRank: number | null;
          unit: { code: string };
          received: number;
          total: number;
        }[];
      }>(page, `/api/indicators/ranking?level=${level}&period=2026&kind=year`);
      await expect
        .poll(() =>
          page
            .locator('#ioc-ranking-table tbody tr')
            .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-unit'))),
        )
        .toEqual(r.items.map((i) => i.unit.code));
      const cells = await page
        .locator('#ioc-ranking-table tbody tr')
        .evaluateAll((trs) =>
          trs.map((tr) => [
            tr.children[0]?.textContent,
            tr.children[1]?.querySelector('.sr-only')?.textContent,
            tr.children[3]?.textContent,
          ]),
        );
      expect(cells).toEqual(
        r.items.map((i) => {
          // A unit without dossiers in the period is listed, not ranked (its full points would mean nothing).
          if (i.rank === null) return ['—', 'chưa xếp hạng', '—'];
          if (i.previousRank === null) return [String(i.rank), 'kỳ trước chưa được xếp hạng', vi1(i.total)];
          const moved = i.previousRank - i.rank;
          const words =
            moved > 0 ? `tăng ${moved} bậc` : moved < 0 ? `giảm ${-moved} bậc` : 'giữ nguyên hạng';
          return [String(i.rank), words, vi1(i.total)];
        }),
      );
      expect(await page.locator('#ioc-ranking-table tr.ioc-unranked').count()).toBe(
        r.items.filter((i) => i.rank === null).length,
      );
    }

    // Drill-down from the timeliness item: exactly the dossiers that cost points, first page of 20.
    const timely = s.explain.find((e) => e.id === 'TDGQ.timely')!;
    const drill = await json<Drill>(
      page,
      '/api/indicators/dossiers?unit=H41&period=2026&kind=year&formula=TDGQ.timely&limit=20',
    );
    expect(drill.total).toBe(timely.denominator - timely.numerator);
    await page.locator('#ioc-drill-TDGQ-timely').click();
    await expect
      .poll(() => page.locator('#ioc-drill-table tbody tr').count())
      .toBe(Math.min(20, drill.total));
    expect(await page.locator('#ioc-drill-total [data-total]').getAttribute('data-total')).toBe(
      String(drill.total),
    );
    expect(
      await page.locator('#ioc-drill-table tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.code)),
    ).toEqual(drill.items.map((i) => i.code));
    expect(await read(page, 'document.activeElement?.id')).toBe('ioc-drill-h');
    await check(page, 'ioc02-drill-timely');
    if (drill.total > 20) {
      await page.locator('#ioc-drill-next').click();
      await expect
        .poll(() => page.locator('#ioc-drill-page').innerText())
        .toBe(`Trang 2/${Math.ceil(drill.total / 20)}`);
      const page2 = await json<Drill>(
        page,
        '/api/indicators/dossiers?unit=H41&period=2026&kind=year&formula=TDGQ.timely&limit=20&offset=20',
      );
      await expect
        .poll(() =>
          page.locator('#ioc-drill-table tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.code)),
        )
        .toEqual(page2.items.map((i) => i.code));
    }

    // Drill by a count from a tile: the overdue dossiers in progress.
    await page.locator('#ioc-drill-key-inProgressOverdue').click();
    await expect
      .poll(() => page.locator('#ioc-drill-total [data-total]').getAttribute('data-total'))
      .toBe(String(s.counts.inProgressOverdue));
    await expect
      .poll(() => page.locator('#ioc-drill-table tbody tr').count())
      .toBe(Math.min(20, s.counts.inProgressOverdue!));
    expect(await page.locator('#ioc-drill-table [data-outcome="running_overdue"]').count()).toBe(
      Math.min(20, s.counts.inProgressOverdue!),
    );
    // A code opens the dossier workspace; back, the drill-down is still open.
    const code = (await page.locator('#ioc-drill-table tbody tr').first().getAttribute('data-code'))!;
    await page.locator(`#ioc-drill-table tbody tr[data-code="${code}"] a`).click();
    await page.waitForURL(`**/can-bo/ho-so/${code}`);
    await expect.poll(() => page.locator('#ws-title').count()).toBe(1);
    await page.goBack();
    await ready(page);
    await expect.poll(() => page.locator(`#ioc-drill-table tr[data-code="${code}"]`).count()).toBe(1);
    await context.close();
  });

  it('follows the period pickers and the unit tree in the address, and speaks English', async () => {
    const { context, page } = await officer('lanhdao');
    await page.goto('/can-bo/dieu-hanh?period=2026&kind=year');
    await ready(page);
    const year = await expectNumbers(page);

    // Reporting month 11/2026 = 15/10–14/11 (Decree 09/2019).
    await page.locator('#ioc-kind').selectOption('report_month');
    await page.locator('#ioc-year').selectOption('2026');
    await page.locator('#ioc-sub-sel').selectOption('11');
    await page.locator('#ioc-apply').click();
    await page.waitForURL(/kind=report_month/);
    expect(new URL(page.url()).searchParams.get('period')).toBe('2026-11');
    await expect.poll(() => view(page)).toEqual({ unit: 'H41', period: '2026-11', kind: 'report_month' });
    const month = await expectNumbers(page);
    expect(month.period).toMatchObject({ from: '2026-10-15', to: '2026-11-14' });
    expect(month.counts.received).toBeLessThan(year.counts.received!);
    expect(await page.locator('#ioc-sub').innerText()).toContain('15/10/2026 – 14/11/2026');
    await check(page, 'ioc03-report-month');

    // A quarter, then a custom range typed dd/mm/yyyy; an impossible date is refused on the spot.
    await page.locator('#ioc-kind').selectOption('quarter');
    await page.locator('#ioc-sub-sel').selectOption('Q3');
    await page.locator('#ioc-apply').click();
    await expect.poll(() => view(page)).toEqual({ unit: 'H41', period: '2026-Q3', kind: 'quarter' });
    await expectNumbers(page);
    // A reporting quarter: its trend is per reporting month (15/09–14/10 is "10/2026"), summing to the tile.
    await page.locator('#ioc-kind').selectOption('report_quarter');
    await page.locator('#ioc-sub-sel').selectOption('Q4');
    await page.locator('#ioc-apply').click();
    await expect.poll(() => view(page)).toEqual({ unit: 'H41', period: '2026-Q4', kind: 'report_quarter' });
    const rq = await expectNumbers(page);
    expect(rq.period).toMatchObject({ from: '2026-09-15', to: '2026-12-14' });
    const trendRows = await page
      .locator('#ioc-trend-table tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [tr.querySelector('th')?.textContent, tr.querySelector('td')?.textContent]),
      );
    expect(trendRows.map((r) => r[0])).toEqual(['10/2026', '11/2026', '12/2026']);
    expect(trendRows.reduce((a, r) => a + Number(r[1]), 0)).toBe(rq.counts.received);
    await page.locator('#ioc-kind').selectOption('custom');
    await page.locator('#ioc-from').fill('31/02/2026');
    await page.locator('#ioc-apply').click();
    await expect.poll(() => page.locator('#ioc-filter-error').isVisible()).toBe(true);
    expect(await page.locator('#ioc-from').getAttribute('aria-invalid')).toBe('true');
    expect(page.url()).toContain('period=2026-Q4&kind=report_quarter');
    await page.locator('#ioc-from').fill('5/7/2026');
    await page.locator('#ioc-to').fill('17/11/2026');
    await page.locator('#ioc-apply').click();
    await expect
      .poll(() => view(page))
      .toEqual({ unit: 'H41', period: '2026-07-05..2026-11-17', kind: 'custom' });
    expect(new URL(page.url()).searchParams.get('kind')).toBe('custom');
    await expectNumbers(page);
    // Back goes to the reporting quarter again, from the address alone.
    await page.goBack();
    await expect.poll(() => view(page)).toEqual({ unit: 'H41', period: '2026-Q4', kind: 'report_quarter' });

    // Down the unit tree from the table of child units, and back up by the breadcrumb.
    await page.goto('/can-bo/dieu-hanh?period=2026&kind=year');
    await ready(page);
    await page.locator('#ioc-children-table tr[data-unit="H41.50"] a').click();
    await expect.poll(() => view(page)).toEqual({ unit: 'H41.50', period: '2026', kind: 'year' });
    expect(new URL(page.url()).searchParams.get('unit')).toBe('H41.50');
    await expectNumbers(page);
    expect(await page.locator('#ioc-crumbs a').getAttribute('data-unit')).toBe('H41');
    expect(await page.locator('#ioc-crumbs [aria-current="page"]').innerText()).toContain('Trường Vinh');
    await check(page, 'ioc04-commune-from-province');
    await page.locator('#ioc-crumbs a').click();
    await expect.poll(() => view(page)).toEqual({ unit: 'H41', period: '2026', kind: 'year' });

    // English: words and number formats follow the language.
    await page.locator('#lang-toggle').click();
    await expect.poll(() => page.locator('#ioc-h1').innerText()).toBe('Operations dashboard');
    await ready(page);
    const s = await json<Summary>(page, '/api/indicators?unit=H41&period=2026&kind=year');
    expect(await tileValue(page, 'on-time')).toBe(`${(s.shares.onTime! * 100).toFixed(1)}%`);
    expect(await page.locator('#ioc-tile-received .ioc-tile-label').innerText()).toBe('Dossiers received');
    expect(await page.locator('#ioc-items tbody[data-group="TDGQ"] .ioc-group-name').innerText()).toBe(
      'TDGQ · Timeliness',
    );
    await check(page, 'ioc05-english');
    await context.close();
  });

  it('has a wall-screen mode: dark, large tiles, index, trend and risks only, refreshed every 30 s', async () => {
    const { context, page } = await officer('lanhdao', WALL, true);
    await page.goto('/can-bo/dieu-hanh?period=2026&kind=year');
    await ready(page);
    await page.locator('#ioc-wall-toggle').click();
    await page.waitForURL(/wall=1/);
    await ready(page);
    expect(await page.locator('body').getAttribute('class')).toContain('ioc-wall');
    expect(await page.locator('#ioc-wall-toggle').getAttribute('aria-pressed')).toBe('true');
    const size = Number.parseFloat(
      String(
        await read(
          page,
          `getComputedStyle(document.querySelector('#ioc-tile-received .ioc-tile-value')).fontSize`,
        ),
      ),
    );
    expect(size).toBeGreaterThanOrEqual(48);
    for (const gone of [
      '#ioc-filters',
      '#ioc-ranking',
      '#ioc-children',
      '#ioc-procedures',
      '.o-menu',
      'header.top',
    ])
      expect(await page.locator(gone).isVisible(), gone).toBe(false);
    for (const shown of ['#ioc-index', '#ioc-trend', '#ioc-at-risk', '#ioc-fullscreen'])
      expect(await page.locator(shown).isVisible(), shown).toBe(true);
    expect(await page.locator('#ioc-chart canvas').count()).toBeGreaterThan(0);
    expect(page.url()).toContain('period=2026&kind=year&wall=1');
    const s = await json<Summary>(page, '/api/indicators?period=2026&kind=year');
    expect(await tileValue(page, 'received')).toBe(vi(s.counts.received!));
    await check(page, 'ioc06-wall');
    // The wall screen refreshes itself: 31 s later the stamp is newer.
    const before = await page.locator('#ioc-stamp').innerText();
    await page.clock.fastForward('00:31');
    await expect.poll(() => page.locator('#ioc-stamp').innerText()).not.toBe(before);
    expect(await page.locator('#ioc-stamp').innerText()).toMatch(/^Cập nhật lúc \d{2}:\d{2}:\d{2}$/);
    // The address alone reproduces the wall screen; leaving it brings the office frame back.
    await page.goto('/can-bo/dieu-hanh?period=2026&kind=year&wall=1');
    await ready(page);
    expect(await page.locator('#ioc-ranking').count()).toBe(0);
    await page.locator('#ioc-wall-toggle').click();
    await expect.poll(() => page.locator('.o-menu').count()).toBe(1);
    expect(page.url()).not.toContain('wall=1');
    await context.close();
  });

  it("gives a commune chairman their commune, refreshed quietly without losing the reader's place", async () => {
    const { context, page } = await officer('chutich.50', DESKTOP, true);
    expect(await page.locator('#o-quick-dashboard').count()).toBe(1);
    // From the first demo dossiers to today: the dossier received during the test belongs to it too.
    const range = `2026-01-01..${today()}`;
    await page.goto(`/can-bo/dieu-hanh?period=${range}&kind=custom`);
    await ready(page);
    expect(await view(page)).toEqual({ unit: 'H41.50', period: range, kind: 'custom' });
    const s = await expectNumbers(page);
    expect(await page.locator('#ioc-unit option').count()).toBe(1);
    expect(await page.locator('#ioc-children-none').count()).toBe(1);
    await page.locator('#ioc-rank-tab-commune').click();
    await expect
      .poll(() => page.locator('#ioc-ranking-table tr.ioc-here').getAttribute('data-unit'))
      .toBe('H41.50');

    // Drill-down: the whole list fits the first page, every dossier of it and no other.
    const timely = s.explain.find((e) => e.id === 'TDGQ.timely')!;
    const total = timely.denominator - timely.numerator;
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(20);
    await page.locator('#ioc-drill-TDGQ-timely').click();
    await expect.poll(() => page.locator('#ioc-drill-table tbody tr').count()).toBe(total);
    expect(await page.locator('#ioc-drill-next').count()).toBe(0);
    const codes = await page
      .locator('#ioc-drill-table tbody tr')
      .evaluateAll((trs) => trs.map((tr) => tr.dataset.code ?? ''));
    expect(codes.every((c) => c.startsWith('H41.50-'))).toBe(true);
    await check(page, 'ioc07-commune-drill');

    // A dossier is received meanwhile; a minute later the page shows it, the drill-down still open and the
    // reader still where they were.
    await page.locator('#ioc-at-risk').scrollIntoViewIfNeeded();
    const y = Number(await read(page, 'window.scrollY'));
    const reception = await login(t.app, 'tiepnhan.50');
    const created = await registerAtCounter(t.app, reception, 'H41.50', {
      name: 'Phạm Thị Bảng',
      idNumber: '040090009002',
    });
    expect(created.statusCode, created.body).toBe(201);
    const accepted = await act(t.app, reception, created.json().code, created.json().version, {
      type: 'accept',
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    await page.clock.fastForward('01:01');
    await expect.poll(() => tileValue(page, 'received')).toBe(vi(s.counts.received! + 1));
    await expectNumbers(page);
    expect(await page.locator('#ioc-drill-table tbody tr').count()).toBe(total);
    expect(Math.abs(Number(await read(page, 'window.scrollY')) - y)).toBeLessThanOrEqual(1);

    // Another commune, or the province, is not theirs: the server's refusal is shown.
    await page.goto('/can-bo/dieu-hanh?unit=H41&period=2026');
    await expect.poll(() => page.locator('#ioc-load-error').count()).toBe(1);
    expect(await page.locator('#ioc-load-error').innerText()).toContain('Chỉ lãnh đạo');
    await check(page, 'ioc08-forbidden-unit');
    await context.close();
  });

  it('is usable on a phone', async () => {
    const { context, page } = await officer('chutich.50', PHONE);
    await page.goto('/can-bo/dieu-hanh');
    await ready(page);
    await expectNumbers(page);
    const overflow = Number(await read(page, 'document.documentElement.scrollWidth - window.innerWidth'));
    expect(overflow).toBeLessThanOrEqual(0);
    await check(page, 'ioc09-commune-phone');
    await context.close();
  });

  it('has no serious or critical accessibility violation on any state it visited', () => {
    const bad = visited.filter((v) => v.violations.length > 0);
    expect(bad, JSON.stringify(bad, null, 2)).toEqual([]);
    expect(visited.length).toBeGreaterThanOrEqual(9);
    expect(scriptErrors).toEqual([]);
  });
});
