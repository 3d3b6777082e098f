import { sealAllAudit, verifyAuditChain } from '@tinhso/db';
import { WorkingCalendar } from '@tinhso/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import {
  ENGINES,
  errorCode,
  login,
  registerAtCounter,
  type Session,
  startTestApp,
  type TestApp,
} from './helpers.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe.each(ENGINES)('administration on %s', (engine) => {
  let t: TestApp;
  let admin: Session;
  beforeAll(async () => {
    t = await startTestApp(engine);
    admin = await login(t.app, 'admin');
  });
  afterAll(async () => t?.close());

  it('merges communes: the successor takes over open dossiers and the log keeps the history', async () => {
    const reception = await login(t.app, 'tiepnhan.55');
    const created = await registerAtCounter(
      t.app,
      reception,
      'H41.55',
      { name: 'Phạm Thị Lan', idNumber: '040300111222' },
      { outcome: { type: 'accept' } },
    );
    expect(created.statusCode, created.body).toBe(201);
    const { code } = created.json();
    const merge = await t.app.inject({
      method: 'POST',
      url: '/api/units/merge',
      headers: admin.headers,
      payload: { sources: ['000.00.55.H41'], successor: 'H41.54', effectiveDate: '2026-11-24' },
    });
    expect(merge.statusCode, merge.body).toBe(200);
    expect(merge.json().movedDossiers).toBeGreaterThan(0);
    const unit = (await t.app.inject({ method: 'GET', url: '/api/units/H41.55' })).json();
    expect(unit).toMatchObject({ validTo: '2026-11-23', successor: 'H41.54', classicCode: '000.00.55.H41' });

    const successorSpecialist = await login(t.app, 'tuphap.54');
    const d = (
      await t.app.inject({
        method: 'GET',
        url: `/api/dossiers/${code}`,
        headers: successorSpecialist.headers,
      })
    ).json();
    expect(d.code).toBe(code); // the code never changes
    expect(d.state.competentUnit).toBe('H41.54');
    expect(d.actions.at(-1)).toMatchObject({ type: 'succession', actor_type: 'system' });
    expect(d.availableActions).toContain('forward');
    const forwarded = await t.app.inject({
      method: 'POST',
      url: `/api/dossiers/${code}/actions`,
      headers: successorSpecialist.headers,
      payload: { expectedVersion: d.version, command: { type: 'forward' } },
    });
    expect(forwarded.statusCode, forwarded.body).toBe(200);
    // The closed unit can no longer receive dossiers, and a second merge of it is refused.
    const closed = await registerAtCounter(t.app, reception, 'H41.55', {
      name: 'Ai Đó',
      idNumber: '040300111223',
    });
    expect(errorCode(closed)).toBe('UNIT_INACTIVE');
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/units/merge',
      headers: admin.headers,
      payload: { sources: ['H41.55'], successor: 'H41.54', effectiveDate: '2026-11-25' },
    });
    expect(errorCode(again)).toBe('UNIT_INACTIVE');
  });

  it('creates a unit from either form of its code and refuses duplicates', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/units',
      headers: admin.headers,
      payload: {
        code: '000.00.57.H41',
        name: 'UBND phường Thử',
        level: 'commune',
        parentCode: 'H41',
        validFrom: '2026-01-01',
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ code: 'H41.57', codeParts: ['H41', '57'], parent: 'H41' });
    const dup = await t.app.inject({
      method: 'POST',
      url: '/api/units',
      headers: admin.headers,
      payload: {
        code: 'H41.57',
        name: 'Trùng',
        level: 'commune',
        parentCode: 'H41',
        validFrom: '2026-01-01',
      },
    });
    expect(errorCode(dup)).toBe('ALREADY_EXISTS');
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/units',
      headers: admin.headers,
      payload: { code: '41.57', name: 'Sai mã', level: 'commune', validFrom: '2026-01-01' },
    });
    expect(errorCode(bad)).toBe('AGENCY_CODE_INVALID');
  });

  it('exports the catalogue to XLSX and imports it back unchanged', async () => {
    const xlsx = await t.app.inject({ method: 'GET', url: '/api/catalogue/export?format=xlsx' });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toBe(XLSX);
    const back = await t.app.inject({
      method: 'POST',
      url: '/api/catalogue/import',
      headers: { ...admin.headers, 'content-type': XLSX },
      payload: xlsx.rawPayload,
    });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json()).toMatchObject({ created: 0 });
    expect(back.json().total).toBeGreaterThanOrEqual(30);
  });

  it('versions a procedure: a dossier keeps the version it was received under', async () => {
    const reception = await login(t.app, 'tiepnhan.50');
    const before = await registerAtCounter(
      t.app,
      reception,
      'H41.50',
      { name: 'Hồ Thị Mai', idNumber: '040300222333' },
      { procedureCode: '1.001193' },
    );
    const dossierCode = before.json().code;
    const { definition, version } = (
      await t.app.inject({ method: 'GET', url: '/api/procedures/1.001193' })
    ).json();
    const changed = {
      ...definition,
      processingDays: { ...definition.processingDays, counter: 1 },
      workflow: definition.workflow.map((w: { role: string; durationDays: number }) =>
        w.role === 'specialist' ? { ...w, durationDays: 1 } : w,
      ),
    };
    const saved = await t.app.inject({
      method: 'PUT',
      url: '/api/procedures/1.001193',
      headers: admin.headers,
      payload: changed,
    });
    expect(saved.json()).toEqual({ code: '1.001193', version: version + 1, created: true });
    const row = await t.ctx.database.db
      .selectFrom('dossiers')
      .select('procedure_version')
      .where('code', '=', dossierCode)
      .executeTakeFirstOrThrow();
    expect(row.procedure_version).toBe(version);
    // The current version is kept in memory for submissions (it was read by the registration above): a save
    // forgets it, so the next dossier is received under the new version at once.
    const after = await registerAtCounter(
      t.app,
      reception,
      'H41.50',
      { name: 'Hồ Thị Lan', idNumber: '040300222334' },
      { procedureCode: '1.001193' },
    );
    expect(after.statusCode, after.body).toBe(201);
    const afterRow = await t.ctx.database.db
      .selectFrom('dossiers')
      .select('procedure_version')
      .where('code', '=', after.json().code)
      .executeTakeFirstOrThrow();
    expect(afterRow.procedure_version).toBe(version + 1);
    expect((await t.app.inject({ method: 'GET', url: '/api/procedures/1.001193' })).json().version).toBe(
      version + 1,
    );
    const old = (
      await t.app.inject({ method: 'GET', url: `/api/procedures/1.001193?version=${version}` })
    ).json();
    expect(old.definition.processingDays.counter).toBe(definition.processingDays.counter);
    const again = await t.app.inject({
      method: 'PUT',
      url: '/api/procedures/1.001193',
      headers: admin.headers,
      payload: changed,
    });
    expect(again.json().created).toBe(false);
  });

  it('rejects an invalid import as a whole, naming each problem, and saves nothing', async () => {
    const { procedures } = (await t.app.inject({ method: 'GET', url: '/api/catalogue/export' })).json();
    const good = { ...procedures[0], name: `${procedures[0].name} (sửa)` };
    const bad = { ...procedures[1], processingDays: { counter: 0.3 } };
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/catalogue/import',
      headers: admin.headers,
      payload: { procedures: [good, bad] },
    });
    expect(res.statusCode).toBe(400);
    expect(errorCode(res)).toBe('IMPORT_INVALID');
    expect(res.json().error.details.problems[0].index).toBe(1);
    const still = (await t.app.inject({ method: 'GET', url: `/api/procedures/${good.code}` })).json();
    expect(still.definition.name).toBe(procedures[0].name);
    const notXlsx = await t.app.inject({
      method: 'POST',
      url: '/api/catalogue/import',
      headers: { ...admin.headers, 'content-type': XLSX },
      payload: Buffer.from('%PDF-1.4 not a workbook'),
    });
    expect(errorCode(notXlsx)).toBe('IMPORT_INVALID');
  });

  it('loads a year’s official schedule and the clock follows it', async () => {
    const due = async () =>
      (
        await t.app.inject({
          method: 'GET',
          url: '/api/calendar/due?from=2027-03-04T09:00:00%2B07:00&workingDays=1',
        })
      ).json().due;
    expect(await due()).toBe('2027-03-05T09:00:00+07:00');
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/calendar/years/2027',
      headers: admin.headers,
      payload: {
        source: 'Thông báo thử nghiệm',
        items: [{ date: '2027-03-05', kind: 'swapped', name: 'Nghỉ hoán đổi' }],
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(await due()).toBe('2027-03-08T09:00:00+07:00');
    const wrongYear = await t.app.inject({
      method: 'PUT',
      url: '/api/calendar/years/2027',
      headers: admin.headers,
      payload: { source: 'Sai năm', items: [{ date: '2028-01-01', kind: 'holiday', name: 'x' }] },
    });
    expect(errorCode(wrongYear)).toBe('VALIDATION_FAILED');
  });

  it('keeps the 15:00 paper cut-off and office hours as settings; a unit may have its own hours', async () => {
    const transfer = async (at: string) =>
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/calendar/paper-transfer?receivedAt=${encodeURIComponent(at)}`,
        })
      ).json();
    expect(await transfer('2026-11-24T14:30:00+07:00')).toEqual({
      deadline: '2026-11-24T17:00:00+07:00',
      cutoff: '15:00',
    });
    expect((await transfer('2026-11-24T15:10:00+07:00')).deadline).toBe('2026-11-25T07:30:00+07:00');
    const set = await t.app.inject({
      method: 'PUT',
      url: '/api/calendar/settings',
      headers: admin.headers,
      payload: {
        paperTransferCutoff: '16:00',
        workingHours: {
          sessions: [
            ['08:00', '12:00'],
            ['13:30', '17:30'],
          ],
        },
      },
    });
    expect(set.statusCode, set.body).toBe(204);
    expect((await transfer('2026-11-24T15:10:00+07:00')).deadline).toBe('2026-11-24T17:30:00+07:00');
    const overlap = await t.app.inject({
      method: 'PUT',
      url: '/api/calendar/settings',
      headers: admin.headers,
      payload: {
        workingHours: {
          sessions: [
            ['08:00', '12:00'],
            ['11:00', '17:00'],
          ],
        },
      },
    });
    expect(errorCode(overlap)).toBe('VALIDATION_FAILED');
    const unit = await t.app.inject({
      method: 'PUT',
      url: '/api/units/H41.53/working-hours',
      headers: admin.headers,
      payload: {
        workingHours: {
          sessions: [
            ['07:00', '11:00'],
            ['13:00', '17:00'],
          ],
        },
      },
    });
    expect(unit.statusCode, unit.body).toBe(200);
    expect(unit.json().workingHours.sessions[0]).toEqual(['07:00', '11:00']);
    const reception = await login(t.app, 'tiepnhan.53');
    const d = await registerAtCounter(
      t.app,
      reception,
      'H41.53',
      { name: 'Võ Văn Sơn', idNumber: '040300555666' },
      { outcome: { type: 'accept' } },
    );
    const state = d.json().state;
    // The due date is 10 working days of the unit's own office hours after receipt.
    const unitCalendar = new WorkingCalendar({
      daysForYear: t.ctx.calendar.daysForYear,
      hours: {
        sessions: [
          ['07:00', '11:00'],
          ['13:00', '17:00'],
        ],
      },
    });
    expect(state.dueAt).toBe(unitCalendar.addWorkingTime(new Date(state.receivedAt), 10).toISOString());
    await t.app.inject({
      method: 'PUT',
      url: '/api/calendar/settings',
      headers: admin.headers,
      payload: {
        paperTransferCutoff: '15:00',
        workingHours: {
          sessions: [
            ['07:30', '11:30'],
            ['13:00', '17:00'],
          ],
        },
      },
    });
  });

  it('authenticates integrations with an API token (no CSRF, revocable by expiry)', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/auth/tokens',
      headers: (await login(t.app, 'tiepnhan.50')).headers,
      payload: { name: 'Máy tiếp nhận bưu chính', expiresInDays: 7 },
    });
    const { token } = created.json();
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me.json()).toMatchObject({ kind: 'officer', username: 'tiepnhan.50' });
    const write = await t.app.inject({
      method: 'POST',
      url: '/api/dossiers',
      headers: { authorization: `Bearer ${token}` },
      payload: {
        procedureCode: '1.001193',
        channel: 'post',
        competentUnit: 'H41.50',
        applicant: { name: 'Gửi Bưu Điện', idNumber: '040300333444' },
      },
    });
    expect(write.statusCode, write.body).toBe(201);
    const wrong = await t.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { authorization: 'Bearer ts_wrong' },
    });
    expect(wrong.statusCode).toBe(401);
  });

  it('locks an officer account after repeated failed logins', async () => {
    const attempt = (password: string) =>
      t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'vanthu.53', password } });
    for (let i = 0; i < 5; i++) expect(errorCode(await attempt('sai-mat-khau'))).toBe('LOGIN_FAILED');
    const locked = await attempt('TinhSo@2026');
    expect(locked.statusCode).toBe(423);
    expect(errorCode(locked)).toBe('ACCOUNT_LOCKED');
    expect(
      errorCode(
        await t.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username: 'khong.ton.tai', password: 'x' },
        }),
      ),
    ).toBe('LOGIN_FAILED');
  });

  it('keeps a tamper-evident audit log of every write', async () => {
    // Writes leave their records unsealed; the sealer (every AUDIT_SEAL_MS on a running node) chains them.
    const before = await verifyAuditChain(t.ctx.database.db);
    expect(before.unsealed).toBeGreaterThan(5);
    expect(await sealAllAudit(t.ctx.database.db)).toBe(before.unsealed);
    const intact = await verifyAuditChain(t.ctx.database.db);
    expect(intact.unsealed).toBe(0);
    expect(intact.checked).toBe(before.checked + before.unsealed);
    expect(intact.firstBrokenId).toBeNull();
    expect(intact.checked).toBeGreaterThan(5);
    const actions = await t.ctx.database.db.selectFrom('audit_log').select('action').distinct().execute();
    expect(actions.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'dossier.create',
        'dossier.forward',
        'unit.merge',
        'procedure.version',
        'calendar.replace_year',
        'auth.login',
        'auth.login_failed',
      ]),
    );
    const victim = await t.ctx.database.db
      .selectFrom('audit_log')
      .select('id')
      .orderBy('id')
      .offset(3)
      .limit(1)
      .executeTakeFirstOrThrow();
    await t.ctx.database.db
      .updateTable('audit_log')
      .set({ details: JSON.stringify({ edited: true }) })
      .where('id', '=', victim.id)
      .execute();
    expect((await verifyAuditChain(t.ctx.database.db)).firstBrokenId).toBe(victim.id);
  });
});

describe('configuration', () => {
  it('refuses to start on a bad value, naming every bad variable', () => {
    expect(() =>
      loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', OIDC_ISSUER: 'https://sso.example.vn' }),
    ).toThrowError(ConfigError);
    try {
      loadConfig({ PORT: '99999', TINHSO_DEMO: 'maybe' });
    } catch (e) {
      expect((e as Error).message).toContain('PORT');
      expect((e as Error).message).toContain('TINHSO_DEMO');
    }
  });

  it('defaults to the embedded database with demo data', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      PORT: 3000,
      demo: true,
      cookieSecure: false,
      publicUrl: 'http://localhost:3000',
    });
    expect(
      loadConfig({ DATABASE_URL: 'postgresql://db/tinhso', PUBLIC_URL: 'https://dvc.nghean.gov.vn' }),
    ).toMatchObject({
      demo: false,
      cookieSecure: true,
    });
  });
});
