import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXE, multipart, pdfBytes } from './file-fixtures.js';
import {
  citizenSession,
  ENGINES,
  errorCode,
  login,
  type Session,
  startTestApp,
  type TestApp,
} from './helpers.js';

const PERMIT = '1.013225'; // Cấp giấy phép xây dựng — components TP01…TP12
const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** A ZIP archive of stored (uncompressed) entries, in the given order. */
function zip(entries: [string, string][]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of entries) {
    const data = Buffer.from(text, 'utf8');
    const fileName = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, data);
    centrals.push(central, fileName);
    offset += local.length + fileName.length + data.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

/** A minimal Word document: [Content_Types].xml first, then the package relationships and word/document.xml. */
function docx(text: string): Buffer {
  return zip([
    [
      '[Content_Types].xml',
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        `<Override PartName="/word/document.xml" ContentType="${DOCX_MIME.replace('.document', '.document.main+xml')}"/>` +
        '</Types>',
    ],
    [
      '_rels/.rels',
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>' +
        '</Relationships>',
    ],
    [
      'word/document.xml',
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
        `<w:body><w:p><w:r><w:t>${text}</w:t></w:r></w:p></w:body></w:document>`,
    ],
  ]);
}

/** A minimal OpenDocument text: the uncompressed "mimetype" entry first. */
const odt = () =>
  zip([
    ['mimetype', 'application/vnd.oasis.opendocument.text'],
    ['content.xml', '<?xml version="1.0" encoding="UTF-8"?><office:document-content/>'],
  ]);

/** An OLE compound file (MS-CFB) whose directory holds one stream named `stream` (WordDocument → a .doc). */
function compoundFile(stream: string): Buffer {
  const buf = Buffer.alloc(512 * 3);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(buf, 0);
  buf.writeUInt16LE(0x003e, 24); // minor version
  buf.writeUInt16LE(3, 26); // major version 3: 512-byte sectors
  buf.writeUInt16LE(0xfffe, 28); // little-endian
  buf.writeUInt16LE(9, 30); // sector shift
  buf.writeUInt16LE(6, 32); // mini sector shift
  buf.writeUInt32LE(0, 48); // first directory sector
  const entry = (at: number, name: string, type: number) => {
    const n = Buffer.from(`${name}\0`, 'utf16le');
    n.copy(buf, at);
    buf.writeUInt16LE(n.length, at + 64);
    buf[at + 66] = type;
  };
  entry(512, 'Root Entry', 5);
  entry(640, stream, 2);
  return buf;
}

describe.each(ENGINES)('form templates of dossier components on %s', (engine) => {
  let t: TestApp;
  let admin: Session;
  let specialist: Session;
  let citizen: Session;
  beforeAll(async () => {
    t = await startTestApp(engine, { dossiers: 0 });
    admin = await login(t.app, 'admin');
    specialist = await login(t.app, 'chuyenvien.xd');
    citizen = await citizenSession(t, '040090001234');
  });
  afterAll(async () => t?.close());

  const url = (component: string, code = PERMIT) =>
    `/api/procedures/${encodeURIComponent(code)}/templates/${encodeURIComponent(component)}`;
  const put = (s: Session | null, component: string, content: Buffer, filename: string, code = PERMIT) => {
    const body = multipart([{ filename, type: 'application/octet-stream', content }]);
    return t.app.inject({
      method: 'PUT',
      url: url(component, code),
      headers: { ...(s?.headers ?? {}), ...body.headers },
      payload: body.payload,
    });
  };
  const audits = (action: string) =>
    t.ctx.database.db
      .selectFrom('audit_log')
      .select(['actor_type', 'actor_id', 'details'])
      .where('action', '=', action)
      .where('entity_id', '=', PERMIT)
      .execute();
  const count = async () =>
    Number(
      (
        await t.ctx.database.db
          .selectFrom('procedure_templates')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('lets only the province administrator upload: officer and citizen 403, anonymous 401', async () => {
    const word = docx('Đơn đề nghị cấp giấy phép xây dựng');
    for (const [s, status, code] of [
      [specialist, 403, 'FORBIDDEN'],
      [citizen, 403, 'FORBIDDEN'],
      [null, 401, 'UNAUTHENTICATED'],
    ] as const) {
      const res = await put(s, 'TP05', word, 'mau-01.docx');
      expect(res.statusCode, res.body).toBe(status);
      expect(errorCode(res)).toBe(code);
    }
    expect(await count()).toBe(0);
  });

  it('stores a real DOCX, typed from its bytes, audited, and serves it to anyone with safe headers', async () => {
    const word = docx('Mẫu số 01 — Đơn đề nghị cấp giấy phép xây dựng');
    const res = await put(admin, 'TP05', word, 'Mẫu số 01 - Đơn đề nghị cấp GPXD.docx');
    expect(res.statusCode, res.body).toBe(200);
    const sha = createHash('sha256').update(word).digest('hex');
    expect(res.json()).toMatchObject({
      component: 'TP05',
      name: 'Mẫu số 01 - Đơn đề nghị cấp GPXD.docx',
      mime: DOCX_MIME,
      size: word.length,
      sha256: sha,
      url: url('TP05'),
      replaced: false,
    });
    const audit = await audits('procedure.template.upload');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_type: 'officer', details: { component: 'TP05', sha256: sha } });

    // Anonymous download.
    const got = await t.app.inject({ method: 'GET', url: url('TP05') });
    expect(got.statusCode).toBe(200);
    expect(got.rawPayload.equals(word)).toBe(true);
    expect(got.headers['content-type']).toBe(DOCX_MIME);
    expect(got.headers['content-length']).toBe(String(word.length));
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect(got.headers.etag).toBe(`"${sha}"`);
    const disposition = String(got.headers['content-disposition']);
    expect(disposition.startsWith('attachment;')).toBe(true);
    expect(disposition).toContain(
      `filename*=UTF-8''${encodeURIComponent('Mẫu số 01 - Đơn đề nghị cấp GPXD.docx')}`,
    );
    expect(disposition).toContain('filename="Mau so 01 - Don de nghi cap GPXD.docx"');
    // Revalidation by ETag.
    const again = await t.app.inject({
      method: 'GET',
      url: url('TP05'),
      headers: { 'if-none-match': `"${sha}"` },
    });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);
  });

  it('accepts PDF, ODT, XLSX and a Word 97 .doc; names follow the verified type', async () => {
    const pdf = pdfBytes();
    const pdfRes = await put(admin, 'TP07', pdf, 'don-sua-chua.docx');
    expect(pdfRes.statusCode, pdfRes.body).toBe(200);
    expect(pdfRes.json()).toMatchObject({ mime: 'application/pdf', name: 'don-sua-chua.pdf' });

    const odtRes = await put(admin, 'TP01', odt(), 'to-khai.odt');
    expect(odtRes.statusCode, odtRes.body).toBe(200);
    expect(odtRes.json().mime).toBe('application/vnd.oasis.opendocument.text');

    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Bảng kê').addRow(['STT', 'Tên giấy tờ']);
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    const xlsxRes = await put(admin, 'TP09', xlsx, 'bang-ke.xlsx');
    expect(xlsxRes.statusCode, xlsxRes.body).toBe(200);
    expect(xlsxRes.json().mime).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');

    const doc = compoundFile('WordDocument');
    const docRes = await put(admin, 'TP02', doc, 'mau-cu.doc');
    expect(docRes.statusCode, docRes.body).toBe(200);
    expect(docRes.json()).toMatchObject({ mime: 'application/msword', name: 'mau-cu.doc' });
    const got = await t.app.inject({ method: 'GET', url: url('TP02') });
    expect(got.headers['content-type']).toBe('application/msword');
    expect(got.rawPayload.equals(doc)).toBe(true);
  });

  it('refuses other content whatever the name (415), without storing or auditing', async () => {
    const before = await count();
    const auditsBefore = (await audits('procedure.template.upload')).length;
    for (const [content, name, detected] of [
      [EXE, 'mau-don.docx', 'application/x-msdownload'],
      [compoundFile('Workbook'), 'bang-ke.doc', 'application/x-cfb'], // an Excel 97 workbook, not Word
      [zip([['readme.txt', 'xin chào']]), 'mau.docx', 'application/zip'],
      [Buffer.from('Đơn đề nghị (văn bản thuần)'), 'mau.docx', null],
    ] as const) {
      const res = await put(admin, 'TP03', content, name);
      expect(res.statusCode, `${name}: ${res.body}`).toBe(415);
      expect(errorCode(res)).toBe('FILE_TYPE_NOT_ALLOWED');
      expect(res.json().error.details).toEqual({ detected });
    }
    expect(await count()).toBe(before);
    expect(await audits('procedure.template.upload')).toHaveLength(auditsBefore);
  });

  it('answers 404 for an unknown procedure, component or template, and 413 above 5 MB', async () => {
    const word = docx('x');
    const unknownComponent = await put(admin, 'TP99', word, 'x.docx');
    expect(unknownComponent.statusCode).toBe(404);
    expect(errorCode(unknownComponent)).toBe('COMPONENT_NOT_FOUND');
    const unknownProcedure = await put(admin, 'TP01', word, 'x.docx', '9.999999');
    expect(unknownProcedure.statusCode).toBe(404);
    expect(errorCode(unknownProcedure)).toBe('PROCEDURE_NOT_FOUND');
    const noTemplate = await t.app.inject({ method: 'GET', url: url('TP12') });
    expect(noTemplate.statusCode).toBe(404);
    expect(errorCode(noTemplate)).toBe('TEMPLATE_NOT_FOUND');
    const noProcedure = await t.app.inject({ method: 'GET', url: url('TP01', '9.999999') });
    expect(errorCode(noProcedure)).toBe('PROCEDURE_NOT_FOUND');
    const badComponent = await t.app.inject({ method: 'GET', url: url('TP 01/..') });
    expect(badComponent.statusCode).toBe(400);

    const big = await put(admin, 'TP03', pdfBytes(5 * 1024 * 1024 + 1), 'lon.pdf');
    expect(big.statusCode).toBe(413);
    expect(errorCode(big)).toBe('FILE_TOO_LARGE');
  });

  it('lists the templates with the procedure, in component order', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/procedures/${PERMIT}` });
    expect(res.statusCode).toBe(200);
    const { templates } = res.json();
    expect(templates.map((x: { component: string }) => x.component)).toEqual([
      'TP01',
      'TP02',
      'TP05',
      'TP07',
      'TP09',
    ]);
    expect(templates[2]).toEqual({
      component: 'TP05',
      name: 'Mẫu số 01 - Đơn đề nghị cấp GPXD.docx',
      mime: DOCX_MIME,
      size: expect.any(Number),
      url: url('TP05'),
    });
    // Another procedure has none.
    const other = await t.app.inject({ method: 'GET', url: '/api/procedures/1.001193' });
    expect(other.json().templates).toEqual([]);
  });

  it('replaces a template in place (audited with the previous one) and deletes it', async () => {
    const v2 = docx('Mẫu số 01 (sửa đổi 2026)');
    const res = await put(admin, 'TP05', v2, 'Mẫu số 01 (2026).docx');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ replaced: true, name: 'Mẫu số 01 (2026).docx', size: v2.length });
    const replaced = await audits('procedure.template.replace');
    expect(replaced).toHaveLength(1);
    expect(replaced[0]?.details).toMatchObject({
      component: 'TP05',
      previous: { name: 'Mẫu số 01 - Đơn đề nghị cấp GPXD.docx' },
    });
    const got = await t.app.inject({ method: 'GET', url: url('TP05') });
    expect(got.rawPayload.equals(v2)).toBe(true);
    expect(got.headers.etag).toBe(`"${createHash('sha256').update(v2).digest('hex')}"`);

    // Delete: administrator only, 204, audited; then 404 on download and on a second delete.
    const denied = await t.app.inject({ method: 'DELETE', url: url('TP05'), headers: specialist.headers });
    expect(denied.statusCode).toBe(403);
    const anonymous = await t.app.inject({ method: 'DELETE', url: url('TP05') });
    expect(anonymous.statusCode).toBe(401);
    const del = await t.app.inject({ method: 'DELETE', url: url('TP05'), headers: admin.headers });
    expect(del.statusCode, del.body).toBe(204);
    expect(await audits('procedure.template.delete')).toHaveLength(1);
    const gone = await t.app.inject({ method: 'GET', url: url('TP05') });
    expect(gone.statusCode).toBe(404);
    expect(errorCode(gone)).toBe('TEMPLATE_NOT_FOUND');
    const twice = await t.app.inject({ method: 'DELETE', url: url('TP05'), headers: admin.headers });
    expect(twice.statusCode).toBe(404);
    const list = (await t.app.inject({ method: 'GET', url: `/api/procedures/${PERMIT}` })).json();
    expect(list.templates.map((x: { component: string }) => x.component)).not.toContain('TP05');
  });

  it('documents the three operations in OpenAPI', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const path = spec.paths['/api/procedures/{code}/templates/{component}'];
    expect(Object.keys(path).sort()).toEqual(['delete', 'get', 'put']);
  });

  it('requires the CSRF header for a cookie-session upload', async () => {
    const body = multipart([{ filename: 'x.pdf', type: 'application/pdf', content: pdfBytes() }]);
    const res = await t.app.inject({
      method: 'PUT',
      url: url('TP04'),
      headers: { cookie: admin.cookie, ...body.headers },
      payload: body.payload,
    });
    expect(res.statusCode).toBe(403);
    expect(errorCode(res)).toBe('CSRF_FAILED');
  });
});
