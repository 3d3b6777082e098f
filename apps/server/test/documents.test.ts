import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  citizenSession,
  ENGINES,
  errorCode,
  login,
  type Session,
  startTestApp,
  type TestApp,
} from './helpers.js';

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

describe.each(ENGINES)('documents: forms, closed-loop signing and verification on %s', (engine) => {
  let t: TestApp;
  let reception: Session;
  let specialist: Session;
  let chairman: Session;
  let clerk: Session;
  let code = '';
  let dir = '';
  let nss = '';
  const file = (name: string, data: Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, data);
    return path;
  };

  beforeAll(async () => {
    t = await startTestApp(engine);
    reception = await login(t.app, 'tiepnhan.50');
    specialist = await login(t.app, 'tuphap.50');
    chairman = await login(t.app, 'chutich.50');
    clerk = await login(t.app, 'vanthu.50');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/dossiers',
      headers: reception.headers,
      payload: {
        procedureCode: '1.013225',
        channel: 'counter',
        competentUnit: 'H41.50',
        applicant: { name: 'Nguyễn Văn Minh', idNumber: '040090001234' },
        outcome: { type: 'accept' },
        components: [{ code: 'TP01', provided: true, digitized: true }],
      },
    });
    code = res.json().code;
    dir = mkdtempSync(join(tmpdir(), 'tinhso-docs-'));
  });
  afterAll(async () => t?.close());

  const get = (url: string, s?: Session) => t.app.inject({ method: 'GET', url, headers: s?.headers ?? {} });
  const post = (url: string, s: Session, payload?: object) =>
    t.app.inject({ method: 'POST', url, headers: s.headers, ...(payload ? { payload } : {}) });

  it('prints the receipt (Mẫu 01) with the code, the appointment and a signature of the receiving unit', async () => {
    const res = await get(`/api/dossiers/${code}/forms/receipt`, reception);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const text = tool('pdftotext', ['-layout', file('receipt.pdf', res.rawPayload), '-']);
    expect(text).toContain('GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ');
    expect(text).toContain(code);
    expect(text).toContain('Nguyễn Văn Minh');
    // The demo CA is created on first use; trust it in an NSS database as a reader's PDF tool would.
    const anchors = await t.ctx.database.db.selectFrom('trust_anchors').select('certificate').execute();
    expect(anchors).toHaveLength(1);
    nss = join(dir, 'nss');
    tool('mkdir', ['-p', nss]);
    tool('certutil', ['-N', '-d', `sql:${nss}`, '--empty-password']);
    // The public download a reader would use to trust the demo CA.
    const pem = (await get('/api/trust-anchors')).body;
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    tool('certutil', [
      '-A',
      '-n',
      'tinhso-demo-ca',
      '-t',
      'CT,C,C',
      '-i',
      file('ca.pem', Buffer.from(pem)),
      '-d',
      `sql:${nss}`,
    ]);
    const sig = tool('pdfsig', ['-nssdir', `sql:${nss}`, join(dir, 'receipt.pdf')]);
    expect(sig).toContain('Signature is Valid.');
    expect(sig).toContain('Certificate is Trusted.');
  });

  it('prints the control sheet (Mẫu 05) and the register (Mẫu 06)', async () => {
    const sheet = await get(`/api/dossiers/${code}/forms/control-sheet`, specialist);
    expect(sheet.statusCode).toBe(200);
    expect(tool('pdftotext', ['-layout', file('sheet.pdf', sheet.rawPayload), '-'])).toContain(
      'PHIẾU KIỂM SOÁT',
    );
    const register = await get(
      '/api/registers/dossiers?unit=H41.50&from=2026-01-01&to=2026-12-31',
      reception,
    );
    expect(register.statusCode).toBe(200);
    expect(tool('pdftotext', ['-layout', file('register.pdf', register.rawPayload), '-'])).toContain(code);
    expect(errorCode(await get(`/api/dossiers/${code}/forms/refusal`, reception))).toBe(
      'FORM_NOT_APPLICABLE',
    );
    expect(
      (await get('/api/registers/dossiers?unit=H41.51&from=2026-01-01&to=2026-12-31', reception)).statusCode,
    ).toBe(403);
  });

  it('drafts, signs, numbers and issues a result; pdfsig and our verifier agree; tampering is caught', async () => {
    const draft = await post(`/api/dossiers/${code}/documents`, specialist, {
      kind: 'licence',
      title: 'Giấy phép xây dựng',
      subtitle: 'Số hiệu công trình: nhà ở riêng lẻ',
      body: [
        { label: 'Cấp cho', value: 'Ông Nguyễn Văn Minh' },
        { label: 'Địa điểm xây dựng', value: 'Số 12 đường Lê Lợi, phường Trường Vinh, tỉnh Nghệ An' },
        'Chủ đầu tư phải thực hiện đúng nội dung giấy phép và các quy định của pháp luật về xây dựng.',
      ],
    });
    expect(draft.statusCode, draft.body).toBe(201);
    const id = draft.json().id as string;
    // Only the unit's signer signs; only its clerk numbers and issues.
    expect((await post(`/api/documents/${id}/sign`, specialist)).statusCode).toBe(403);
    expect((await post(`/api/documents/${id}/issue`, clerk)).statusCode).toBe(409);
    expect((await post(`/api/documents/${id}/sign`, chairman)).json().status).toBe('signed');
    expect((await post(`/api/documents/${id}/issue`, chairman)).statusCode).toBe(403);
    expect((await post(`/api/documents/${id}/issue`, clerk)).json().status).toBe('issued');

    const list = (await get(`/api/dossiers/${code}/documents`, reception)).json().items;
    expect(list[0]).toMatchObject({ status: 'issued', numberSymbol: '01/GP-UBND' });
    const issued = (await get(`/api/documents/${id}/file`, reception)).rawPayload;
    const path = file('licence.pdf', issued);
    const text = tool('pdftotext', ['-layout', path, '-']);
    expect(text).toContain('GIẤY PHÉP XÂY DỰNG');
    expect(text).toContain('Nguyễn Văn Minh');
    const sig = tool('pdfsig', ['-nssdir', `sql:${nss}`, path]);
    expect(sig.match(/Signature is Valid\./g)).toHaveLength(2);
    expect(sig.match(/Certificate is Trusted\./g)).toHaveLength(2);
    expect(sig).toContain('Ủy ban nhân dân phường Trường Vinh');

    const token = (list[0].verifyUrl as string).split('/verify/')[1]!;
    const byQr = (await get(`/api/verify/${token}`)).json();
    expect(byQr).toMatchObject({
      valid: true,
      registryMatch: true,
      document: { numberSymbol: '01/GP-UBND', status: 'issued' },
    });
    expect(byQr.signatures).toHaveLength(2);
    const upload = (body: Buffer) =>
      t.app.inject({
        method: 'POST',
        url: '/api/verify',
        headers: { 'content-type': 'application/pdf' },
        payload: body,
      });
    expect((await upload(issued)).json()).toMatchObject({ valid: true, registryMatch: true });

    const tampered = Buffer.from(issued);
    const at = tampered.indexOf('NGUYỄN') >= 0 ? tampered.indexOf('NGUYỄN') : 2000;
    tampered[at + 1] = tampered[at + 1]! ^ 0x01;
    const bad = (await upload(tampered)).json();
    expect(bad.valid).toBe(false);
    expect(bad.registryMatch).toBe(false);
    expect(bad.signatures.some((s: { integrity: boolean }) => !s.integrity)).toBe(true);
    expect(tool('pdfsig', ['-nssdir', `sql:${nss}`, file('tampered.pdf', tampered)])).not.toMatch(
      /Signature #2:[\s\S]*Signature is Valid\./,
    );
    expect(errorCode(await upload(Buffer.from('not a pdf')))).toBe('UNSUPPORTED_MEDIA_TYPE');

    // The applicant downloads the issued result; the public page shows it; revocation is visible.
    const citizen = await citizenSession(t, '040090001234');
    expect((await get(`/api/documents/${id}/file`, citizen)).statusCode).toBe(200);
    const page = await get(`/verify/${token}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Xác thực văn bản điện tử');
    const revoked = await post(`/api/documents/${id}/revoke`, chairman, {
      reason: 'Cấp nhầm địa điểm xây dựng',
    });
    expect(revoked.json().status).toBe('revoked');
    expect((await get(`/api/verify/${token}`)).json()).toMatchObject({
      valid: false,
      document: { status: 'revoked' },
    });
  });

  it('lets only the named signer sign, and nobody sign or issue once the dossier is stopped', async () => {
    const res = await post('/api/dossiers', reception, {
      procedureCode: '1.013225',
      channel: 'counter',
      competentUnit: 'H41.50',
      applicant: { name: 'Lê Thị Thu', idNumber: '040300777888' },
      outcome: { type: 'accept' },
    });
    const d = res.json();
    const draft = await post(`/api/dossiers/${d.code}/documents`, specialist, {
      kind: 'confirmation',
      title: 'Văn bản xác nhận',
      body: ['Xác nhận nội dung.'],
    });
    const id = draft.json().id as string;
    // A signer elsewhere, not the one named: the dossier is not theirs to see, so neither is its document.
    const provinceSigner = await login(t.app, 'lanhdao.03');
    expect(errorCode(await post(`/api/documents/${id}/sign`, provinceSigner))).toBe('DOCUMENT_NOT_FOUND');
    const head = await get(`/api/dossiers/${d.code}`, chairman);
    const stopped = await post(`/api/dossiers/${d.code}/actions`, chairman, {
      expectedVersion: head.json().version,
      command: { type: 'stop', reason: 'Người nộp đề nghị dừng' },
    });
    expect(stopped.json().status).toBe(8);
    const sign = await post(`/api/documents/${id}/sign`, chairman);
    expect(sign.statusCode).toBe(409);
    expect(errorCode(sign)).toBe('TRANSITION_NOT_ALLOWED');
  });

  it('keeps drafts away from the applicant and other units', async () => {
    const draft = await post(`/api/dossiers/${code}/documents`, specialist, {
      kind: 'confirmation',
      title: 'Văn bản xác nhận',
      body: ['Xác nhận hồ sơ đang được xem xét.'],
    });
    const id = draft.json().id as string;
    const citizen = await citizenSession(t, '040090001234');
    expect((await get(`/api/documents/${id}/file`, citizen)).statusCode).toBe(404);
    expect(
      (await get(`/api/dossiers/${code}/documents`, citizen)).json().items.map((d: { id: string }) => d.id),
    ).not.toContain(id);
    const other = await login(t.app, 'chutich.51');
    expect((await post(`/api/documents/${id}/sign`, other)).statusCode).toBe(404);
    expect((await get(`/api/documents/${id}/file`, other)).statusCode).toBe(404);
    expect(
      (await post(`/api/dossiers/${code}/documents`, other, { kind: 'document', title: 'X', body: ['y'] }))
        .statusCode,
    ).toBe(404);
  });
});
