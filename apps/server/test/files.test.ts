import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CitizenPrincipal } from '../src/auth/principal.js';
import { DRAFT_MAX_PER_CITIZEN, DRAFT_PUT_PER_MINUTE, DraftService } from '../src/services/drafts.js';
import { FileService } from '../src/services/files/index.js';
import {
  BIRTH,
  EXE,
  HTML,
  JPEG,
  multipart,
  PNG,
  pdfBytes,
  submitOnline,
  upload,
  validForm,
} from './file-fixtures.js';
import {
  citizenSession,
  ENGINES,
  errorCode,
  login,
  type Session,
  startTestApp,
  type TestApp,
} from './helpers.js';

const MAX = 64 * 1024; // UPLOAD_FILE_MAX_BYTES of this test app

describe.each(ENGINES)('files: upload, download, store, drafts on %s', (engine) => {
  let t: TestApp;
  let minh: Session; // 040090001234
  let lan: Session; // another citizen
  let reception: Session;
  beforeAll(async () => {
    t = await startTestApp(engine, { dossiers: 4, env: { UPLOAD_FILE_MAX_BYTES: String(MAX) } });
    minh = await citizenSession(t, '040090001234');
    lan = await citizenSession(t, '040164005678');
    reception = await login(t.app, 'tiepnhan.50');
  });
  afterAll(async () => t?.close());

  const fileCount = async () =>
    Number(
      (
        await t.ctx.database.db
          .selectFrom('files')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const audits = async (action: string, entityId: string) =>
    t.ctx.database.db
      .selectFrom('audit_log')
      .select(['actor_type', 'details'])
      .where('action', '=', action)
      .where('entity_id', '=', entityId)
      .execute();

  it('stores a real PDF, JPEG and PNG, typed from their bytes, and serves them back safely', async () => {
    const cases = [
      { content: pdfBytes(), name: 'Giấy chứng sinh.pdf', mime: 'application/pdf', ext: 'pdf' },
      // The name says .png but the bytes are a JPEG: the bytes win, the name follows them.
      { content: JPEG, name: 'ảnh chụp CCCD.png', mime: 'image/jpeg', ext: 'jpg' },
      { content: PNG, name: '../../etc/sơ đồ.png', mime: 'image/png', ext: 'png' },
    ];
    for (const c of cases) {
      const res = await upload(t.app, minh, c.content, c.name, 'application/octet-stream');
      expect(res.statusCode, res.body).toBe(201);
      const f = res.json();
      expect(f).toMatchObject({ mime: c.mime, size: c.content.length });
      expect(f.name.endsWith(`.${c.ext}`)).toBe(true);
      expect(f.name).not.toContain('/');
      expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
      const got = await t.app.inject({
        method: 'GET',
        url: `/api/files/${f.id}`,
        headers: { cookie: minh.cookie },
      });
      expect(got.statusCode).toBe(200);
      expect(got.rawPayload.equals(c.content)).toBe(true);
      expect(got.headers['content-type']).toBe(c.mime);
      expect(got.headers['x-content-type-options']).toBe('nosniff');
      expect(got.headers['content-security-policy']).toBe('sandbox');
      expect(got.headers['content-disposition']).toBe(
        `inline; filename*=UTF-8''${encodeURIComponent(f.name)}`,
      );
      const audit = await audits('file.upload', f.id);
      expect(audit).toHaveLength(1);
      expect(audit[0]!.actor_type).toBe('citizen');
    }
    expect(cases[2]!.content.length).toBeGreaterThan(0);
    const named = await upload(t.app, minh, PNG, '../../etc/sơ đồ.png');
    expect(named.json().name).toBe('sơ đồ.png');
  });

  it('refuses forged files (HTML or an executable named .pdf) with 415 and stores nothing', async () => {
    const before = await fileCount();
    for (const bytes of [HTML, EXE, Buffer.from('just some text, not a PDF at all')]) {
      const res = await upload(t.app, minh, bytes, 'don-de-nghi.pdf', 'application/pdf');
      expect(res.statusCode).toBe(415);
      expect(errorCode(res)).toBe('FILE_TYPE_NOT_ALLOWED');
      expect(res.json().error.message).toContain('PDF, JPEG hoặc PNG');
    }
    expect(await fileCount()).toBe(before);
  });

  it('refuses an oversized file with 413 FILE_TOO_LARGE and stores nothing', async () => {
    const before = await fileCount();
    const ok = await upload(t.app, minh, pdfBytes(MAX));
    expect(ok.statusCode, ok.body).toBe(201);
    const res = await upload(t.app, minh, pdfBytes(MAX + 1));
    expect(res.statusCode, res.body).toBe(413);
    expect(errorCode(res)).toBe('FILE_TOO_LARGE');
    const huge = await upload(t.app, minh, pdfBytes(MAX * 4));
    expect(huge.statusCode).toBe(413);
    expect(errorCode(huge)).toBe('FILE_TOO_LARGE');
    expect(await fileCount()).toBe(before + 1);
  });

  it('answers missing, empty and extra parts with 400, and needs a login and the CSRF token', async () => {
    const empty = await upload(t.app, minh, Buffer.alloc(0));
    expect(empty.statusCode).toBe(400);
    expect(errorCode(empty)).toBe('FILE_EMPTY');
    const noFile = multipart([{ field: 'note', content: 'không có tệp' }]);
    const missing = await t.app.inject({
      method: 'POST',
      url: '/api/files',
      headers: { ...minh.headers, ...noFile.headers },
      payload: noFile.payload,
    });
    expect(missing.statusCode).toBe(400);
    expect(errorCode(missing)).toBe('FILE_MISSING');
    const json = await t.app.inject({
      method: 'POST',
      url: '/api/files',
      headers: minh.headers,
      payload: {},
    });
    expect(errorCode(json)).toBe('FILE_MISSING');
    const two = multipart([
      { filename: 'a.pdf', content: pdfBytes() },
      { filename: 'b.pdf', content: pdfBytes() },
    ]);
    const before = await fileCount();
    const twoRes = await t.app.inject({
      method: 'POST',
      url: '/api/files',
      headers: { ...minh.headers, ...two.headers },
      payload: two.payload,
    });
    expect(twoRes.statusCode).toBe(400);
    expect(errorCode(twoRes)).toBe('VALIDATION_FAILED');
    expect(await fileCount()).toBe(before);
    const body = multipart([{ filename: 'a.pdf', content: pdfBytes() }]);
    // Malformed or truncated bodies are the client's mistake: 400, never a 500.
    const truncated = await t.app.inject({
      method: 'POST',
      url: '/api/files',
      headers: { ...minh.headers, ...body.headers },
      payload: body.payload.subarray(0, body.payload.length - 30),
    });
    expect(truncated.statusCode).toBe(400);
    const noBoundary = await t.app.inject({
      method: 'POST',
      url: '/api/files',
      headers: { ...minh.headers, 'content-type': 'multipart/form-data' },
      payload: 'garbage',
    });
    expect(noBoundary.statusCode).toBe(400);
    expect(errorCode(noBoundary)).toBe('VALIDATION_FAILED');
    const anon = await t.app.inject({
      method: 'POST',
      url: '/api/files',
      headers: body.headers,
      payload: body.payload,
    });
    expect(anon.statusCode).toBe(401);
    const noCsrf = await t.app.inject({
      method: 'POST',
      url: '/api/files',
      headers: { cookie: minh.cookie, ...body.headers },
      payload: body.payload,
    });
    expect(noCsrf.statusCode).toBe(403);
  });

  it("hides another citizen's file (404) and lets the owner delete an unused file", async () => {
    const f = (await upload(t.app, lan, pdfBytes(), 'cua-lan.pdf')).json();
    const read = (s: Session) =>
      t.app.inject({ method: 'GET', url: `/api/files/${f.id}`, headers: { cookie: s.cookie } });
    expect((await read(lan)).statusCode).toBe(200);
    const other = await read(minh);
    expect(other.statusCode).toBe(404);
    expect(errorCode(other)).toBe('FILE_NOT_FOUND');
    // An officer sees a citizen's file only through a dossier it is attached to.
    expect((await read(reception)).statusCode).toBe(404);
    const unknown = await t.app.inject({
      method: 'GET',
      url: '/api/files/00000000-0000-4000-8000-000000000000',
      headers: { cookie: lan.cookie },
    });
    expect(errorCode(unknown)).toBe('FILE_NOT_FOUND');
    const del = (s: Session) =>
      t.app.inject({ method: 'DELETE', url: `/api/files/${f.id}`, headers: s.headers });
    expect((await del(minh)).statusCode).toBe(404);
    expect((await del(lan)).statusCode).toBe(204);
    expect((await read(lan)).statusCode).toBe(404);
    expect(await audits('file.delete', f.id)).toHaveLength(1);
  });

  it('keeps a file attached to a dossier (409 FILE_IN_USE) and shows it to the reception officer', async () => {
    const f = (await upload(t.app, minh, pdfBytes(), 'to-khai.pdf')).json();
    const res = await submitOnline(t.app, minh, {
      formData: await validForm(t.app),
      components: [{ code: 'TP04', fileIds: [f.id] }],
    });
    expect(res.statusCode, res.body).toBe(201);
    const del = await t.app.inject({ method: 'DELETE', url: `/api/files/${f.id}`, headers: minh.headers });
    expect(del.statusCode).toBe(409);
    expect(errorCode(del)).toBe('FILE_IN_USE');
    const asOfficer = await t.app.inject({
      method: 'GET',
      url: `/api/files/${f.id}`,
      headers: { cookie: reception.cookie },
    });
    expect(asOfficer.statusCode).toBe(200);
    expect(asOfficer.headers['content-type']).toBe('application/pdf');
    // Another citizen still cannot read it.
    const asLan = await t.app.inject({
      method: 'GET',
      url: `/api/files/${f.id}`,
      headers: { cookie: lan.cookie },
    });
    expect(asLan.statusCode).toBe(404);
    // The store shows the upload with the dossier it went to.
    const store = (
      await t.app.inject({ method: 'GET', url: '/api/me/files', headers: { cookie: minh.cookie } })
    ).json();
    const item = store.items.find((i: { id: string }) => i.id === f.id);
    expect(item).toMatchObject({ source: 'upload', dossierCode: res.json().code, mime: 'application/pdf' });
    expect(store.items.some((i: { id: string }) => i.id === f.id)).toBe(true);
    const lanStore = (
      await t.app.inject({ method: 'GET', url: '/api/me/files', headers: { cookie: lan.cookie } })
    ).json();
    expect(lanStore.items.some((i: { id: string }) => i.id === f.id)).toBe(false);
  });

  it('copies an issued result of my own dossier into my store once, and lists it as a result', async () => {
    const d = (await submitOnline(t.app, minh, { formData: await validForm(t.app) })).json();
    const db = t.ctx.database.db;
    const dossier = await db
      .selectFrom('dossiers')
      .select(['id', 'competent_unit_id'])
      .where('code', '=', d.code)
      .executeTakeFirstOrThrow();
    const content = pdfBytes(2000);
    const doc = await db
      .insertInto('documents')
      .values({
        dossier_id: dossier.id,
        unit_id: dossier.competent_unit_id,
        kind: 'certificate',
        type_abbrev: 'GKS',
        title: 'Giấy khai sinh',
        content: JSON.stringify({}),
        status: 'issued',
        number: 12,
        symbol: 'GKS',
        issued_year: 2026,
        file: content,
        issued_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const store = (
      await t.app.inject({ method: 'GET', url: '/api/me/files', headers: { cookie: minh.cookie } })
    ).json();
    expect(store.items.find((i: { id: string }) => i.id === doc.id)).toMatchObject({
      source: 'result',
      dossierCode: d.code,
      documentId: doc.id,
      mime: 'application/pdf',
      size: content.length,
    });
    const copy = (s: Session) =>
      t.app.inject({
        method: 'POST',
        url: '/api/me/files/from-result',
        headers: s.headers,
        payload: { documentId: doc.id },
      });
    const first = await copy(minh);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ mime: 'application/pdf', size: content.length });
    const again = await copy(minh);
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(first.json().id);
    const stranger = await copy(lan);
    expect(stranger.statusCode).toBe(404);
    expect(errorCode(stranger)).toBe('DOCUMENT_NOT_FOUND');
    const got = await t.app.inject({
      method: 'GET',
      url: `/api/files/${first.json().id}`,
      headers: { cookie: minh.cookie },
    });
    expect(got.rawPayload.equals(content)).toBe(true);
  });

  it('enforces the per-citizen quota with 409 FILE_QUOTA_EXCEEDED', async () => {
    const citizen = await t.ctx.database.db
      .selectFrom('citizens')
      .select(['id', 'full_name', 'personal_id'])
      .where('personal_id', '=', '040201009012')
      .executeTakeFirstOrThrow();
    const principal: CitizenPrincipal = {
      kind: 'citizen',
      id: citizen.id,
      name: citizen.full_name,
      personalId: citizen.personal_id,
      via: 'session',
      csrfToken: 'x',
      sessionId: 'x',
    };
    const used = Number(
      (
        await t.ctx.database.db
          .selectFrom('files')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('owner_citizen_id', '=', citizen.id)
          .executeTakeFirstOrThrow()
      ).n,
    );
    const small = new FileService(
      t.ctx.database,
      { ...t.ctx.config, UPLOAD_QUOTA_FILES: used + 1 },
      t.ctx.dossiers,
    );
    await small.upload(principal, { name: 'mot.png', content: PNG });
    await expect(small.upload(principal, { name: 'hai.png', content: PNG })).rejects.toMatchObject({
      code: 'FILE_QUOTA_EXCEEDED',
    });
    const bytes = new FileService(
      t.ctx.database,
      { ...t.ctx.config, UPLOAD_QUOTA_BYTES: 1024 * 1024, UPLOAD_FILE_MAX_BYTES: 4 * 1024 * 1024 },
      t.ctx.dossiers,
    );
    await expect(
      bytes.upload(principal, { name: 'lon.pdf', content: pdfBytes(1024 * 1024) }),
    ).rejects.toMatchObject({ code: 'FILE_QUOTA_EXCEEDED' });
  });

  it('saves, loads, lists and deletes a draft; the submission deletes it', async () => {
    const put = (code: string, data: unknown, s = minh) =>
      t.app.inject({ method: 'PUT', url: `/api/me/drafts/${code}`, headers: s.headers, payload: { data } });
    const get = (code: string, s = minh) =>
      t.app.inject({ method: 'GET', url: `/api/me/drafts/${code}`, headers: { cookie: s.cookie } });
    const data = { step: 2, formData: { hoTenTre: 'Nguyễn Minh An' }, files: { TP04: [] } };
    const saved = await put(BIRTH, data);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(Date.parse(saved.json().updatedAt)).toBeGreaterThan(0);
    const loaded = await get(BIRTH);
    expect(loaded.statusCode).toBe(200);
    expect(loaded.json()).toMatchObject({ procedureCode: BIRTH, data });
    expect((await put(BIRTH, { ...data, step: 3 })).statusCode).toBe(200);
    expect((await get(BIRTH)).json().data.step).toBe(3);
    const list = (
      await t.app.inject({ method: 'GET', url: '/api/me/drafts', headers: { cookie: minh.cookie } })
    ).json();
    expect(list.items).toEqual([
      { procedureCode: BIRTH, procedureName: 'Thủ tục đăng ký khai sinh', updatedAt: expect.any(String) },
    ]);
    // Drafts are private.
    expect((await get(BIRTH, lan)).statusCode).toBe(404);
    expect(errorCode(await get(BIRTH, lan))).toBe('DRAFT_NOT_FOUND');
    // Unknown procedure, too large, officer.
    expect(errorCode(await put('9.999999', data))).toBe('PROCEDURE_NOT_FOUND');
    const big = await put(BIRTH, { blob: 'x'.repeat(257 * 1024) });
    expect(big.statusCode).toBe(413);
    const asOfficer = await put(BIRTH, data, reception);
    expect(asOfficer.statusCode).toBe(403);

    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/me/drafts/${BIRTH}`,
      headers: minh.headers,
    });
    expect(del.statusCode).toBe(204);
    expect((await get(BIRTH)).statusCode).toBe(404);
    const citizenId = (
      await t.ctx.database.db
        .selectFrom('citizens')
        .select('id')
        .where('personal_id', '=', '040090001234')
        .executeTakeFirstOrThrow()
    ).id;
    const deletions = await t.ctx.database.db
      .selectFrom('audit_log')
      .select('actor_id')
      .where('action', '=', 'draft.delete')
      .where('entity_id', '=', BIRTH)
      .execute();
    expect(deletions.map((a) => a.actor_id)).toContain(citizenId);

    // A successful online submission deletes the draft of its procedure; a failed one keeps it.
    await put(BIRTH, data);
    const bad = await submitOnline(t.app, minh, { formData: {} });
    expect(bad.statusCode).toBe(400);
    expect((await get(BIRTH)).statusCode).toBe(200);
    const ok = await submitOnline(t.app, minh, { formData: await validForm(t.app) });
    expect(ok.statusCode, ok.body).toBe(201);
    expect((await get(BIRTH)).statusCode).toBe(404);
  });

  it('refuses hostile drafts with 400 VALIDATION_FAILED, never a 500', async () => {
    const put = (url: string, payload: unknown) =>
      t.app.inject({
        method: 'PUT',
        url,
        headers: { ...lan.headers, 'content-type': 'application/json' },
        payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
      });
    const refused = (res: { statusCode: number; body: string }) => {
      expect(res.statusCode, res.body).toBe(400);
      expect(errorCode(res as never)).toBe('VALIDATION_FAILED');
    };
    // 100 000 nested arrays (~200 KB, under the body limit and the draft size limit).
    const deep = `{"data":{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`;
    const res = await put(`/api/me/drafts/${BIRTH}`, deep);
    refused(res);
    expect(res.json().error.message).toMatch(/lồng nhau/);
    expect(res.json().error.messageEn).toMatch(/nested/);
    // Just under the cap is fine; many small nodes are not.
    const ok = await put(`/api/me/drafts/${BIRTH}`, `{"data":{"a":${'['.repeat(30)}${']'.repeat(30)}}}`);
    expect(ok.statusCode, ok.body).toBe(200);
    refused(await put(`/api/me/drafts/${BIRTH}`, { data: { a: Array.from({ length: 20_000 }, () => 0) } }));
    // NUL in a key or in a string value (jsonb cannot store it).
    refused(await put(`/api/me/drafts/${BIRTH}`, { data: { 'a\u0000': 'x' } }));
    refused(await put(`/api/me/drafts/${BIRTH}`, { data: { a: ['ok', { b: 'x\u0000y' }] } }));
    refused(await put(`/api/me/drafts/${BIRTH}`, '{"data":{"a":"\\ud800"}}'));
    // A malformed procedure code in the path, NUL included.
    for (const code of ['%00x', '1.01322', 'abc', '1.013225%00', '1.013225.000.00.00.h41']) {
      refused(await put(`/api/me/drafts/${code}`, { data: {} }));
      refused(
        await t.app.inject({ method: 'GET', url: `/api/me/drafts/${code}`, headers: { cookie: lan.cookie } }),
      );
      refused(await t.app.inject({ method: 'DELETE', url: `/api/me/drafts/${code}`, headers: lan.headers }));
    }
    // The stored draft is still the last good one.
    const got = await t.app.inject({
      method: 'GET',
      url: `/api/me/drafts/${BIRTH}`,
      headers: { cookie: lan.cookie },
    });
    expect(got.json().data).toEqual({ a: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]] });
    await t.app.inject({ method: 'DELETE', url: `/api/me/drafts/${BIRTH}`, headers: lan.headers });
  });

  it('caps the drafts of a citizen (409 DRAFT_QUOTA_EXCEEDED) and rate-limits saving', async () => {
    const codes = (
      await t.ctx.database.db
        .selectFrom('procedures')
        .select('code')
        .orderBy('code')
        .limit(DRAFT_MAX_PER_CITIZEN + 1)
        .execute()
    ).map((p) => p.code);
    expect(codes.length).toBe(DRAFT_MAX_PER_CITIZEN + 1);
    const lanId = (
      await t.ctx.database.db
        .selectFrom('citizens')
        .select('id')
        .where('personal_id', '=', '040164005678')
        .executeTakeFirstOrThrow()
    ).id;
    const drafts = new DraftService(t.ctx.database, t.ctx.catalogue);
    for (const code of codes.slice(0, DRAFT_MAX_PER_CITIZEN)) await drafts.save(lanId, code, { step: 1 });
    const over = await t.app.inject({
      method: 'PUT',
      url: `/api/me/drafts/${codes.at(-1)}`,
      headers: lan.headers,
      payload: { data: { step: 1 } },
    });
    expect(over.statusCode, over.body).toBe(409);
    expect(errorCode(over)).toBe('DRAFT_QUOTA_EXCEEDED');
    expect(over.json().error.message).toMatch(/bản nháp/);
    // Replacing an existing draft is still allowed at the cap; deleting one frees a slot.
    const replace = await t.app.inject({
      method: 'PUT',
      url: `/api/me/drafts/${codes[0]}`,
      headers: lan.headers,
      payload: { data: { step: 2 } },
    });
    expect(replace.statusCode, replace.body).toBe(200);
    await drafts.remove(lanId, codes[1]!);
    const freed = await t.app.inject({
      method: 'PUT',
      url: `/api/me/drafts/${codes.at(-1)}`,
      headers: lan.headers,
      payload: { data: { step: 1 } },
    });
    expect(freed.statusCode, freed.body).toBe(200);
    const stored = await t.ctx.database.db
      .selectFrom('drafts')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('citizen_id', '=', lanId)
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(DRAFT_MAX_PER_CITIZEN);
    for (const code of codes) await drafts.remove(lanId, code);

    // Saving is rate-limited per user: the 121st PUT within a minute gets 429.
    const hoa = await citizenSession(t, '040201009012');
    let last = 0;
    for (let i = 0; i <= DRAFT_PUT_PER_MINUTE; i++) {
      last = (
        await t.app.inject({
          method: 'PUT',
          url: `/api/me/drafts/${BIRTH}`,
          headers: hoa.headers,
          payload: { data: { i } },
        })
      ).statusCode;
      if (i < DRAFT_PUT_PER_MINUTE - 5) expect(last).not.toBe(429);
    }
    expect(last).toBe(429);
    // Another citizen is not affected.
    const other = await t.app.inject({
      method: 'PUT',
      url: `/api/me/drafts/${BIRTH}`,
      headers: minh.headers,
      payload: { data: { step: 1 } },
    });
    expect(other.statusCode, other.body).toBe(200);
    const hoaId = (
      await t.ctx.database.db
        .selectFrom('citizens')
        .select('id')
        .where('personal_id', '=', '040201009012')
        .executeTakeFirstOrThrow()
    ).id;
    await drafts.remove(hoaId, BIRTH);
  });
});
