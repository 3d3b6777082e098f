import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  act,
  citizenSession,
  ENGINES,
  errorCode,
  login,
  registerAtCounter,
  type Session,
  startTestApp,
  type TestApp,
  validForm,
} from './helpers.js';

const MINH = { name: 'Nguyễn Văn Minh', idNumber: '040090001234' };

describe.each(ENGINES)('citizen profile, rating, QR and expected due date on %s', (engine) => {
  let t: TestApp;
  let minh: Session;
  let huong: Session;
  let reception: Session;
  beforeAll(async () => {
    t = await startTestApp(engine, { dossiers: 10 });
    minh = await citizenSession(t, MINH.idNumber);
    huong = await citizenSession(t, '040164005678');
    reception = await login(t.app, 'tiepnhan.50');
  });
  afterAll(async () => t?.close());

  it('shows the profile from the identity and lets the citizen change only contact details', async () => {
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/me/profile',
      headers: { cookie: minh.cookie },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      fullName: 'Nguyễn Văn Minh',
      personalId: '040090001234',
      dateOfBirth: '1992-03-14',
    });
    const put = (body: Record<string, unknown>) =>
      t.app.inject({ method: 'PUT', url: '/api/me/profile', headers: minh.headers, payload: body });
    const ok = await put({ phone: '0987654321', email: 'minh.moi@example.vn' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({
      phone: '0987654321',
      email: 'minh.moi@example.vn',
      fullName: 'Nguyễn Văn Minh',
    });
    const badPhone = await put({ phone: '12ab' });
    expect(badPhone.statusCode).toBe(400);
    expect(errorCode(badPhone)).toBe('VALIDATION_FAILED');
    const name = await put({ fullName: 'Người Khác' });
    expect(name.statusCode).toBe(400);
    const officer = await t.app.inject({
      method: 'GET',
      url: '/api/me/profile',
      headers: { cookie: reception.cookie },
    });
    expect(officer.statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/me/profile' })).statusCode).toBe(401);
    const noCsrf = await t.app.inject({
      method: 'PUT',
      url: '/api/me/profile',
      headers: { cookie: minh.cookie },
      payload: { phone: '0911111111' },
    });
    expect(errorCode(noCsrf)).toBe('CSRF_FAILED');
  });

  it('browses the catalogue by deciding agency', async () => {
    const agencies = (await t.app.inject({ method: 'GET', url: '/api/procedures/agencies' })).json()
      .items as {
      code: string;
      level: string;
      count: number;
    }[];
    const construction = agencies.find((a) => a.code === 'H41.04');
    const commune = agencies.find((a) => a.code === 'H41.50');
    expect(construction?.count).toBeGreaterThan(0);
    expect(commune?.level).toBe('commune');
    const list = async (agency: string) =>
      (await t.app.inject({ method: 'GET', url: `/api/procedures?agency=${agency}&limit=200` })).json();
    const byConstruction = await list('H41.04');
    expect(byConstruction.total).toBe(construction?.count);
    expect(
      byConstruction.items.every((p: { competentUnits: string[] }) => p.competentUnits.includes('H41.04')),
    ).toBe(true);
    const byCommune = await list('H41.50');
    expect(byCommune.total).toBe(commune?.count);
    expect(byCommune.items.map((p: { code: string }) => p.code)).toContain('1.013225');
    expect(byCommune.items.every((p: { level: string }) => p.level === 'commune')).toBe(true);
    const search = await t.app.inject({
      method: 'GET',
      url: '/api/procedures?q=giay%20phep%20xay%20dung&agency=H41.50',
    });
    expect(search.json().items[0].code).toBe('1.013225');
    const unknown = await t.app.inject({ method: 'GET', url: '/api/procedures?agency=H99.99' });
    expect(unknown.statusCode).toBe(404);
  });

  it('draws a QR code of the public status URL for an existing dossier only', async () => {
    const d = (await registerAtCounter(t.app, reception, 'H41.50', MINH)).json();
    const res = await t.app.inject({ method: 'GET', url: `/api/lookup/${d.code}/qr.svg` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('image/svg+xml');
    const expected = await QRCode.toString(`${t.ctx.config.publicUrl}/?ma=${d.code}`, {
      type: 'svg',
      errorCorrectionLevel: 'M',
      margin: 2,
    });
    expect(res.body).toBe(expected);
    const unknown = await t.app.inject({ method: 'GET', url: '/api/lookup/H41.50-261120-9999/qr.svg' });
    expect(unknown.statusCode).toBe(404);
    const bad = await t.app.inject({ method: 'GET', url: '/api/lookup/<script>/qr.svg' });
    expect(bad.statusCode).toBe(400);
  });

  it('gives an online dossier an expected appointment date until it is received', async () => {
    const formData = await validForm(t.app, '1.001193');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/dossiers',
      headers: minh.headers,
      payload: {
        procedureCode: '1.001193',
        channel: 'online',
        competentUnit: 'H41.50',
        applicant: MINH,
        formData,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const d = res.json();
    expect(d.state.dueAt).toBeNull();
    expect(Date.parse(d.expectedDueAt)).toBeGreaterThan(Date.now());
    const clock = t.ctx.dossiers.clock('H41.50');
    const days = d.state.processingDays as number;
    // The same clock the officer's acceptance will use, counted from the moment of the request.
    const low = clock.addWorkingDays(new Date(Date.now() - 60_000), days).getTime();
    const high = clock.addWorkingDays(new Date(Date.now() + 60_000), days).getTime();
    expect(Date.parse(d.expectedDueAt)).toBeGreaterThanOrEqual(low);
    expect(Date.parse(d.expectedDueAt)).toBeLessThanOrEqual(high);
    const accepted = (await act(t.app, reception, d.code, d.version, { type: 'accept' })).json();
    expect(accepted.expectedDueAt).toBeNull();
    expect(accepted.state.dueAt).toBeTruthy();
  });

  it('lets the applicant rate once, only after the result is returned', async () => {
    const specialist = await login(t.app, 'tuphap.50');
    const chairman = await login(t.app, 'chutich.50');
    const clerk = await login(t.app, 'vanthu.50');
    let d = (
      await registerAtCounter(t.app, reception, 'H41.50', MINH, { outcome: { type: 'accept' } })
    ).json();
    const rate = (s: Session, body: Record<string, unknown>) =>
      t.app.inject({
        method: 'POST',
        url: `/api/dossiers/${d.code}/rating`,
        headers: s.headers,
        payload: body,
      });
    const early = await rate(minh, { level: 'satisfied' });
    expect(early.statusCode).toBe(409);
    expect(errorCode(early)).toBe('RATING_NOT_OPEN');
    d = (await act(t.app, specialist, d.code, d.version, { type: 'forward' })).json();
    d = (await act(t.app, chairman, d.code, d.version, { type: 'forward' })).json();
    d = (await act(t.app, chairman, d.code, d.version, { type: 'forward' })).json();
    d = (await act(t.app, clerk, d.code, d.version, { type: 'finish', outcome: 'approved' })).json();
    d = (await act(t.app, reception, d.code, d.version, { type: 'return_result', method: 'counter' })).json();
    expect(d.status).toBe(10);

    const view = await t.app.inject({
      method: 'GET',
      url: `/api/dossiers/${d.code}/rating`,
      headers: { cookie: minh.cookie },
    });
    expect(view.json()).toEqual({ rating: null, canRate: true });
    expect((await rate(minh, { level: 'delighted' })).statusCode).toBe(400);
    expect((await rate(minh, { level: 'satisfied', criteria: { c1: 3 } })).statusCode).toBe(400);
    expect((await rate(huong, { level: 'unsatisfied' })).statusCode).toBe(404); // not her dossier
    expect((await rate(reception, { level: 'satisfied' })).statusCode).toBe(403); // officers do not rate
    const criteria = { c1: 2, c2: 2, c3: 2, c4: 2, c5: 2, c6: 1, c7: 2, c8: 2, c9: 1 };
    const first = await rate(minh, { level: 'very_satisfied', criteria, comment: 'Cán bộ nhiệt tình' });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json().rating).toMatchObject({
      level: 'very_satisfied',
      criteriaScore: 16,
      comment: 'Cán bộ nhiệt tình',
    });
    const again = await rate(minh, { level: 'unsatisfied' });
    expect(again.statusCode).toBe(409);
    expect(errorCode(again)).toBe('ALREADY_RATED');
    const after = (
      await t.app.inject({
        method: 'GET',
        url: `/api/dossiers/${d.code}/rating`,
        headers: { cookie: minh.cookie },
      })
    ).json();
    expect(after).toMatchObject({ canRate: false, rating: { level: 'very_satisfied' } });
    const asOfficer = (
      await t.app.inject({
        method: 'GET',
        url: `/api/dossiers/${d.code}/rating`,
        headers: { cookie: reception.cookie },
      })
    ).json();
    expect(asOfficer).toMatchObject({ canRate: false, rating: { level: 'very_satisfied' } });
    const rows = await t.ctx.database.db.selectFrom('dossier_ratings').selectAll().execute();
    expect(rows).toHaveLength(1);
    const receptionist = await t.ctx.database.db
      .selectFrom('officers')
      .select('id')
      .where('username', '=', 'tiepnhan.50')
      .executeTakeFirstOrThrow();
    expect(rows[0]).toMatchObject({ officer_id: receptionist.id, criteria_score: 16 });
    const audit = await t.ctx.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'dossier.rate')
      .execute();
    expect(audit).toHaveLength(1);
  });
});
