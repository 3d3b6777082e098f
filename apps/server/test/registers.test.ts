import { formatDate, formatTime } from '@tinhso/pdf';
import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unitRegisterInput } from '../src/documents/forms.js';
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

async function readXlsx(res: LightMyRequestResponse) {
  expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
  expect(res.headers['content-type']).toBe(XLSX);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const text = (row: number, col: number) => {
    const v = ws.getCell(row, col).value;
    return v === null || v === undefined ? '' : String(v);
  };
  /** The row whose first cell is `value` (1-based), or -1. */
  const rowOf = (col: number, value: string) => {
    for (let r = 1; r <= ws.rowCount; r++) if (text(r, col) === value) return r;
    return -1;
  };
  return { wb, ws, text, rowOf };
}

const vn = (iso: string) => `${formatDate(iso)} ${formatTime(iso)}`;

describe.each(ENGINES)('registers as XLSX on %s', (engine) => {
  let t: TestApp;
  let reception: Session;
  let specialist: Session;
  let today = '';
  let received: { code: string; state: Record<string, unknown> };
  let newOne = '';

  beforeAll(async () => {
    t = await startTestApp(engine, { dossiers: 20 });
    reception = await login(t.app, 'tiepnhan.50');
    specialist = await login(t.app, 'tuphap.50');
    const { definition } = await t.ctx.catalogue.get('1.013225');
    const components = definition.components
      .filter((c) => c.required)
      .map((c) => ({ code: c.code, provided: true }));
    const a = await registerAtCounter(
      t.app,
      reception,
      'H41.50',
      { name: 'Đặng Thị Ánh Tuyết', idNumber: '040188776655' },
      { components, outcome: { type: 'accept' } },
    );
    expect(a.statusCode, a.body).toBe(201);
    const forwarded = await t.app.inject({
      method: 'POST',
      url: `/api/dossiers/${a.json().code}/actions`,
      headers: specialist.headers,
      payload: { expectedVersion: a.json().version, command: { type: 'forward', note: 'Hợp lệ' } },
    });
    expect(forwarded.statusCode, forwarded.body).toBe(200);
    received = forwarded.json();
    const b = await registerAtCounter(t.app, reception, 'H41.50', {
      name: 'Bùi Văn Đức',
      idNumber: '040177665544',
    });
    newOne = b.json().code;
    today = formatDate(new Date()).split('/').reverse().join('-');
  });
  afterAll(async () => t?.close());

  it('exports Mẫu 06 with a title, Vietnamese headers, a frozen header and dates in Vietnam time', async () => {
    const url = `/api/registers/dossiers?unit=H41.50&from=2026-01-01&to=${today}&format=xlsx`;
    const res = await t.app.inject({ method: 'GET', url, headers: reception.headers });
    const disposition = res.headers['content-disposition'] as string;
    expect(disposition).toMatch(/^attachment; filename="[A-Za-z0-9._-]+\.xlsx"; filename\*=UTF-8''/);
    expect(disposition).toContain(`so-theo-doi-ho-so-H41.50-2026-01-01-${today}.xlsx`);
    const { ws, text, rowOf } = await readXlsx(res);
    expect(ws.name).toBe('Mẫu 06');
    expect(text(1, 1)).toBe(t.ctx.units.get('H41.50').name.toLocaleUpperCase('vi'));
    expect(text(1, 1)).toMatch(/^ỦY BAN NHÂN DÂN /);
    expect(rowOf(1, 'SỔ THEO DÕI HỒ SƠ')).toBeGreaterThan(0);
    expect(rowOf(1, `(Từ ngày 01/01/2026 đến ngày ${formatDate(new Date())})`)).toBeGreaterThan(0);
    const header = rowOf(1, 'STT');
    expect(header).toBeGreaterThan(2);
    expect([2, 3, 4, 5, 6, 10, 11].map((c) => text(header, c))).toEqual([
      'Mã hồ sơ',
      'Tên thủ tục hành chính',
      'Tên cá nhân, tổ chức',
      'Ngày nhận hồ sơ',
      'Hẹn trả kết quả',
      'Trước hạn / Đúng hạn / Quá hạn',
      'Ghi chú',
    ]);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: header });
    expect(ws.getColumn(3).width).toBeGreaterThan(30);
    // One row per dossier, the same rows as the PDF (same loader).
    const input = await unitRegisterInput(t.ctx, 'H41.50', '2026-01-01', today);
    let rows = 0;
    for (let r = header + 1; r <= ws.rowCount; r++) if (text(r, 2)) rows++;
    expect(rows).toBe(input.rows.length);
    const row = rowOf(2, received.code);
    expect(row).toBeGreaterThan(header);
    const s = received.state as { receivedAt: string; legalDueAt: string; steps: { startedAt: string }[] };
    expect(text(row, 1)).toBe(String(row - header));
    expect(text(row, 3)).toMatch(/^Cấp giấy phép xây dựng mới/);
    expect(text(row, 4)).toBe('Đặng Thị Ánh Tuyết');
    expect(text(row, 5)).toBe(vn(s.receivedAt));
    expect(text(row, 5)).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
    expect(text(row, 6)).toBe(vn(s.legalDueAt));
    expect(text(row, 9)).toBe(''); // not returned yet
    expect(rowOf(2, newOne)).toBeGreaterThan(header);
    // The PDF is unchanged.
    const pdf = await t.app.inject({
      method: 'GET',
      url: url.replace('&format=xlsx', ''),
      headers: reception.headers,
    });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
  });

  it('exports Mẫu 05 of one dossier with its hand-overs', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/dossiers/${received.code}/forms/control-sheet?format=xlsx`,
      headers: specialist.headers,
    });
    expect(res.headers['content-disposition']).toContain(`phieu-kiem-soat-${received.code}.xlsx`);
    const { ws, text, rowOf } = await readXlsx(res);
    expect(ws.name).toBe('Mẫu 05');
    expect(rowOf(1, 'PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ')).toBeGreaterThan(0);
    expect(rowOf(1, `Mã hồ sơ: ${received.code}`)).toBeGreaterThan(0);
    const applicant = rowOf(1, 'Hồ sơ của:');
    expect(text(applicant, 3)).toBe('Đặng Thị Ánh Tuyết');
    const header = rowOf(1, 'TT');
    expect(text(header, 2)).toBe('Bước xử lý');
    expect(text(header, 7)).toBe('Kết quả (trước hạn / đúng hạn / quá hạn)');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: header });
    const s = received.state as { steps: { name: string; startedAt: string; dueAt: string }[] };
    // Every step is a hand-over row, the first from the one-stop unit.
    expect(ws.rowCount - header).toBe(s.steps.length);
    s.steps.forEach((step, i) => {
      const r = header + 1 + i;
      expect(text(r, 1)).toBe(String(i + 1));
      expect(text(r, 2)).toBe(step.name);
      expect(text(r, 5)).toBe(vn(step.startedAt));
      expect(text(r, 6)).toBe(vn(step.dueAt));
    });
    expect(text(header + 1, 3)).toMatch(/^Bộ phận Một cửa — /);
    // The step in progress is the head's approval, without a result yet.
    expect(text(header + s.steps.length, 2)).toBe('Phê duyệt');
    expect(text(header + s.steps.length, 7)).toBe('Đang xử lý');
    expect(text(header + s.steps.length - 1, 2)).toBe('Thẩm định hồ sơ');
    expect(['Trước hạn', 'Đúng hạn']).toContain(text(header + s.steps.length - 1, 7));
  });

  it('applies the same access rules as the PDFs', async () => {
    const foreign = await login(t.app, 'tiepnhan.51');
    const sheet = `/api/dossiers/${received.code}/forms/control-sheet?format=xlsx`;
    const hidden = await t.app.inject({ method: 'GET', url: sheet, headers: foreign.headers });
    expect(hidden.statusCode).toBe(404);
    expect(errorCode(hidden)).toBe('DOSSIER_NOT_FOUND');
    const register = `/api/registers/dossiers?unit=H41.50&from=2026-01-01&to=${today}&format=xlsx`;
    for (const username of ['tiepnhan.51', 'admin']) {
      const s = await login(t.app, username);
      const res = await t.app.inject({ method: 'GET', url: register, headers: s.headers });
      expect(res.statusCode, username).toBe(403);
    }
    expect((await t.app.inject({ method: 'GET', url: register })).statusCode).toBe(401);
    const notReceived = await t.app.inject({
      method: 'GET',
      url: `/api/dossiers/${newOne}/forms/control-sheet?format=xlsx`,
      headers: reception.headers,
    });
    expect(notReceived.statusCode).toBe(409);
    expect(errorCode(notReceived)).toBe('FORM_NOT_APPLICABLE');
    const receipt = await t.app.inject({
      method: 'GET',
      url: `/api/dossiers/${received.code}/forms/receipt?format=xlsx`,
      headers: reception.headers,
    });
    expect(errorCode(receipt)).toBe('VALIDATION_FAILED');
    const odd = await t.app.inject({
      method: 'GET',
      url: `/api/registers/dossiers?unit=H41.50&from=2026-01-01&to=${today}&format=docx`,
      headers: reception.headers,
    });
    expect(odd.statusCode).toBe(400);
  });

  it('writes an empty period as a sheet with a note', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/registers/dossiers?unit=H41.50&from=2020-01-01&to=2020-01-31&format=xlsx',
      headers: reception.headers,
    });
    const { rowOf } = await readXlsx(res);
    expect(rowOf(2, '(Không có hồ sơ trong khoảng thời gian này.)')).toBeGreaterThan(0);
  });
});
