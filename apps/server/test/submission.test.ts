import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OfficerPrincipal } from '../src/auth/principal.js';
import { FileService } from '../src/services/files/index.js';
import { BIRTH, JPEG, PNG, pdfBytes, submitOnline, upload, validForm } from './file-fixtures.js';
import {
  act,
  citizenSession,
  ENGINES,
  errorCode,
  login,
  type Session,
  startTestApp,
  type TestApp,
} from './helpers.js';

interface ComponentView {
  code: string;
  provided: boolean;
  digitized: boolean;
  reused: boolean;
  files: { id: string; name: string; phase: string }[];
}

describe.each(ENGINES)('online submission with files, reuse, supplement on %s', (engine) => {
  let t: TestApp;
  let minh: Session;
  let lan: Session;
  let reception: Session;
  let specialist: Session;
  let form: Record<string, string>;
  beforeAll(async () => {
    t = await startTestApp(engine, { dossiers: 4 });
    minh = await citizenSession(t, '040090001234');
    lan = await citizenSession(t, '040164005678');
    reception = await login(t.app, 'tiepnhan.50');
    specialist = await login(t.app, 'tuphap.50');
    form = await validForm(t.app);
  });
  afterAll(async () => t?.close());

  const count = async (table: 'dossiers' | 'dossier_files' | 'files') =>
    Number(
      (
        await t.ctx.database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const fileId = async (s: Session, content: Buffer = pdfBytes(), name = 'giay-to.pdf') => {
    const res = await upload(t.app, s, content, name);
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };
  const components = async (s: Session, code: string): Promise<ComponentView[]> => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/dossiers/${code}/components`,
      headers: { cookie: s.cookie },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items;
  };
  const byCode = (items: ComponentView[], code: string) => items.find((c) => c.code === code)!;
  const supplement = (s: Session, code: string, body: Record<string, unknown>) =>
    t.app.inject({
      method: 'POST',
      url: `/api/dossiers/${code}/supplement`,
      headers: s.headers,
      payload: body,
    });

  it('submits online with files: components provided + digitized, files listed, delivery recorded', async () => {
    const a = await fileId(minh, pdfBytes(), 'Giấy chứng sinh.pdf');
    const b = await fileId(minh, JPEG, 'cccd-mat-truoc.jpg');
    const c = await fileId(minh, PNG, 'cccd-mat-sau.png');
    const res = await submitOnline(t.app, minh, {
      formData: form,
      components: [
        // The client claims "reused" and "provided" without a file: the server decides.
        { code: 'TP04', fileIds: [a], reused: true },
        { code: 'TP06', fileIds: [b, c] },
        { code: 'TP01', provided: true, digitized: true, reused: true },
      ],
      delivery: { method: 'post', address: 'Số 12 đường Lê Lợi, phường Vinh, Nghệ An' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const d = res.json();
    const items = await components(minh, d.code);
    expect(items).toHaveLength(8);
    expect(byCode(items, 'TP04')).toMatchObject({
      provided: true,
      digitized: true,
      reused: false,
      required: true,
    });
    expect(byCode(items, 'TP04').files).toEqual([
      {
        id: a,
        name: 'Giấy chứng sinh.pdf',
        mime: 'application/pdf',
        size: pdfBytes().length,
        phase: 'submission',
        createdAt: expect.any(String),
      },
    ]);
    expect(
      byCode(items, 'TP06')
        .files.map((f) => f.id)
        .sort(),
    ).toEqual([b, c].sort());
    expect(byCode(items, 'TP01')).toMatchObject({
      provided: false,
      digitized: false,
      reused: false,
      files: [],
    });
    // The reception officer of the receiving commune sees the same list.
    expect(byCode(await components(reception, d.code), 'TP06').files).toHaveLength(2);
    // Another citizen does not see the dossier.
    const stranger = await t.app.inject({
      method: 'GET',
      url: `/api/dossiers/${d.code}/components`,
      headers: { cookie: lan.cookie },
    });
    expect(stranger.statusCode).toBe(404);
    const row = await t.ctx.database.db
      .selectFrom('dossiers')
      .select(['delivery'])
      .where('code', '=', d.code)
      .executeTakeFirstOrThrow();
    expect(row.delivery).toEqual({ method: 'post', address: 'Số 12 đường Lê Lợi, phường Vinh, Nghệ An' });
    const audit = await t.ctx.database.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'dossier.attach_files')
      .where('entity_id', '=', d.code)
      .execute();
    expect(audit).toHaveLength(1);

    const noAddress = await submitOnline(t.app, minh, { formData: form, delivery: { method: 'post' } });
    expect(noAddress.statusCode).toBe(400);
    expect(errorCode(noAddress)).toBe('VALIDATION_FAILED');
  });

  it('marks a component reused when its file came from the store (an earlier dossier, a result)', async () => {
    const f = await fileId(minh, pdfBytes(), 'so-ho-khau.pdf');
    const first = (
      await submitOnline(t.app, minh, { formData: form, components: [{ code: 'TP05', fileIds: [f] }] })
    ).json();
    expect(byCode(await components(minh, first.code), 'TP05').reused).toBe(false);
    const second = await submitOnline(t.app, minh, {
      formData: form,
      components: [{ code: 'TP05', fileIds: [f] }],
    });
    expect(second.statusCode, second.body).toBe(201);
    const tp05 = byCode(await components(minh, second.json().code), 'TP05');
    expect(tp05).toMatchObject({ provided: true, digitized: true, reused: true });
    expect(tp05.files.map((x) => x.id)).toEqual([f]);

    // An issued result of an earlier dossier, taken from the store.
    const db = t.ctx.database.db;
    const earlier = await db
      .selectFrom('dossiers')
      .select(['id', 'competent_unit_id'])
      .where('code', '=', first.code)
      .executeTakeFirstOrThrow();
    const doc = await db
      .insertInto('documents')
      .values({
        dossier_id: earlier.id,
        unit_id: earlier.competent_unit_id,
        kind: 'certificate',
        type_abbrev: 'GKS',
        title: 'Giấy khai sinh',
        content: JSON.stringify({}),
        status: 'issued',
        file: pdfBytes(1500),
        issued_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const copy = await t.app.inject({
      method: 'POST',
      url: '/api/me/files/from-result',
      headers: minh.headers,
      payload: { documentId: doc.id },
    });
    expect(copy.statusCode, copy.body).toBe(201);
    const third = await submitOnline(t.app, minh, {
      formData: form,
      components: [{ code: 'TP07', fileIds: [copy.json().id] }],
    });
    expect(third.statusCode, third.body).toBe(201);
    expect(byCode(await components(minh, third.json().code), 'TP07')).toMatchObject({
      provided: true,
      digitized: true,
      reused: true,
    });
  });

  it('stores nothing when one file is bad: unknown id, another citizen’s file, unknown component', async () => {
    const mine = await fileId(minh);
    const theirs = await fileId(lan, pdfBytes(), 'cua-lan.pdf');
    const before = { dossiers: await count('dossiers'), links: await count('dossier_files') };
    const cases: [Record<string, unknown>[], number, string][] = [
      [[{ code: 'TP04', fileIds: [mine, '00000000-0000-4000-8000-000000000001'] }], 404, 'FILE_NOT_FOUND'],
      [
        [
          { code: 'TP04', fileIds: [mine] },
          { code: 'TP06', fileIds: [theirs] },
        ],
        404,
        'FILE_NOT_FOUND',
      ],
      [[{ code: 'TP99', fileIds: [mine] }], 400, 'VALIDATION_FAILED'],
      [[{ code: 'TP04', fileIds: [mine, mine] }], 400, 'VALIDATION_FAILED'],
    ];
    for (const [comps, status, code] of cases) {
      const res = await submitOnline(t.app, minh, { formData: form, components: comps });
      expect(res.statusCode, res.body).toBe(status);
      expect(errorCode(res)).toBe(code);
    }
    expect(await count('dossiers')).toBe(before.dossiers);
    expect(await count('dossier_files')).toBe(before.links);
    // The good file was not attached: its owner may still delete it.
    const del = await t.app.inject({ method: 'DELETE', url: `/api/files/${mine}`, headers: minh.headers });
    expect(del.statusCode).toBe(204);
  });

  it('returns the same dossier for a retried submission with the same idempotency key (one row)', async () => {
    const f = await fileId(minh);
    const key = `portal-${engine}-${Date.now()}`;
    const body = { formData: form, components: [{ code: 'TP04', fileIds: [f] }] };
    const before = await count('dossiers');
    const [r1, r2] = await Promise.all([
      submitOnline(t.app, minh, body, { 'idempotency-key': key }),
      submitOnline(t.app, minh, body, { 'idempotency-key': key }),
    ]);
    const r3 = await submitOnline(t.app, minh, body, { 'idempotency-key': key });
    expect([r1.statusCode, r2.statusCode, r3.statusCode].sort()).toEqual([200, 200, 201]);
    expect(new Set([r1, r2, r3].map((r) => r.json().code)).size).toBe(1);
    expect(await count('dossiers')).toBe(before + 1);
    const rows = await t.ctx.database.db
      .selectFrom('dossiers')
      .select('id')
      .where('idempotency_key', '=', key)
      .execute();
    expect(rows).toHaveLength(1);
    const links = await t.ctx.database.db
      .selectFrom('dossier_files')
      .select('file_id')
      .where('dossier_id', '=', rows[0]!.id)
      .execute();
    expect(links.map((l) => l.file_id)).toEqual([f]);
  });

  it('lets a reception officer attach the scans they uploaded, not another citizen’s file', async () => {
    const scan = await fileId(reception, pdfBytes(), 'scan-to-khai.pdf');
    // Someone else's stored document (the applicant's own may be attached at the counter: citizens-counter.test.ts).
    const citizenFile = await fileId(lan);
    const register = (fileIds: string[]) =>
      t.app.inject({
        method: 'POST',
        url: '/api/dossiers',
        headers: reception.headers,
        payload: {
          procedureCode: BIRTH,
          channel: 'counter',
          competentUnit: 'H41.50',
          applicant: { name: 'Nguyễn Văn Minh', idNumber: '040090001234' },
          outcome: { type: 'accept' },
          components: [{ code: 'TP04', fileIds }, { code: 'TP06' }],
        },
      });
    const refused = await register([citizenFile]);
    expect(refused.statusCode).toBe(404);
    expect(errorCode(refused)).toBe('FILE_NOT_FOUND');
    const res = await register([scan]);
    expect(res.statusCode, res.body).toBe(201);
    const items = await components(reception, res.json().code);
    expect(byCode(items, 'TP04')).toMatchObject({ provided: true, digitized: true });
    // Paper handed over at the counter without a scan: provided, not digitized (the officer's flags are kept).
    expect(byCode(items, 'TP06')).toMatchObject({ provided: true, digitized: false, files: [] });
    // The applicant (same personal ID and name) sees the officer's scan through the dossier.
    const got = await t.app.inject({
      method: 'GET',
      url: `/api/files/${scan}`,
      headers: { cookie: minh.cookie },
    });
    expect(got.statusCode).toBe(200);
    // An officer's quota counts only scans not yet attached: the attached scan belongs to the dossier now.
    const officer = await t.ctx.database.db
      .selectFrom('officers')
      .select(['id', 'username', 'full_name'])
      .where('username', '=', 'tiepnhan.50')
      .executeTakeFirstOrThrow();
    const principal: OfficerPrincipal = {
      kind: 'officer',
      id: officer.id,
      username: officer.username,
      name: officer.full_name,
      roles: [],
      via: 'token',
      csrfToken: null,
      sessionId: null,
    };
    const one = new FileService(t.ctx.database, { ...t.ctx.config, UPLOAD_QUOTA_FILES: 1 }, t.ctx.dossiers);
    await one.upload(principal, { name: 'scan-2.pdf', content: pdfBytes() });
    await expect(one.upload(principal, { name: 'scan-3.pdf', content: pdfBytes() })).rejects.toMatchObject({
      code: 'FILE_QUOTA_EXCEEDED',
    });
  });

  it('supplement round trip: the officer asks, the citizen answers with files, the clock resumes', async () => {
    const first = await fileId(minh);
    let d = (
      await submitOnline(t.app, minh, { formData: form, components: [{ code: 'TP04', fileIds: [first] }] })
    ).json();
    d = (await act(t.app, reception, d.code, d.version, { type: 'accept' })).json();
    expect(d.status).toBe(2);
    const statusBefore = d.status;
    const asked = await act(t.app, specialist, d.code, d.version, {
      type: 'request_supplement',
      reason: 'Thiếu bản sao giấy tờ tuỳ thân của người đi đăng ký',
      items: ['Căn cước công dân của người đi đăng ký'],
    });
    expect(asked.statusCode, asked.body).toBe(200);
    d = asked.json();
    expect(d.status).toBe(5);
    const dueBefore = Date.parse(d.state.dueAt);
    // The applicant answers a week later: the paused working days move the due date.
    const weekAgo = new Date(Date.now() - 7 * 24 * 3600_000).toISOString();
    await sql`UPDATE dossiers SET state = jsonb_set(state, '{pause,from}', to_jsonb(${weekAgo}::text))
              WHERE code = ${d.code}`.execute(t.ctx.database.db);
    const answer = await fileId(minh, JPEG, 'cccd.jpg');
    const links = await count('dossier_files');

    // Refused: a stale version, a component outside the procedure, another citizen, no file. Nothing is linked.
    const stale = await supplement(minh, d.code, {
      expectedVersion: d.version - 1,
      components: [{ code: 'TP06', fileIds: [answer] }],
    });
    expect(stale.statusCode).toBe(409);
    expect(errorCode(stale)).toBe('VERSION_CONFLICT');
    const unknown = await supplement(minh, d.code, {
      expectedVersion: d.version,
      components: [{ code: 'TP42', fileIds: [answer] }],
    });
    expect(unknown.statusCode).toBe(400);
    expect(errorCode(unknown)).toBe('VALIDATION_FAILED');
    const stranger = await supplement(lan, d.code, {
      expectedVersion: d.version,
      components: [{ code: 'TP06', fileIds: [answer] }],
    });
    expect(stranger.statusCode).toBe(404);
    const empty = await supplement(minh, d.code, { expectedVersion: d.version, components: [] });
    expect(empty.statusCode).toBe(400);
    expect(await count('dossier_files')).toBe(links);
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/dossiers/${d.code}`,
          headers: { cookie: minh.cookie },
        })
      ).json().status,
    ).toBe(5);

    // Text PostgreSQL cannot store (NUL) is the user's mistake: 400, nothing written, the dossier still waits.
    const nul = await supplement(minh, d.code, {
      expectedVersion: d.version,
      note: 'Đã bổ sung\u0000',
      components: [{ code: 'TP06', fileIds: [answer] }],
    });
    expect(nul.statusCode, nul.body).toBe(400);
    expect(errorCode(nul)).toBe('VALIDATION_FAILED');
    expect(nul.json().error.messageEn).toMatch(/cannot be stored/);
    expect(await count('dossier_files')).toBe(links);

    const ok = await supplement(minh, d.code, {
      expectedVersion: d.version,
      note: 'Đã bổ sung căn cước công dân',
      components: [{ code: 'TP06', fileIds: [answer] }],
    });
    expect(ok.statusCode, ok.body).toBe(200);
    const after = ok.json();
    expect(after.status).toBe(statusBefore);
    expect(after.version).toBe(d.version + 1);
    expect(Date.parse(after.state.dueAt)).toBeGreaterThan(dueBefore);
    expect(after.state.pause).toBeNull();
    const items = await components(reception, d.code);
    expect(byCode(items, 'TP06')).toMatchObject({ provided: true, digitized: true });
    expect(byCode(items, 'TP06').files).toMatchObject([
      { id: answer, phase: 'supplement', name: 'cccd.jpg' },
    ]);
    expect(byCode(items, 'TP04').files).toMatchObject([{ id: first, phase: 'submission' }]);
    const timeline = (
      await t.app.inject({ method: 'GET', url: `/api/dossiers/${d.code}`, headers: { cookie: minh.cookie } })
    ).json();
    expect(timeline.actions.at(-1)).toMatchObject({ type: 'provide_supplement', actor_type: 'citizen' });
    const audit = await t.ctx.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', d.code)
      .where('action', 'in', ['dossier.provide_supplement', 'dossier.supplement_files'])
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual([
      'dossier.provide_supplement',
      'dossier.supplement_files',
    ]);
    // Answering twice is refused (the dossier no longer waits), and links nothing more.
    const twice = await supplement(minh, d.code, {
      expectedVersion: after.version,
      components: [{ code: 'TP06', fileIds: [await fileId(minh, PNG, 'them.png')] }],
    });
    expect(twice.statusCode).toBe(409);
    expect(errorCode(twice)).toBe('TRANSITION_NOT_ALLOWED');
    expect(await count('dossier_files')).toBe(links + 1);
  });
});
