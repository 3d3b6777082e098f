import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, errorCode, startTestApp, type TestApp } from './helpers.js';

describe.each(ENGINES)('public contract on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engine);
  });
  afterAll(async () => t?.close());
  const get = (url: string) => t.app.inject({ method: 'GET', url });

  it('GET /api/health names the engine', async () => {
    const res = await get('/api/health');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', database: engine });
  });

  it('GET /api/openapi.json is OpenAPI 3.1 generated from the route schemas', async () => {
    const res = await get('/api/openapi.json');
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    for (const path of [
      '/api/health',
      '/api/procedures',
      '/api/calendar/due',
      '/api/lookup/{code}',
      '/api/dossiers',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect(doc.paths['/api/calendar/due'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['from', 'workingDays']),
    );
    expect((await get('/api/docs/')).statusCode).toBe(200);
  });

  describe('procedure search', () => {
    const search = async (q: string) => (await get(`/api/procedures?q=${encodeURIComponent(q)}`)).json();

    it('finds the building permit without diacritics, first among the results', async () => {
      const r = await search('giay phep xay dung');
      expect(r.total).toBeGreaterThan(0);
      expect(r.items[0].name).toMatch(/giấy phép xây dựng/i);
      expect(r.items.map((i: { code: string }) => i.code)).toContain('1.013225');
    });

    it('treats đ as d and ignores case', async () => {
      const a = await search('DANG KY KHAI TU');
      const b = await search('đăng ký khai tử');
      expect(a.items[0].code).toBe(b.items[0].code);
      expect(a.items[0].name).toMatch(/khai tử/);
    });

    it('tolerates a typo', async () => {
      const r = await search('giay phep xay dumg');
      expect(r.items[0].name).toMatch(/giấy phép xây dựng/i);
      const k = await search('dang ky ket hon');
      const typo = await search('dang ki ket hon');
      expect(typo.items[0].code).toBe(k.items[0].code);
    });

    it('finds a procedure by its code first', async () => {
      const r = await search('1.000894');
      expect(r.items[0].code).toBe('1.000894');
    });

    it('lists, filters and pages the catalogue', async () => {
      const all = (await get('/api/procedures?limit=200')).json();
      expect(all.total).toBeGreaterThanOrEqual(30);
      const fields = (await get('/api/procedures/fields')).json().items;
      expect(fields.length).toBeGreaterThanOrEqual(6);
      const civil = (await get(`/api/procedures?field=${encodeURIComponent('Hộ tịch')}&limit=5`)).json();
      expect(civil.items.every((i: { field: string }) => i.field === 'Hộ tịch')).toBe(true);
      expect(civil.items.length).toBe(5);
    });

    it('returns a procedure with everything a citizen needs', async () => {
      const res = await get('/api/procedures/1.013225');
      expect(res.statusCode).toBe(200);
      const { definition } = res.json();
      expect(definition.components.length).toBeGreaterThan(0);
      expect(definition.workflow.length).toBeGreaterThan(0);
      expect(definition.processingDays.counter).toBeGreaterThan(0);
      expect(errorCode(await get('/api/procedures/9.999999'))).toBe('PROCEDURE_NOT_FOUND');
    });

    it('rejects bad query parameters with a stable code, not a 500', async () => {
      for (const url of [
        '/api/procedures?limit=0',
        '/api/procedures?limit=abc',
        `/api/procedures?q=${'x'.repeat(300)}`,
      ]) {
        const res = await get(url);
        expect(res.statusCode, url).toBe(400);
        expect(errorCode(res)).toBe('VALIDATION_FAILED');
      }
    });
  });

  describe('calendar', () => {
    it('lists every day off and every make-up working day of 2026', async () => {
      const res = await get('/api/calendar/holidays?year=2026');
      expect(res.statusCode).toBe(200);
      const items = res.json().items as { date: string; kind: string; name: string }[];
      const byDate = Object.fromEntries(items.map((i) => [i.date, i.kind]));
      expect(byDate['2026-01-02']).toBe('swapped');
      expect(byDate['2026-01-10']).toBe('makeup_workday');
      expect(byDate['2026-02-17']).toBe('holiday');
      expect(byDate['2026-04-27']).toBe('compensatory');
      expect(byDate['2026-09-02']).toBe('holiday');
      expect(items.every((i) => i.name.length > 0)).toBe(true);
    });

    it('falls back to the Labour Code defaults for a year without an official notice', async () => {
      const res = (await get('/api/calendar/holidays?year=2030')).json();
      expect(res.official).toBe(false);
      expect(res.items.map((i: { date: string }) => i.date)).toContain('2030-02-02'); // Tết 2030 (UTC+7)
    });

    it('converts to the Vietnamese lunar calendar (UTC+7, not China’s UTC+8)', async () => {
      expect((await get('/api/calendar/lunar?date=2007-02-17')).json()).toEqual({
        day: 1,
        month: 1,
        year: 2007,
        leapMonth: false,
      });
      expect((await get('/api/calendar/lunar?date=2026-04-26')).json()).toMatchObject({ day: 10, month: 3 });
      expect((await get('/api/calendar/lunar?date=2023-03-22')).json()).toMatchObject({
        day: 1,
        month: 2,
        leapMonth: true,
      });
    });

    it('computes due dates in working days in +07:00', async () => {
      const due = async (from: string, n: number) =>
        (await get(`/api/calendar/due?from=${encodeURIComponent(from)}&workingDays=${n}`)).json().due;
      expect(await due('2026-04-24T09:00:00+07:00', 1)).toBe('2026-04-28T09:00:00+07:00');
      expect(await due('2026-02-13T10:00:00+07:00', 1)).toBe('2026-02-23T10:00:00+07:00');
      expect(await due('2026-04-24T02:00:00Z', 0.5)).toBe('2026-04-24T14:30:00+07:00'); // 09:00 + 2.5 h + lunch + 1.5 h
      expect(await due('2026-11-21T22:00:00+07:00', 1)).toBe('2026-11-23T17:00:00+07:00');
      // A '+' sent unencoded arrives as a space; still understood.
      const res = await get('/api/calendar/due?from=2026-04-24T09:00:00+07:00&workingDays=1');
      expect(res.json().due).toBe('2026-04-28T09:00:00+07:00');
    });

    it('rejects malformed calendar input', async () => {
      for (const url of [
        '/api/calendar/holidays?year=abc',
        '/api/calendar/holidays?year=1200',
        '/api/calendar/lunar?date=2026-02-30',
        '/api/calendar/lunar?date=26-02-01',
        '/api/calendar/due?from=2026-04-24&workingDays=1',
        '/api/calendar/due?from=2026-04-24T09:00:00%2B07:00&workingDays=0.3',
        '/api/calendar/due?from=2026-04-24T09:00:00%2B07:00&workingDays=-1',
        '/api/calendar/due?from=nope&workingDays=1',
      ]) {
        const res = await get(url);
        expect(res.statusCode, url).toBe(400);
        expect(errorCode(res), url).toBe('VALIDATION_FAILED');
      }
    });
  });

  describe('public lookup', () => {
    it('shows status and dates with a masked name, and nothing personal', async () => {
      const row = await t.ctx.database.db
        .selectFrom('dossiers')
        .select(['code', 'applicant_name', 'applicant_id'])
        .where('status', 'in', [2, 4])
        .orderBy('code')
        .limit(1)
        .executeTakeFirstOrThrow();
      const res = await get(`/api/lookup/${row.code}`);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({ code: row.code });
      expect(['Được tiếp nhận', 'Đang xử lý']).toContain(body.statusLabel);
      expect(body.dueAt).toMatch(/\+07:00$/);
      expect(body.applicant).not.toBe(row.applicant_name);
      expect(body.applicant).toContain('*');
      expect(res.body).not.toContain(row.applicant_id!);
      expect(res.body).not.toContain('state');
    });

    it('answers 404 for an unknown code and 400 for a malformed one', async () => {
      expect(errorCode(await get('/api/lookup/H41.50-261124-9999'))).toBe('DOSSIER_NOT_FOUND');
      expect((await get('/api/lookup/H41.50-261124-9999')).statusCode).toBe(404);
      expect(errorCode(await get('/api/lookup/not-a-code'))).toBe('DOSSIER_CODE_INVALID');
    });
  });

  it('serves the web shell with secure headers', async () => {
    const res = await get('/');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Cổng dịch vụ công');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const res = await get('/api/nope');
    expect(res.statusCode).toBe(404);
    expect(errorCode(res)).toBe('NOT_FOUND');
  });
});
