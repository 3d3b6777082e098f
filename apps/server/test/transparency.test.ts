import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, errorCode, login, type Session, startTestApp, type TestApp } from './helpers.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Reads a PDF as a person with poppler's tools would (Debian poppler-utils; CI installs it). */
function tool(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { code?: string; stdout?: string };
    if (err.code === 'ENOENT') throw new Error(`${cmd} is missing: apt-get install poppler-utils`);
    return err.stdout ?? '';
  }
}

/** RFC 4180: fields separated by commas, records by CRLF; quoted fields may hold commas, quotes ("") and breaks. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (ch === '"') {
        quoted = false;
        i++;
      } else {
        field += ch;
        i++;
      }
    } else if (ch === '"' && field === '') {
      quoted = true;
      i++;
    } else if (ch === ',') {
      record.push(field);
      field = '';
      i++;
    } else if (ch === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += 2;
    } else {
      if (ch === '\n' || ch === '\r' || ch === '"') throw new Error(`bare ${JSON.stringify(ch)} at ${i}`);
      field += ch;
      i++;
    }
  }
  if (quoted) throw new Error('unterminated quoted field');
  if (field !== '' || record.length > 0) throw new Error('the last record does not end with CRLF');
  return records;
}

interface Figures {
  agency: { code: string; name: string; level: string };
  period: { kind: string; key: string; from: string; to: string };
  counts: Record<string, number>;
  shares: Record<string, number | null>;
  meanWorkDays: number | null;
  procedures: {
    code: string;
    name: string;
    received: number;
    online: number;
    decided: number;
    onTime: number;
    late: number;
    onTimeShare: number | null;
    medianWorkDays: number | null;
  }[];
}
type Row = Record<string, string | number | null>;

/**
 * Issue 6 item 5 (public transparency per agency, open data) and item 4 (exports of the dashboard). The public
 * numbers are checked against the authenticated indicators and against SQL over the dossiers; every public body is
 * searched for every dossier code, applicant name and ID number; the CSV is parsed back; the XLSX read back with
 * exceljs; the PDF read with pdftotext and pdfinfo.
 */
describe.each(ENGINES)('public transparency and indicator exports on %s', (engine) => {
  let t: TestApp;
  let admin: Session;
  let chairman50: Session;
  let specialist50: Session;
  let dir = '';
  beforeAll(async () => {
    t = await startTestApp(engine, { dossiers: 120 });
    [admin, chairman50, specialist50] = (await Promise.all(
      ['admin', 'chutich.50', 'tuphap.50'].map((u) => login(t.app, u)),
    )) as [Session, Session, Session];
    dir = mkdtempSync(join(tmpdir(), 'tinhso-transparency-'));
  });
  afterAll(async () => t?.close());

  const anon = (url: string) => t.app.inject({ method: 'GET', url });
  const as = (s: Session, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: s.cookie } });
  const ok = (res: LightMyRequestResponse) => {
    expect(res.statusCode, res.body.slice(0, 400)).toBe(200);
    return res;
  };
  const figures = async (code: string, query: string): Promise<Figures> =>
    ok(await anon(`/api/public/transparency/${code}?${query}`)).json();

  it('lists the agencies for the picker without a login: the province, departments and communes', async () => {
    const res = ok(await anon('/api/public/transparency'));
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    const items: { code: string; name: string; level: string }[] = res.json().items;
    expect(items[0]).toEqual({ code: 'H41', name: 'Ủy ban nhân dân tỉnh Nghệ An', level: 'province' });
    expect(items).toContainEqual({ code: 'H41.03', name: 'Sở Tư pháp', level: 'department' });
    expect(items).toContainEqual({
      code: 'H41.50',
      name: 'Ủy ban nhân dân phường Trường Vinh',
      level: 'commune',
    });
    const codes = items.map((i) => i.code);
    expect(codes).not.toContain('H41.02'); // the service centre decides nothing
    expect(codes).not.toContain('H41.40'); // the district dissolved on 01/07/2025
    expect(new Set(items.map((i) => i.level))).toEqual(new Set(['province', 'department', 'commune']));
  });

  it('shows the same figures as the authenticated indicators for the same unit and period', async () => {
    for (const [unit, query] of [
      ['H41', 'period=2026'],
      ['H41.50', 'period=2026'],
      ['H41.04', 'period=2026-Q4'],
      ['H41', 'period=2026-11&kind=report_month'],
      ['H41.51', 'period=2026-Q3'],
    ] as const) {
      const pub = await figures(unit, query);
      const res = ok(await as(admin, `/api/indicators?unit=${unit}&${query}`));
      const s = res.json();
      expect(pub.period).toEqual(s.period);
      expect(s.unit).toMatchObject(pub.agency);
      for (const k of [
        'received',
        'online',
        'resolved',
        'early',
        'onTime',
        'late',
        'cancelled',
        'digitized',
        'feeCharging',
        'paidOnline',
        'rated',
        'verySatisfied',
        'satisfied',
        'unsatisfied',
      ]) {
        expect(pub.counts[k], `${unit} ${query} ${k}`).toBe(s.counts[k]);
      }
      expect(pub.counts.inProgress).toBe(s.counts.inProgressWithinDeadline + s.counts.inProgressOverdue);
      for (const k of ['onTime', 'online', 'paidOnline', 'satisfied', 'digitized']) {
        expect(pub.shares[k], `${unit} ${query} ${k}`).toBe(s.shares[k]);
      }
      expect(pub.meanWorkDays).toBe(s.shares.meanWorkDays);
      // every dossier received is in one procedure row
      expect(pub.procedures.reduce((a, p) => a + p.received, 0)).toBe(pub.counts.received);
      expect(pub.procedures.reduce((a, p) => a + p.online, 0)).toBe(pub.counts.online);
    }
    const year = await figures('H41', 'period=2026');
    expect(year.counts.received).toBeGreaterThan(50);
    expect(year.counts.rated).toBeGreaterThan(0);
    expect(year.shares.onTime).not.toBeNull();
    expect(year.shares.satisfied).toBeCloseTo(
      (year.counts.verySatisfied! + year.counts.satisfied!) / year.counts.rated!,
      12,
    );
  });

  /** Per procedure, straight from `dossiers`: decided in the period, late, and the median working days. */
  async function direct(unit: string, from: string, to: string) {
    const r = await sql<{ code: string; n: string; late: string; median: string | number }>`
      WITH d AS (
        SELECT p.code, d.state ->> 'timing' AS timing,
               -- working days from reception to decision, less the days the clock stood still (pauses)
               greatest(0, working_days_between(vietnam_date(d.received_at),
                                                vietnam_date(coalesce(d.finished_at, d.updated_at)))
                           - round(coalesce((SELECT sum((x ->> 'workingDays')::numeric)
                                             FROM jsonb_array_elements(d.state -> 'pauses') x), 0))::int) AS days
        FROM dossiers d
        JOIN procedures p ON p.id = d.procedure_id
        JOIN units u ON u.id = d.competent_unit_id
        WHERE u.path LIKE (SELECT path FROM units WHERE code = ${unit}) || '%'
          AND d.received_at IS NOT NULL AND d.status IN (9, 10)
          AND vietnam_date(coalesce(d.finished_at, d.updated_at)) BETWEEN ${from}::date AND ${to}::date)
      SELECT code, count(*) AS n, count(*) FILTER (WHERE timing = 'late') AS late,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY days) AS median
      FROM d GROUP BY code ORDER BY code`.execute(t.ctx.database.db);
    return new Map(
      r.rows.map((x) => [x.code, { decided: Number(x.n), late: Number(x.late), median: Number(x.median) }]),
    );
  }

  it('gives per procedure the decided count, on-time share and median working days of the dossiers', async () => {
    for (const [unit, query, from, to] of [
      ['H41', 'period=2026', '2026-01-01', '2026-12-31'],
      ['H41.50', 'period=2026-Q4', '2026-10-01', '2026-12-31'],
      ['H41.03', 'period=2026-10', '2026-10-01', '2026-10-31'],
    ] as const) {
      const pub = await figures(unit, query);
      const d = await direct(unit, from, to);
      const decided = pub.procedures.filter((p) => p.decided > 0);
      expect(decided.length, `${unit} ${query}`).toBe(d.size);
      for (const p of decided) {
        const x = d.get(p.code)!;
        expect(x, p.code).toBeDefined();
        expect(p.decided, p.code).toBe(x.decided);
        expect(p.late, p.code).toBe(x.late);
        expect(p.onTime, p.code).toBe(x.decided - x.late);
        expect(p.onTimeShare!, p.code).toBeCloseTo((x.decided - x.late) / x.decided, 12);
        expect(p.medianWorkDays!, p.code).toBeCloseTo(x.median, 9);
      }
      for (const p of pub.procedures.filter((q) => q.decided === 0)) {
        expect(p.medianWorkDays).toBeNull();
        expect(p.onTimeShare).toBeNull();
      }
      // sorted by decided count, most first
      const counts = pub.procedures.map((p) => p.decided);
      expect(counts).toEqual([...counts].sort((a, b) => b - a));
    }
    expect((await direct('H41', '2026-01-01', '2026-12-31')).size).toBeGreaterThan(3);
  });

  it('serves open data as JSON and as CSV (UTF-8 with BOM, RFC 4180) with the same rows', async () => {
    const jsonRes = ok(await anon('/api/open-data/transparency.json?period=2026'));
    expect(jsonRes.headers['content-type']).toMatch(/^application\/json; charset=utf-8/);
    expect(jsonRes.headers['cache-control']).toBe('public, max-age=300');
    expect(jsonRes.headers['content-disposition']).toMatch(
      /^inline; filename="minh-bach-ket-qua-giai-quyet-tat-ca-co-quan-2026\.json"; filename\*=UTF-8''/,
    );
    const data = jsonRes.json() as { columns: { name: string; vi: string }[]; rows: Row[] };
    const names = data.columns.map((c) => c.name);
    expect(names).toEqual([
      'agency_code',
      'agency_name',
      'agency_level',
      'row_type',
      'procedure_code',
      'procedure_name',
      'period_from',
      'period_to',
      'received',
      'decided',
      'on_time',
      'late',
      'online',
      'median_work_days',
    ]);
    expect(data.columns.find((c) => c.name === 'decided')!.vi).toBe('Số hồ sơ đã giải quyết trong kỳ');

    const csvRes = ok(await anon('/api/open-data/transparency.csv?period=2026'));
    expect(csvRes.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    expect(csvRes.headers['cache-control']).toBe('public, max-age=300');
    expect(csvRes.headers['content-disposition']).toBe(
      'attachment; filename="minh-bach-ket-qua-giai-quyet-tat-ca-co-quan-2026.csv"; ' +
        "filename*=UTF-8''minh-bach-ket-qua-giai-quyet-tat-ca-co-quan-2026.csv",
    );
    const bytes = csvRes.rawPayload;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const records = parseCsv(bytes.subarray(3).toString('utf8'));
    expect(records[0]).toEqual(names);
    const rows = records.slice(1);
    expect(rows.length).toBe(data.rows.length);
    expect(rows.every((r) => r.length === names.length)).toBe(true);
    rows.forEach((r, i) => {
      const expected = names.map((n) => {
        const v = data.rows[i]![n];
        return v === null ? '' : String(v);
      });
      expect(r, `row ${i}`).toEqual(expected);
    });
    // Vietnamese text and fields that need quoting survive the round trip.
    expect(rows.some((r) => r[1] === 'Ủy ban nhân dân phường Trường Vinh')).toBe(true);
    const quoted = rows.filter((r) => r.some((f) => /[",]/.test(f)));
    expect(quoted.length).toBeGreaterThan(0);

    // Totals per agency: one total row per agency, equal to the agency's public figures.
    const agencies: { code: string }[] = (await anon('/api/public/transparency')).json().items;
    const totals = data.rows.filter((r) => r.row_type === 'total');
    expect(totals.map((r) => r.agency_code)).toEqual(agencies.map((a) => a.code));
    for (const code of ['H41', 'H41.50', 'H41.03']) {
      const f = await figures(code, 'period=2026');
      const total = totals.find((r) => r.agency_code === code)!;
      expect(total).toMatchObject({
        period_from: '2026-01-01',
        period_to: '2026-12-31',
        received: f.counts.received,
        online: f.counts.online,
        decided: f.procedures.reduce((a, p) => a + p.decided, 0),
        on_time: f.procedures.reduce((a, p) => a + p.onTime, 0),
        late: f.procedures.reduce((a, p) => a + p.late, 0),
      });
      const own = data.rows.filter((r) => r.agency_code === code && r.row_type === 'procedure');
      expect(own.length).toBe(f.procedures.length);
      for (const p of f.procedures) {
        expect(own.find((r) => r.procedure_code === p.code)).toMatchObject({
          procedure_name: p.name,
          received: p.received,
          decided: p.decided,
          on_time: p.onTime,
          late: p.late,
          online: p.online,
          median_work_days: p.medianWorkDays,
        });
      }
    }

    // One agency and another period.
    const one = ok(await anon('/api/open-data/transparency.csv?period=2026-Q4&kind=quarter&agency=H41.50'));
    expect(one.headers['content-disposition']).toContain(
      "filename*=UTF-8''minh-bach-ket-qua-giai-quyet-H41.50-2026-Q4.csv",
    );
    const oneRows = parseCsv(one.rawPayload.subarray(3).toString('utf8')).slice(1);
    expect(oneRows.length).toBeGreaterThan(1);
    expect(new Set(oneRows.map((r) => r[0]))).toEqual(new Set(['H41.50']));
    expect(oneRows.every((r) => r[6] === '2026-10-01' && r[7] === '2026-12-31')).toBe(true);
  });

  it('never shows a dossier code, an applicant name or an ID number in any public body', async () => {
    const dossiers = await t.ctx.database.db
      .selectFrom('dossiers')
      .select(['code', 'applicant_name', 'applicant_id', 'applicant_contact'])
      .execute();
    expect(dossiers.length).toBeGreaterThan(100);
    const secrets = new Set<string>();
    for (const d of dossiers) {
      secrets.add(d.code);
      secrets.add(d.applicant_name);
      if (d.applicant_id) secrets.add(d.applicant_id);
      for (const v of Object.values(d.applicant_contact ?? {}))
        if (String(v).length >= 6) secrets.add(String(v));
    }
    const citizens = await t.ctx.database.db
      .selectFrom('citizens')
      .select(['personal_id', 'full_name'])
      .execute();
    for (const c of citizens) {
      secrets.add(c.personal_id);
      secrets.add(c.full_name);
    }
    const agencies: { code: string }[] = (await anon('/api/public/transparency')).json().items;
    const urls = [
      '/api/public/transparency',
      ...agencies.map((a) => `/api/public/transparency/${a.code}?period=2026`),
      '/api/public/transparency/H41?period=2026-11&kind=report_month',
      '/api/open-data/transparency.json?period=2026',
      '/api/open-data/transparency.csv?period=2026',
      '/api/open-data/transparency.csv?period=2026-Q4&agency=H41.50',
    ];
    for (const url of urls) {
      const body = ok(await anon(url)).rawPayload.toString('utf8');
      for (const s of secrets) {
        expect(body.includes(s), `${url} contains "${s}"`).toBe(false);
      }
    }
  });

  it('refuses an unknown agency (404) and a bad period (400 VALIDATION_FAILED) with the error shape', async () => {
    for (const url of [
      '/api/public/transparency/H99',
      '/api/public/transparency/H41.02', // a service centre is not a deciding agency
      '/api/public/transparency/nonsense?period=2026',
      '/api/open-data/transparency.json?agency=H41.99',
      '/api/open-data/transparency.csv?agency=H41.99',
    ]) {
      const res = await anon(url);
      expect([res.statusCode, errorCode(res)], url).toEqual([404, 'UNIT_NOT_FOUND']);
      expect(res.json().error.message).toMatch(/Không có cơ quan/);
      expect(res.json().error.messageEn).toMatch(/No agency/);
    }
    for (const url of [
      '/api/public/transparency/H41?period=2026-13',
      '/api/public/transparency/H41?period=abc',
      '/api/public/transparency/H41?period=2026&kind=weekly',
      '/api/public/transparency/H41?period=2026-02-30..2026-03-01',
      '/api/open-data/transparency.csv?period=1999',
      '/api/open-data/transparency.json?period=2026-01-01..2031-12-31',
      // No range of the caller's choosing: a one-day range could single out one person's dossier.
      '/api/public/transparency/H41.50?period=2026-11-17..2026-11-17',
      '/api/open-data/transparency.csv?period=2026-11-01..2026-11-30&agency=H41.50',
    ]) {
      const res = await anon(url);
      expect([res.statusCode, errorCode(res)], url).toEqual([400, 'VALIDATION_FAILED']);
      expect(res.json().error.messageEn, url).toBeTruthy();
    }
    // The older QCVN 102 form of a code names the same agency.
    expect((await figures('000.00.50.H41', 'period=2026')).agency.code).toBe('H41.50');
  });

  it('exports the dashboard as XLSX with the sheets and the numbers of GET /api/indicators', async () => {
    const s = ok(await as(admin, '/api/indicators?unit=H41&period=2026')).json();
    const res = ok(await as(admin, '/api/indicators/export.xlsx?unit=H41&period=2026'));
    expect(res.headers['content-type']).toBe(XLSX);
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="chi-so-phuc-vu-h41-2026.xlsx"; filename*=UTF-8\'\'chi-so-phuc-vu-H41-2026.xlsx',
    );
    expect(res.headers['cache-control']).toBe('private, no-store');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Chỉ số', 'Bộ chỉ số 766', 'Đơn vị', 'Thủ tục']);
    const rowsOf = (name: string) => {
      const ws = wb.getWorksheet(name)!;
      const out: unknown[][] = [];
      ws.eachRow((row) => {
        out.push((row.values as unknown[]).slice(1));
      });
      return out;
    };
    const kpi = rowsOf('Chỉ số');
    expect(kpi[0]![0]).toBe('BÁO CÁO CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP');
    expect(kpi[1]![0]).toBe('Đơn vị: Ủy ban nhân dân tỉnh Nghệ An (H41)');
    expect(kpi[2]![0]).toBe('Kỳ: 01/01/2026 – 31/12/2026');
    const line = (label: string) => kpi.find((r) => r[1] === label)!;
    expect(line('Hồ sơ tiếp nhận trong kỳ')[2]).toBe(s.counts.received);
    expect(line('Tiếp nhận trực tuyến').slice(2, 4)).toEqual([s.counts.online, s.shares.online]);
    expect(line('Giải quyết quá hạn')[2]).toBe(s.counts.late);
    expect(line('Giải quyết trước hạn và đúng hạn').slice(2, 4)).toEqual([
      s.counts.early + s.counts.onTime,
      s.shares.onTime,
    ]);
    expect(line('Hài lòng (rất hài lòng + hài lòng)')[3]).toBe(s.shares.satisfied ?? '');
    let onlineRow = -1;
    wb.getWorksheet('Chỉ số')!.eachRow((row, n) => {
      if (row.getCell(2).value === 'Tiếp nhận trực tuyến') onlineRow = n;
    });
    expect(wb.getWorksheet('Chỉ số')!.getCell(onlineRow, 4).numFmt).toBe('0.0%');

    const score = rowsOf('Bộ chỉ số 766');
    for (const g of s.score.groups) {
      for (const i of g.items) {
        const r = score.find((x) => x[1] === i.id)!;
        expect(r, i.id).toBeDefined();
        expect(r[0]).toBe(`${g.code} — ${g.label}`);
        expect(r[2]).toBe(i.label);
        expect(r.slice(3, 5)).toEqual([i.numerator, i.denominator]);
        expect(r[5] === '' ? null : r[5]).toBe(i.share);
        expect(r.slice(6, 10)).toEqual([i.points, i.max, i.lost, i.version]);
      }
    }
    expect(score.find((x) => x[0] === 'Tổng cộng')![6]).toBe(s.score.total);

    const children = rowsOf('Đơn vị');
    for (const c of s.children) {
      const r = children.find((x) => x[0] === c.unit.code)!;
      expect(r, c.unit.code).toBeDefined();
      expect([r[1], r[3], r[6], r[7]]).toEqual([
        c.unit.name,
        c.counts.received,
        c.counts.resolved,
        c.counts.late,
      ]);
      expect(r[11]).toBe(c.score.total);
    }
    const procs = rowsOf('Thủ tục');
    for (const p of s.byProcedure) {
      const r = procs.find((x) => x[0] === p.code)!;
      expect(r, p.code).toBeDefined();
      expect(r.slice(1, 7)).toEqual([p.name, p.received, p.online, p.resolved, p.late, p.overdue]);
    }
  });

  it('exports the dashboard as an A4 landscape PDF with correct Vietnamese text', async () => {
    const s = ok(await as(chairman50, '/api/indicators?period=2026')).json();
    expect(s.unit.code).toBe('H41.50');
    const res = ok(await as(chairman50, '/api/indicators/export.pdf?period=2026'));
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toContain("filename*=UTF-8''chi-so-phuc-vu-H41.50-2026.pdf");
    const path = join(dir, 'h41-50.pdf');
    writeFileSync(path, res.rawPayload);
    const text = tool('pdftotext', ['-layout', path, '-']).replace(/[ \t]+/g, ' ');
    expect(text).toContain('BÁO CÁO CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP');
    expect(text).toContain('Đơn vị: Ủy ban nhân dân phường Trường Vinh (H41.50)');
    expect(text).toContain('Kỳ: 01/01/2026 – 31/12/2026');
    expect(text).toMatch(/Lập lúc: \d\d:\d\d ngày \d\d\/\d\d\/\d{4} \(giờ Việt Nam\)/);
    const pct = (x: number) => `${(x * 100).toFixed(1).replace('.', ',')} %`;
    expect(text).toMatch(/Giải quyết trước hạn và đúng hạn \d+ /);
    expect(text).toContain(pct(s.shares.onTime));
    expect(text).toContain('Bộ chỉ số 766');
    expect(text).toContain('TDGQ — Tiến độ giải quyết');
    expect(text).toContain('TTTT — Thanh toán trực tuyến');
    expect(text).toContain('(Đơn vị không có đơn vị trực thuộc.)');
    const info = tool('pdfinfo', [path]);
    expect(info).toMatch(/Page size:\s+841\.89 x 595\.2\d pts \(A4\)/);
    expect(info).toMatch(/Page rot:\s+0/);

    // The province: the children table lists the departments and communes.
    const province = ok(await as(admin, '/api/indicators/export.pdf?unit=H41&period=2026'));
    const ppath = join(dir, 'h41.pdf');
    writeFileSync(ppath, province.rawPayload);
    const ptext = tool('pdftotext', ['-layout', ppath, '-']).replace(/[ \t]+/g, ' ');
    expect(ptext).toContain('Sở Tư pháp');
    expect(ptext).toContain('Ủy ban nhân dân xã Yên Thành');
  });

  it('lets only heads, leaders and administrators export, as the dashboard', async () => {
    for (const ext of ['xlsx', 'pdf']) {
      const anonymous = await anon(`/api/indicators/export.${ext}?period=2026`);
      expect([anonymous.statusCode, errorCode(anonymous)]).toEqual([401, 'UNAUTHENTICATED']);
      const specialist = await as(specialist50, `/api/indicators/export.${ext}?unit=H41.50&period=2026`);
      expect([specialist.statusCode, errorCode(specialist)]).toEqual([403, 'FORBIDDEN']);
      const foreign = await as(chairman50, `/api/indicators/export.${ext}?unit=H41.51&period=2026`);
      expect([foreign.statusCode, errorCode(foreign)]).toEqual([403, 'FORBIDDEN']);
      const up = await as(chairman50, `/api/indicators/export.${ext}?unit=H41&period=2026`);
      expect(up.statusCode).toBe(403);
      const bad = await as(admin, `/api/indicators/export.${ext}?unit=H41&period=2026-13`);
      expect([bad.statusCode, errorCode(bad)]).toEqual([400, 'VALIDATION_FAILED']);
      const unknown = await as(admin, `/api/indicators/export.${ext}?unit=H99&period=2026`);
      expect(unknown.statusCode).toBe(404);
    }
  });

  it('documents the new routes in the OpenAPI description', async () => {
    const doc = ok(await anon('/api/openapi.json')).json();
    for (const p of [
      '/api/public/transparency',
      '/api/public/transparency/{code}',
      '/api/open-data/transparency.json',
      '/api/open-data/transparency.csv',
      '/api/indicators/export.xlsx',
      '/api/indicators/export.pdf',
    ]) {
      expect(Object.keys(doc.paths), p).toContain(p);
    }
  });
});
