import { crc32, createDeflateRaw, deflateSync, inflateSync } from 'node:zlib';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXE, HTML, JPEG, multipart, type Part, pdfBytes } from './file-fixtures.js';
import { citizenSession, ENGINES, login, type Session, startTestApp, type TestApp } from './helpers.js';

/**
 * Issue 7, "Bad input", hostile files through the real upload endpoints (POST /api/files for citizens and officers,
 * form templates, the catalogue XLSX import, the public PDF verifier): a wrong type behind the extension, PDF and
 * ZIP bombs, oversize, thousands of parts, an empty file, a path-traversal name. Every refusal is a 4xx in the
 * platform's error shape and stores nothing. Rate limits, lockout, headers, sessions, CSRF: abuse.test.ts.
 */

const MAX = 1024 * 1024; // UPLOAD_FILE_MAX_BYTES of this test app
const BOMB_MB = 300;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Raw DEFLATE of BOMB_MB MiB of zeros (about 300 KB), made chunk by chunk: the 300 MB never exist at once. */
async function deflatedZeros(): Promise<{ raw: Buffer; crc: number; size: number }> {
  const z = createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  z.on('data', (c: Buffer) => out.push(c));
  const done = new Promise((resolve) => z.on('end', resolve));
  const chunk = Buffer.alloc(1024 * 1024);
  let crc = 0;
  for (let i = 0; i < BOMB_MB; i++) {
    crc = crc32(chunk, crc);
    if (!z.write(chunk)) await new Promise((resolve) => z.once('drain', resolve));
  }
  z.end();
  await done;
  return { raw: Buffer.concat(out), crc, size: BOMB_MB * 1024 * 1024 };
}

/** A one-entry ZIP whose entry is already deflated (`data`), declaring its real inflated size. */
function zipOf(name: string, data: Buffer, crc: number, size: number): Buffer {
  const n = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(crc >>> 0, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(size, 22);
  local.writeUInt16LE(n.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc >>> 0, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(size, 24);
  central.writeUInt16LE(n.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(46 + n.length, 12);
  end.writeUInt32LE(30 + n.length + data.length, 16);
  return Buffer.concat([local, n, data, central, n, end]);
}

/** A gzip member around raw DEFLATE data. */
function gzipOf(data: Buffer, crc: number, size: number): Buffer {
  const tail = Buffer.alloc(8);
  tail.writeUInt32LE(crc >>> 0, 0);
  tail.writeUInt32LE(size >>> 0, 4);
  return Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 3]), data, tail]);
}

/** A zlib stream (what /FlateDecode holds) around raw DEFLATE of zeros: the Adler-32 of n zeros is (n mod 65521)·2¹⁶+1. */
function zlibOfZeros(data: Buffer, size: number): Buffer {
  const adler = Buffer.alloc(4);
  adler.writeUInt32BE((((size % 65521) << 16) | 1) >>> 0, 0);
  return Buffer.concat([Buffer.from([0x78, 0xda]), data, adler]);
}

const pdf = (objects: string[]) =>
  Buffer.from(
    `%PDF-1.7\n${objects.join('\n')}\ntrailer\n<< /Root 1 0 R /Size ${objects.length + 1} >>\n%%EOF\n`,
    'latin1',
  );

/** Declares two billion pages, through a page tree whose node is its own child four times. */
const PAGES_BOMB = pdf([
  '1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj',
  '2 0 obj\n<< /Type /Pages /Count 2000000000 /Kids [2 0 R 2 0 R 2 0 R 2 0 R] >>\nendobj',
]);

/** A signature-like dictionary (so the verifier parses it) holding arrays nested 200,000 deep. */
const DEPTH = 200_000;
const NESTED = pdf([
  '1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj',
  '2 0 obj\n<< /Type /Pages /Count 0 /Kids [] >>\nendobj',
  `3 0 obj\n<< /Type /Sig /ByteRange [0 10 20 30] /Contents <00> /Deep ${'['.repeat(DEPTH)}${']'.repeat(DEPTH)} >>\nendobj`,
]);

describe.each(ENGINES)('abuse: hostile files on %s', (engine) => {
  let t: TestApp;
  let citizen: Session;
  let officer: Session;
  let admin: Session;
  let zeros: { raw: Buffer; crc: number; size: number };
  let twice: Buffer;
  let flateBomb: Buffer;
  beforeAll(async () => {
    t = await startTestApp(engine, { dossiers: 2, env: { UPLOAD_FILE_MAX_BYTES: String(MAX) } });
    citizen = await citizenSession(t, '040090001234');
    officer = await login(t.app, 'tiepnhan.50');
    admin = await login(t.app, 'admin');
    zeros = await deflatedZeros();
    // An object stream filtered twice with FlateDecode: under 1 KB that inflates to 300 MB.
    twice = deflateSync(zlibOfZeros(zeros.raw, zeros.size), { level: 9 });
    flateBomb = Buffer.concat([
      Buffer.from(
        '%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Count 0 /Kids [] >>\nendobj\n' +
          `3 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter [/FlateDecode /FlateDecode] /Length ${twice.length} >>\nstream\n`,
        'latin1',
      ),
      twice,
      Buffer.from('\nendstream\nendobj\ntrailer\n<< /Root 1 0 R /Size 4 >>\n%%EOF\n', 'latin1'),
    ]);
  }, 60_000);
  afterAll(async () => t?.close());

  const count = async (table: 'files' | 'procedure_templates' | 'audit_log' | 'dossiers') =>
    Number(
      (
        await t.ctx.database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  // Each request from its own address: the upload rate limit (per address) stays out of these tests.
  let n = 0;
  const nextAddress = () => `10.77.${(++n >> 8) & 255}.${n & 255}`;
  const send = (s: Session, parts: Part[], url = '/api/files', method: 'POST' | 'PUT' = 'POST') => {
    const body = multipart(parts);
    return t.app.inject({
      method,
      url,
      remoteAddress: nextAddress(),
      headers: { ...s.headers, ...body.headers },
      payload: body.payload,
    });
  };
  const upload = (s: Session, content: Buffer, filename: string, type = 'application/octet-stream') =>
    send(s, [{ filename, type, content }]);
  function expectError(res: LightMyRequestResponse, status: number, code: string) {
    expect(res.statusCode, res.body).toBe(status);
    expect(res.json()).toMatchObject({
      error: { code, message: expect.any(String), messageEn: expect.any(String) },
    });
  }

  it('refuses an executable renamed .pdf, for a citizen and an officer: 415 FILE_TYPE_NOT_ALLOWED, nothing stored', async () => {
    const before = await count('files');
    for (const s of [citizen, officer]) {
      expectError(
        await upload(s, EXE, 'giay-khai-sinh.pdf', 'application/pdf'),
        415,
        'FILE_TYPE_NOT_ALLOWED',
      );
    }
    expect(await count('files')).toBe(before);
  });

  it('refuses a ZIP, an HTML page and a gzip renamed .jpg or .png: 415, nothing stored', async () => {
    const before = await count('files');
    const small = zipOf('a.txt', Buffer.from([0x03, 0x00]), 0, 0);
    for (const [content, name] of [
      [small, 'anh-the.jpg'],
      [HTML, 'anh-the.jpg'],
      [gzipOf(Buffer.from([0x03, 0x00]), 0, 0), 'so-do.png'],
    ] as const) {
      const res = await upload(citizen, content, name, name.endsWith('.jpg') ? 'image/jpeg' : 'image/png');
      expectError(res, 415, 'FILE_TYPE_NOT_ALLOWED');
    }
    expect(await count('files')).toBe(before);
  });

  it('refuses ZIP and gzip bombs (300 MB inflated) renamed .jpg/.png cleanly: type detection inflates at most 1 MB', async () => {
    const before = await count('files');
    const bombs = [
      zipOf('[Content_Types].xml', zeros.raw, zeros.crc, zeros.size),
      zipOf('mimetype', zeros.raw, zeros.crc, zeros.size),
      gzipOf(zeros.raw, zeros.crc, zeros.size),
    ];
    for (const bomb of bombs) {
      expect(bomb.length).toBeLessThan(MAX);
      expectError(await upload(citizen, bomb, 'anh-chup.jpg', 'image/jpeg'), 415, 'FILE_TYPE_NOT_ALLOWED');
    }
    expect(await count('files')).toBe(before);
  });

  it('PDF bombs (two billion pages, nesting 200,000 deep, a stream inflating to 300 MB) are stored as bytes, never parsed', async () => {
    // The fixture really is a bomb: its inner layer alone would inflate beyond 1 MB.
    expect(flateBomb.includes(twice)).toBe(true);
    expect(() => inflateSync(inflateSync(twice), { maxOutputLength: MAX })).toThrow(/larger than|too large/i);
    expect(flateBomb.length).toBeLessThan(2048);
    const before = await count('files');
    for (const [content, name] of [
      [PAGES_BOMB, 'trang.pdf'],
      [NESTED, 'long-nhau.pdf'],
      [flateBomb, 'nen.pdf'],
    ] as const) {
      const res = await upload(citizen, content, name, 'application/pdf');
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({ mime: 'application/pdf', size: content.length });
      const back = await t.app.inject({
        method: 'GET',
        url: `/api/files/${res.json().id}`,
        headers: { cookie: citizen.cookie },
      });
      expect(back.rawPayload.equals(content)).toBe(true);
      expect(back.headers['content-security-policy']).toBe('sandbox');
    }
    expect(await count('files')).toBe(before + 3);
  });

  it('the public PDF verifier reads the same bombs without inflating or recursing: 200 "not valid", never a 500', async () => {
    for (const content of [PAGES_BOMB, NESTED, flateBomb]) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/verify',
        remoteAddress: nextAddress(),
        headers: { 'content-type': 'application/pdf' },
        payload: content,
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ valid: false, registryMatch: false, document: null });
    }
    const exe = await t.app.inject({
      method: 'POST',
      url: '/api/verify',
      remoteAddress: nextAddress(),
      headers: { 'content-type': 'application/pdf' },
      payload: EXE,
    });
    expectError(exe, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('refuses a file above UPLOAD_FILE_MAX_BYTES (413 FILE_TOO_LARGE) and a JSON body above BODY_LIMIT_BYTES (413)', async () => {
    const before = await count('files');
    for (const size of [MAX + 1, 5 * MAX]) {
      const res = await upload(citizen, pdfBytes(size), 'lon.pdf', 'application/pdf');
      expectError(res, 413, 'FILE_TOO_LARGE');
      expect(res.json().error.details).toEqual({ maxBytes: MAX });
    }
    expect(await count('files')).toBe(before);
    const dossiers = await count('dossiers');
    const json = await t.app.inject({
      method: 'POST',
      url: '/api/dossiers',
      headers: { ...officer.headers, 'content-type': 'application/json' },
      payload: JSON.stringify({ note: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expectError(json, 413, 'PAYLOAD_TOO_LARGE');
    expect(await count('dossiers')).toBe(dossiers);
  });

  it('refuses thousands of fields, parts or files in one request with a clean 400, nothing stored', async () => {
    const before = await count('files');
    const file: Part = { filename: 'don.pdf', type: 'application/pdf', content: pdfBytes() };
    const fields = Array.from({ length: 5000 }, (_, i): Part => ({ field: `f${i}`, content: 'x' }));
    const files = Array.from({ length: 2000 }, (): Part => ({ ...file }));
    for (const parts of [[...fields, file], [file, ...fields], files]) {
      expectError(await send(citizen, parts), 400, 'VALIDATION_FAILED');
    }
    expect(await count('files')).toBe(before);
  });

  it('refuses an empty file with 400 FILE_EMPTY, nothing stored', async () => {
    const before = await count('files');
    expectError(await upload(citizen, Buffer.alloc(0), 'rong.pdf', 'application/pdf'), 400, 'FILE_EMPTY');
    expectError(await upload(officer, Buffer.alloc(0), 'rong.jpg', 'image/jpeg'), 400, 'FILE_EMPTY');
    expect(await count('files')).toBe(before);
  });

  it('keeps only the last segment of a path-traversal name, in storage and in the download header', async () => {
    for (const [name, content, stored] of [
      ['../../etc/passwd', pdfBytes(), 'passwd.pdf'],
      ['..\\..\\windows\\system32\\cmd.exe', JPEG, 'cmd.jpg'],
    ] as const) {
      const res = await upload(citizen, content, name);
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().name).toBe(stored);
      const row = await t.ctx.database.db
        .selectFrom('files')
        .select('name')
        .where('id', '=', res.json().id)
        .executeTakeFirstOrThrow();
      expect(row.name).toBe(stored);
      const back = await t.app.inject({
        method: 'GET',
        url: `/api/files/${res.json().id}`,
        headers: { cookie: citizen.cookie },
      });
      expect(back.headers['content-disposition']).toBe(`inline; filename*=UTF-8''${stored}`);
    }
  });

  it('form templates (province administrator): the same hostile files are refused, nothing stored', async () => {
    const url = '/api/procedures/1.013225/templates/TP05';
    const before = await count('procedure_templates');
    const put = (parts: Part[]) => send(admin, parts, url, 'PUT');
    for (const [content, name] of [
      [EXE, 'mau-don.docx'],
      [zipOf('[Content_Types].xml', zeros.raw, zeros.crc, zeros.size), 'mau-don.docx'],
      [HTML, 'mau-don.odt'],
    ] as const) {
      expectError(await put([{ filename: name, content }]), 415, 'FILE_TYPE_NOT_ALLOWED');
    }
    expectError(await put([{ filename: 'rong.pdf', content: Buffer.alloc(0) }]), 400, 'FILE_EMPTY');
    const fields = Array.from({ length: 5000 }, (_, i): Part => ({ field: `f${i}`, content: 'x' }));
    expectError(
      await put([...fields, { filename: 'mau.pdf', content: pdfBytes() }]),
      400,
      'VALIDATION_FAILED',
    );
    expect(await count('procedure_templates')).toBe(before);
  });

  it('catalogue XLSX import: a workbook inflating to 300 MB is refused (400 IMPORT_INVALID) before it is unpacked', async () => {
    const audits = await count('audit_log');
    const bomb = zipOf('xl/sharedStrings.xml', zeros.raw, zeros.crc, zeros.size);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/catalogue/import',
      headers: { ...admin.headers, 'content-type': XLSX },
      payload: bomb,
    });
    expectError(res, 400, 'IMPORT_INVALID');
    expect(res.json().error.messageEn).toContain('once unpacked');
    // The same bytes declaring a small size (sizes in a ZIP may lie) are measured by inflating, not trusted.
    const liar = zipOf('xl/sharedStrings.xml', zeros.raw, zeros.crc, 100);
    const lied = await t.app.inject({
      method: 'POST',
      url: '/api/catalogue/import',
      headers: { ...admin.headers, 'content-type': XLSX },
      payload: liar,
    });
    expectError(lied, 400, 'IMPORT_INVALID');
    expect(lied.json().error.messageEn).toContain('once unpacked');
    expect(await count('audit_log')).toBe(audits);
  });
});
