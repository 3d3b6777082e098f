import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfBytes, upload } from './file-fixtures.js';
import {
  citizenSession,
  ENGINES,
  errorCode,
  login,
  registerAtCounter,
  type Session,
  startTestApp,
  type TestApp,
} from './helpers.js';

const MINH = '040090001234';

describe.each(ENGINES)('citizens at the counter on %s', (engine) => {
  let t: TestApp;
  let reception: Session;
  let foreignReception: Session;
  let uploadedId = '';
  const codes: string[] = [];
  let foreignCode = '';

  beforeAll(async () => {
    t = await startTestApp(engine, { dossiers: 5 });
    reception = await login(t.app, 'tiepnhan.50');
    foreignReception = await login(t.app, 'tiepnhan.51');
    const minh = await citizenSession(t, MINH);
    const up = await upload(t.app, minh, pdfBytes(), 'Giấy chứng nhận quyền sử dụng đất.pdf');
    expect(up.statusCode, up.body).toBe(201);
    uploadedId = up.json().id;
    for (let i = 0; i < 2; i++) {
      const res = await registerAtCounter(t.app, reception, 'H41.50', {
        name: 'Nguyễn Văn Minh',
        idNumber: MINH,
      });
      expect(res.statusCode, res.body).toBe(201);
      codes.push(res.json().code);
    }
    const other = await registerAtCounter(t.app, foreignReception, 'H41.51', {
      name: 'Nguyễn Văn Minh',
      idNumber: MINH,
    });
    foreignCode = other.json().code;
  });
  afterAll(async () => t?.close());

  const lookup = (s: Session | null, id: string, query = '') =>
    t.app.inject({ method: 'GET', url: `/api/citizens/${id}${query}`, headers: s?.headers ?? {} });

  it('returns what the platform holds: identity, stored files, own-unit dossiers newest first', async () => {
    const res = await lookup(reception, MINH, `?purpose=${encodeURIComponent('Đăng ký cấp phép xây dựng')}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.citizen).toEqual({
      personalId: MINH,
      fullName: 'Nguyễn Văn Minh',
      dateOfBirth: '1992-03-14',
      address: 'Số 12 đường Lê Lợi, phường Trường Vinh, tỉnh Nghệ An',
      phone: '0912345678',
      email: 'minh.nguyen@example.vn',
    });
    const file = body.files.find((f: { id: string }) => f.id === uploadedId);
    expect(file).toMatchObject({
      name: 'Giấy chứng nhận quyền sử dụng đất.pdf',
      mime: 'application/pdf',
      source: 'upload',
    });
    expect(file.size).toBe(pdfBytes().length);
    const listed = body.dossiers.map((d: { code: string }) => d.code);
    expect(listed.slice(0, 2)).toEqual([...codes].reverse()); // newest first
    expect(listed).not.toContain(foreignCode); // another commune's dossier stays hidden
    expect(body.dossiers[0]).toMatchObject({ procedureCode: '1.013225', status: 1, channel: 'counter' });
    expect(body.dossiers[0].statusLabel).toBeTruthy();
    const submitted = body.dossiers.map((d: { submittedAt: string }) => d.submittedAt);
    expect([...submitted].sort().reverse()).toEqual(submitted);
    expect(body.dossiers.length).toBeLessThanOrEqual(50);

    const officer = await t.ctx.database.db
      .selectFrom('officers')
      .select('id')
      .where('username', '=', 'tiepnhan.50')
      .executeTakeFirstOrThrow();
    const audit = await t.ctx.database.db
      .selectFrom('audit_log')
      .select(['actor_type', 'actor_id', 'details'])
      .where('action', '=', 'citizen.lookup')
      .where('entity_id', '=', MINH)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({
      actor_type: 'officer',
      actor_id: officer.id,
      details: { purpose: 'Đăng ký cấp phép xây dựng', found: true },
    });
    expect((audit.details as { dossiers: string[] }).dossiers).toEqual(listed);
  });

  it('the other commune sees its own dossier of the same person, not ours', async () => {
    const res = await lookup(foreignReception, MINH);
    const listed = res.json().dossiers.map((d: { code: string }) => d.code);
    expect(listed).toContain(foreignCode);
    for (const c of codes) expect(listed).not.toContain(c);
  });

  it('an unknown person is null, and the lookup is still audited', async () => {
    const res = await lookup(reception, '040000000001');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ citizen: null, files: [], dossiers: [] });
    const audit = await t.ctx.database.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'citizen.lookup')
      .where('entity_id', '=', '040000000001')
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ found: false, purpose: 'Tiếp nhận hồ sơ tại Bộ phận Một cửa' });
  });

  it('finds counter dossiers registered under the ID even without an account', async () => {
    const res = await registerAtCounter(t.app, reception, 'H41.50', {
      name: 'Trần Thị Hoa',
      idNumber: '040199887766',
    });
    expect(res.statusCode).toBe(201);
    const found = (await lookup(reception, '040199887766')).json();
    expect(found.citizen).toBeNull();
    expect(found.dossiers.map((d: { code: string }) => d.code)).toEqual([res.json().code]);
  });

  it('validates the ID number and allows reception officers only', async () => {
    for (const bad of ['12345', '0400900012345', 'abcdefghijkl', '04009000123%20']) {
      const res = await lookup(reception, bad);
      expect(res.statusCode, bad).toBe(400);
      expect(errorCode(res)).toBe('VALIDATION_FAILED');
    }
    expect(errorCode(await lookup(reception, MINH, '?purpose=x'))).toBe('VALIDATION_FAILED');
    for (const username of ['tuphap.50', 'chutich.50', 'admin', 'lanhdao']) {
      const res = await lookup(await login(t.app, username), MINH);
      expect(res.statusCode, username).toBe(403);
      expect(errorCode(res)).toBe('FORBIDDEN');
    }
    const citizen = await citizenSession(t, '040164005678');
    expect((await lookup(citizen, MINH)).statusCode).toBe(403);
    expect((await lookup(null, MINH)).statusCode).toBe(401);
    // The provincial centre's reception may look people up too.
    expect((await lookup(await login(t.app, 'tiepnhan'), MINH)).statusCode).toBe(200);
  });

  it('attaches the person’s own stored document at the counter, marked reused; never someone else’s', async () => {
    const components = (fileIds: string[]) => [{ code: 'TP01', provided: true, fileIds }];
    const ok = await registerAtCounter(
      t.app,
      reception,
      'H41.50',
      { name: 'Nguyễn Văn Minh', idNumber: MINH },
      { components: components([uploadedId]), outcome: { type: 'accept' } },
    );
    expect(ok.statusCode, ok.body).toBe(201);
    const comps = (
      await t.app.inject({
        method: 'GET',
        url: `/api/dossiers/${ok.json().code}/components`,
        headers: { cookie: reception.cookie },
      })
    ).json().items as { code: string; provided: boolean; digitized: boolean; reused: boolean }[];
    expect(comps.find((c) => c.code === 'TP01')).toMatchObject({
      provided: true,
      digitized: true,
      reused: true,
    });
    // The same ID number with another name is not that person: their store stays closed, nothing is created.
    const before = await t.ctx.database.db
      .selectFrom('dossiers')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    const stranger = await registerAtCounter(
      t.app,
      reception,
      'H41.50',
      { name: 'Người Khác', idNumber: MINH },
      { components: components([uploadedId]) },
    );
    expect(stranger.statusCode).toBe(404);
    expect(errorCode(stranger)).toBe('FILE_NOT_FOUND');
    const after = await t.ctx.database.db
      .selectFrom('dossiers')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});
