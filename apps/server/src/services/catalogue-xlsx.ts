import type { Channel, ProcedureDefinition, ProcedureDefinitionInput } from '@tinhso/domain';
import { DomainError } from '@tinhso/domain';
import ExcelJS from 'exceljs';
import { zipLimitProblem } from './zip-limits.js';

/**
 * The catalogue as an XLSX workbook: one sheet of procedures and one sheet per repeated part (fees, components,
 * results, workflow steps, e-forms), each row keyed by the procedure code. Export then import gives back the same
 * definitions.
 */
const SHEETS = {
  procedures: 'Thủ tục',
  fees: 'Phí, lệ phí',
  components: 'Thành phần hồ sơ',
  results: 'Kết quả',
  workflow: 'Quy trình nội bộ',
  eforms: 'Biểu mẫu điện tử',
} as const;

const PROCEDURE_COLUMNS = [
  ['code', 'Mã thủ tục'],
  ['name', 'Tên thủ tục'],
  ['field', 'Lĩnh vực'],
  ['level', 'Cấp thực hiện'],
  ['competentUnits', 'Cơ quan có thẩm quyền'],
  ['onlineLevel', 'Mức độ DVC trực tuyến'],
  ['channels', 'Kênh nộp'],
  ['days_counter', 'Thời hạn trực tiếp (ngày làm việc)'],
  ['days_online', 'Thời hạn trực tuyến (ngày làm việc)'],
  ['days_post', 'Thời hạn bưu chính (ngày làm việc)'],
  ['processingNote', 'Ghi chú thời hạn'],
  ['supplementPolicy', 'Khi bổ sung hồ sơ'],
  ['legalBases', 'Căn cứ pháp lý'],
  ['effectiveFrom', 'Hiệu lực từ'],
  ['effectiveTo', 'Hiệu lực đến'],
  ['source', 'Nguồn'],
] as const;

const CHANNELS: Channel[] = ['counter', 'online', 'post'];

export async function catalogueToXlsx(defs: ProcedureDefinition[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Tỉnh Số';
  const p = wb.addWorksheet(SHEETS.procedures);
  p.columns = PROCEDURE_COLUMNS.map(([key, header]) => ({ key, header, width: key === 'name' ? 60 : 18 }));
  const fees = sheet(wb, SHEETS.fees, [
    'procedure',
    'name',
    'amountVnd',
    'payableOnline',
    'channels',
    'kind',
  ]);
  const comps = sheet(wb, SHEETS.components, [
    'procedure',
    'code',
    'name',
    'required',
    'originals',
    'copies',
    'formTemplate',
    'reusable',
  ]);
  const results = sheet(wb, SHEETS.results, ['procedure', 'code', 'name', 'kind']);
  const steps = sheet(wb, SHEETS.workflow, ['procedure', 'order', 'name', 'role', 'unit', 'durationDays']);
  const eforms = sheet(wb, SHEETS.eforms, ['procedure', 'schemaJson']);
  for (const d of defs) {
    p.addRow({
      code: d.code,
      name: d.name,
      field: d.field,
      level: d.level,
      competentUnits: d.competentUnits.join(', '),
      onlineLevel: d.onlineLevel,
      channels: d.channels.join(', '),
      days_counter: d.processingDays.counter ?? null,
      days_online: d.processingDays.online ?? null,
      days_post: d.processingDays.post ?? null,
      processingNote: d.processingNote,
      supplementPolicy: d.supplementPolicy,
      legalBases: d.legalBases.join('\n'),
      effectiveFrom: d.effectiveFrom,
      effectiveTo: d.effectiveTo,
      source: d.source,
    });
    for (const f of d.fees) fees.addRow({ procedure: d.code, ...f, channels: f.channels.join(', ') });
    for (const c of d.components) comps.addRow({ procedure: d.code, ...c });
    for (const r of d.results) results.addRow({ procedure: d.code, ...r });
    for (const [i, s] of d.workflow.entries()) steps.addRow({ procedure: d.code, order: i + 1, ...s });
    if (d.eform) eforms.addRow({ procedure: d.code, schemaJson: JSON.stringify(d.eform) });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function sheet(wb: ExcelJS.Workbook, name: string, keys: string[]) {
  const ws = wb.addWorksheet(name);
  ws.columns = keys.map((key) => ({ key, header: key, width: key === 'name' ? 60 : 16 }));
  return ws;
}

function importError(where: string, message: string): DomainError {
  return new DomainError(
    'IMPORT_INVALID',
    `Tệp XLSX không hợp lệ (${where}): ${message}`,
    `Invalid XLSX (${where}): ${message}`,
  );
}

/** Reads rows of a sheet as objects keyed by its header row. */
function rows(
  wb: ExcelJS.Workbook,
  name: string,
  byHeaderKey?: Record<string, string>,
): Record<string, unknown>[] {
  const ws = wb.getWorksheet(name);
  if (!ws) throw importError(name, 'missing sheet');
  const headers: string[] = [];
  ws.getRow(1).eachCell((cell, col) => {
    const h = String(cell.value ?? '').trim();
    headers[col] = byHeaderKey?.[h] ?? h;
  });
  const out: Record<string, unknown>[] = [];
  ws.eachRow((row, n) => {
    if (n === 1) return;
    const obj: Record<string, unknown> = {};
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      const key = headers[col];
      if (!key) return;
      const v = cell.value;
      obj[key] = v && typeof v === 'object' && 'text' in v ? (v as { text: string }).text : v;
    });
    if (Object.keys(obj).length > 0) out.push({ ...obj, __row: n });
  });
  return out;
}

const str = (v: unknown) => (v === null || v === undefined ? '' : String(v).trim());
const list = (v: unknown) =>
  str(v)
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
const bool = (v: unknown) => v === true || ['true', 'có', 'x', '1', 'yes'].includes(str(v).toLowerCase());
const num = (v: unknown) => (str(v) === '' ? null : Number(v));

/** Largest catalogue workbook once unpacked (all its XML); a 5,000-procedure export is far below. */
export const XLSX_MAX_INFLATED_BYTES = 100 * 1024 * 1024;

/** Parses a workbook written by `catalogueToXlsx` (or by hand in the same layout) into definitions to validate. */
export async function xlsxToCatalogue(data: Buffer): Promise<ProcedureDefinitionInput[]> {
  // ExcelJS inflates every entry whole into memory: refuse a workbook that would inflate beyond reason first.
  const tooBig = zipLimitProblem(data, { maxEntries: 1000, maxBytes: XLSX_MAX_INFLATED_BYTES });
  if (tooBig === 'not_zip') throw importError('file', 'not an XLSX workbook');
  if (tooBig)
    throw importError('file', `larger than ${XLSX_MAX_INFLATED_BYTES / 1024 / 1024} MB once unpacked`);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(data as unknown as ArrayBuffer);
  } catch {
    throw importError('file', 'not an XLSX workbook');
  }
  const headerKey = Object.fromEntries(PROCEDURE_COLUMNS.map(([k, h]) => [h, k]));
  const byCode = new Map<string, Record<string, unknown>>();
  for (const r of rows(wb, SHEETS.procedures, headerKey)) {
    const code = str(r['code']);
    if (!code) throw importError(`${SHEETS.procedures}!${r['__row']}`, 'missing code');
    const processingDays: Partial<Record<Channel, number>> = {};
    for (const ch of CHANNELS) {
      const n = num(r[`days_${ch}`]);
      if (n !== null) processingDays[ch] = n;
    }
    byCode.set(code, {
      code,
      name: str(r['name']),
      field: str(r['field']),
      level: str(r['level']),
      competentUnits: list(r['competentUnits']),
      onlineLevel: str(r['onlineLevel']),
      channels: list(r['channels']),
      processingDays,
      processingNote: str(r['processingNote']) || null,
      supplementPolicy: str(r['supplementPolicy']) || 'resume',
      legalBases: str(r['legalBases'])
        .split('\n')
        .map((s) => s.trim())
        .filter(Boolean),
      effectiveFrom: str(r['effectiveFrom']),
      effectiveTo: str(r['effectiveTo']) || null,
      source: str(r['source']) || null,
      fees: [],
      components: [],
      results: [],
      workflow: [],
      eform: null,
    });
  }
  const owner = (sheetName: string, r: Record<string, unknown>) => {
    const d = byCode.get(str(r['procedure']));
    if (!d) throw importError(`${sheetName}!${r['__row']}`, `unknown procedure "${str(r['procedure'])}"`);
    return d;
  };
  const push = (d: Record<string, unknown>, key: string, v: unknown) => (d[key] as unknown[]).push(v);
  for (const r of rows(wb, SHEETS.fees)) {
    push(owner(SHEETS.fees, r), 'fees', {
      name: str(r['name']),
      amountVnd: num(r['amountVnd']),
      payableOnline: bool(r['payableOnline']),
      channels: list(r['channels']),
      kind: str(r['kind']) || 'fee',
    });
  }
  for (const r of rows(wb, SHEETS.components)) {
    push(owner(SHEETS.components, r), 'components', {
      code: str(r['code']),
      name: str(r['name']),
      required: bool(r['required']),
      originals: num(r['originals']) ?? 0,
      copies: num(r['copies']) ?? 0,
      formTemplate: str(r['formTemplate']) || null,
      reusable: bool(r['reusable']),
    });
  }
  for (const r of rows(wb, SHEETS.results)) {
    push(owner(SHEETS.results, r), 'results', {
      code: str(r['code']),
      name: str(r['name']),
      kind: str(r['kind']),
    });
  }
  const steps = rows(wb, SHEETS.workflow).sort((a, b) => Number(a['order']) - Number(b['order']));
  for (const r of steps) {
    push(owner(SHEETS.workflow, r), 'workflow', {
      name: str(r['name']),
      role: str(r['role']),
      unit: str(r['unit']),
      durationDays: num(r['durationDays']),
    });
  }
  for (const r of rows(wb, SHEETS.eforms)) {
    try {
      owner(SHEETS.eforms, r)['eform'] = JSON.parse(str(r['schemaJson']));
    } catch (e) {
      if (e instanceof DomainError) throw e;
      throw importError(`${SHEETS.eforms}!${r['__row']}`, 'schemaJson is not valid JSON');
    }
  }
  return [...byCode.values()] as ProcedureDefinitionInput[];
}
