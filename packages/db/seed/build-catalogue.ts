/**
 * Builds the demo procedure catalogue (`catalogue.json`, beside this file) from the national-procedure sample
 * collected in the shared data folder. One-off dev script, safe to re-run; the output is deterministic.
 *
 *   npx tsx packages/db/seed/build-catalogue.ts /work/shared/data/procedures.sample.json
 *
 * Real data (code, name, field, level, legal bases, channels, time limits, fees, components, results, source) is
 * copied verbatim. Everything the dataset lacks is *demo configuration* for the demo province Nghệ An (H41):
 * competent units, online level, internal workflow, e-forms, supplement policy. Every rule, every override and
 * every gap is documented in CATALOGUE.md — keep the two in step.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type EformField,
  type Fee,
  type OnlineLevel,
  ProcedureDefinition,
  type ProcedureDefinitionInput,
  type ResultType,
  type WorkflowStep,
} from '@tinhso/domain/procedure';
import type { Channel } from '@tinhso/domain/roles';

// ─── Raw record (procedures.sample.json) ────────────────────────────────────────────────────────────────────

interface RawFee {
  description: string;
  amountVnd: number | null;
  channels: string[];
  unit?: string;
}

interface RawRecord {
  code: string;
  name: string;
  field: string;
  level: string;
  processingTimeBySubmissionChannel: Record<string, string>;
  processingNote: string[] | null;
  fees: RawFee[] | null;
  components: string[] | null;
  legalBases: string[];
  implementingAgency: string | null;
  result: string;
  source: string;
}

function isRawRecord(r: unknown): r is RawRecord {
  if (typeof r !== 'object' || r === null) return false;
  const o = r as Record<string, unknown>;
  return (
    typeof o.code === 'string' &&
    typeof o.name === 'string' &&
    typeof o.field === 'string' &&
    typeof o.level === 'string' &&
    typeof o.processingTimeBySubmissionChannel === 'object' &&
    o.processingTimeBySubmissionChannel !== null &&
    (o.processingNote === null || Array.isArray(o.processingNote)) &&
    (o.fees === null || Array.isArray(o.fees)) &&
    (o.components === null || Array.isArray(o.components)) &&
    Array.isArray(o.legalBases) &&
    typeof o.result === 'string' &&
    typeof o.source === 'string'
  );
}

// ─── Constants: the demo province ───────────────────────────────────────────────────────────────────────────

export const EFFECTIVE_FROM = '2025-07-01';

/** Province-level competent unit by CSDL field (lĩnh vực). Demo codes; see CATALOGUE.md §3. */
const PROVINCE_UNIT_BY_FIELD: Record<string, string> = {
  'Hoạt động xây dựng': 'H41.04', // Sở Xây dựng
  'Đường bộ': 'H41.04', // Sở Xây dựng (giao thông vận tải merged into Xây dựng in 2025)
  'Sát hạch, cấp giấy phép lái xe': 'H41.11', // Công an tỉnh
  'Đất đai': 'H41.05', // Sở Nông nghiệp và Môi trường (Văn phòng đăng ký đất đai)
  'Thành lập và hoạt động của doanh nghiệp': 'H41.06', // Sở Tài chính (business registration since 2025)
  'Thành lập và hoạt động doanh nghiệp (hộ kinh doanh)': 'H41.06',
  'Khám bệnh, chữa bệnh': 'H41.07', // Sở Y tế
  'Dược phẩm': 'H41.07',
  'Bảo trợ xã hội': 'H41.07',
  'Người có công': 'H41.08', // Sở Nội vụ
  'Việc làm': 'H41.08',
  'Giảm nghèo': 'H41.08',
  'Giáo dục trung học': 'H41.09', // Sở Giáo dục và Đào tạo
  'Thi, tuyển sinh': 'H41.09',
  'Giáo dục mầm non': 'H41.09',
  'Lưu thông hàng hóa trong nước': 'H41.10', // Sở Công Thương
  Điện: 'H41.10',
  // The brief maps judicial records to Sở Tư pháp, but the record itself (published by 1025/QĐ-BCA) names
  // "Công an tỉnh" as implementing agency: issuing Phiếu lý lịch tư pháp moved to the police in 2025.
  'Lý lịch tư pháp': 'H41.11',
  'Nuôi con nuôi': 'H41.03', // Sở Tư pháp
  'Chứng thực': 'H41.03',
  'Hộ tịch': 'H41.03',
};

/** Demo stand-in for the tax agency in inter-agency (liên thông) steps: see CATALOGUE.md §6. */
const TAX_UNIT = 'H41.06';
/** Land registration office (Văn phòng đăng ký đất đai) belongs to Sở Nông nghiệp và Môi trường. */
const LAND_OFFICE_UNIT = 'H41.05';

const CHANNEL_BY_LABEL: Record<string, Channel> = {
  'Trực tuyến': 'online',
  'Trực tiếp': 'counter',
  'Dịch vụ bưu chính': 'post',
};
const CHANNEL_ORDER: Channel[] = ['counter', 'online', 'post'];

const FEE_PLACEHOLDER = '(CSDL không ghi mô tả)';

/**
 * Time-limit overrides for records whose CSDL time field is `OTHER`/`1 OTHER`/empty while the record's own source
 * file (same CSDL copy, `source` URL) states the limit in its "Trình tự thực hiện" / "Thời hạn giải quyết" text.
 * The value applies to every channel. Quotes are verbatim from the source file.
 */
const TIME_OVERRIDES: Record<string, { days: number; evidence: string }> = {
  '1.001612': {
    days: 3,
    evidence:
      'Cơ quan đăng ký kinh doanh cấp xã cấp Giấy chứng nhận đăng ký hộ kinh doanh … trong thời hạn 03 ngày làm việc kể từ ngày nhận hồ sơ.',
  },
  '2.000720': {
    days: 3,
    evidence:
      'Trong thời hạn 03 ngày làm việc kể từ ngày nhận hồ sơ, Cơ quan đăng ký kinh doanh cấp xã xem xét…',
  },
  '1.001570': {
    days: 1,
    evidence:
      'Trong thời hạn 01 ngày làm việc kể từ ngày nhận được hồ sơ hợp lệ, Cơ quan đăng ký kinh doanh cấp xã cấp giấy xác nhận…',
  },
  '1.001266': {
    days: 5,
    evidence:
      'Trong thời hạn 05 ngày làm việc kể từ ngày nhận hồ sơ đăng ký chấm dứt hoạt động của hộ kinh doanh, Cơ quan đăng ký kinh doanh cấp xã chuyển tình trạng pháp lý…',
  },
  '2.000575': {
    days: 1,
    evidence:
      'Cơ quan đăng ký kinh doanh cấp xã xem xét cấp lại Giấy chứng nhận đăng ký hộ kinh doanh trong thời hạn 01 ngày làm việc kể từ ngày nhận được văn bản đề nghị.',
  },
  '2.001263': {
    days: 30,
    evidence:
      'Thời gian kiểm tra hồ sơ và lấy ý kiến: 10 ngày … thay đổi ý kiến đồng ý …: 15 ngày … tổ chức đăng ký việc nuôi con nuôi và tổ chức giao nhận con nuôi …: 05 ngày (10 + 15 + 5).',
  },
};

/**
 * Demo online level: procedures with an online channel that can plausibly be done entirely online. Every other
 * procedure with an online channel is `MOT_PHAN`; without one, `KHONG`. Replace with the province's published list.
 */
const FULLY_ONLINE = new Set([
  '1.001193', // đăng ký khai sinh
  '1.000656', // đăng ký khai tử
  '1.004873', // xác nhận tình trạng hôn nhân
  '1.004859', // thay đổi, cải chính, bổ sung thông tin hộ tịch
  '2.000635', // cấp bản sao trích lục hộ tịch
  '2.000908', // cấp bản sao từ sổ gốc
  '3.000333', // phiếu lý lịch tư pháp
  '1.004222', // đăng ký thường trú
  '1.004194', // đăng ký tạm trú
  '1.001612', // đăng ký thành lập hộ kinh doanh
  '2.000720', // thay đổi nội dung đăng ký hộ kinh doanh
  '1.001570', // tạm ngừng / tiếp tục kinh doanh (hộ kinh doanh)
  '1.001266', // chấm dứt hoạt động hộ kinh doanh
  '2.000575', // cấp lại / cấp đổi GCN đăng ký hộ kinh doanh
  '2.001583', // thành lập công ty TNHH một thành viên
  '2.001610', // thành lập doanh nghiệp tư nhân
  '2.002043', // thành lập công ty cổ phần
  '1.001731', // hỗ trợ chi phí mai táng (liên thông khai tử)
  '1.014027', // trợ cấp hưu trí xã hội
  '3.000182', // tuyển sinh trung học cơ sở
  '1.005142', // đăng ký dự thi tốt nghiệp THPT
  '1.000703', // giấy phép kinh doanh vận tải bằng xe ô tô
  '3.000348', // cấp lại giấy phép lái xe
]);

/**
 * ILLUSTRATIVE fee lines (demo configuration, NOT real amounts), appended after the real ones so the demo can show
 * online payment where the real amount is set elsewhere (`amountVnd: null`). Replace with the province's HĐND
 * resolution before charging anyone. See CATALOGUE.md §5.
 */
const ILLUSTRATIVE_FEES: Record<string, Fee[]> = {
  // Real entries: "Theo quy định của Hội đồng nhân dân cấp tỉnh" (null). 75.000 đ is only an example of the
  // order of magnitude provinces set for a building permit of a detached house (lệ phí cấp giấy phép xây dựng).
  '1.013225': [
    {
      name: 'Lệ phí cấp giấy phép xây dựng nhà ở riêng lẻ (mức minh hoạ của bản trình diễn — mức thật do HĐND tỉnh quy định)',
      amountVnd: 75_000,
      channels: ['online'],
      payableOnline: true,
      kind: 'charge',
    },
  ],
};

/** Fields whose supplement requests restart the clock (demo policy). */
const RESTART_FIELDS = new Set(['Đất đai', 'Hoạt động xây dựng']);

// ─── Text helpers ───────────────────────────────────────────────────────────────────────────────────────────

const nfc = (s: string): string => s.normalize('NFC');

/** Cuts `text` to at most `max` characters at a sentence (or word) boundary and marks the cut with " …". */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = max - 2;
  const head = text.slice(0, room);
  const sentence = Math.max(head.lastIndexOf('. '), head.lastIndexOf('; '), head.lastIndexOf('.\n'));
  const cut = sentence > room * 0.5 ? sentence + 1 : head.lastIndexOf(' ');
  return `${text.slice(0, cut > 0 ? cut : room).trimEnd()} …`;
}

function deepNfc<T>(value: T): T {
  if (typeof value === 'string') return nfc(value) as T;
  if (Array.isArray(value)) return value.map((v) => deepNfc(v)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deepNfc(v)])) as T;
  }
  return value;
}

// ─── Channels and time limits ───────────────────────────────────────────────────────────────────────────────

const toHalfDays = (n: number): number => Math.ceil(n * 2) / 2;

/**
 * Maps one CSDL time value to working days.
 * - `N WORKING_DAY` → N.
 * - `N ngày` → N (assumption: treated as working days).
 * - `N OTHER` with N ≥ 2 → N (assumption: a day count whose unit the CSDL did not record).
 * - `OTHER` / `1 OTHER` → "in the day": 0 when the note says "ngay khi/ngay sau khi nhận", else 0.5.
 * - empty → null (needs an override).
 */
export function parseTimeLimit(raw: string, note: string | null): number | null {
  const value = raw.trim();
  let m = /^(\d+(?:[.,]\d+)?)\s*WORKING_DAY$/.exec(value);
  if (m) return toHalfDays(Number(m[1]!.replace(',', '.')));
  m = /^(\d+(?:[.,]\d+)?)\s*ngày$/.exec(value);
  if (m) return toHalfDays(Number(m[1]!.replace(',', '.')));
  m = /^(\d+)?\s*OTHER$/.exec(value);
  if (m) {
    const n = m[1] ? Number(m[1]) : null;
    if (n !== null && n >= 2) return n;
    if (note && /ngay (sau )?khi (tiếp )?nhận/i.test(note)) return 0;
    return 0.5;
  }
  return null;
}

// ─── Fees ───────────────────────────────────────────────────────────────────────────────────────────────────

function mapChannels(labels: string[], code: string): Channel[] {
  const out = new Set<Channel>();
  for (const label of labels) {
    const ch = CHANNEL_BY_LABEL[label];
    if (!ch) throw new Error(`${code}: unknown channel label "${label}"`);
    out.add(ch);
  }
  return CHANNEL_ORDER.filter((c) => out.has(c));
}

/** `lệ phí` anywhere → charge; otherwise a `phí` → fee; otherwise charge (most such CSDL entries are lệ phí). */
function feeKind(text: string): Fee['kind'] {
  const t = text.toLowerCase();
  if (t.includes('lệ phí')) return 'charge';
  if (/(^|[^\p{L}])phí/u.test(t)) return 'fee';
  return 'charge';
}

function mapFees(r: RawRecord): Fee[] {
  const fees: Fee[] = [];
  for (const f of r.fees ?? []) {
    const placeholder = f.description.trim() === FEE_PLACEHOLDER;
    // A zero amount without a description is the CSDL's way of saying "free": no fee line.
    if (placeholder && f.amountVnd === 0) continue;
    // Fees charged only by Vietnamese representative missions abroad (USD) do not apply in a province.
    if (/^Tại cơ quan đại diện/.test(f.description.trim())) continue;
    const channels = mapChannels(f.channels, r.code);
    const name = placeholder
      ? `Lệ phí${f.unit ? ` (tính theo ${f.unit})` : ''}`
      : clip(f.description.trim(), 500);
    fees.push({
      name,
      amountVnd: f.amountVnd,
      channels,
      payableOnline: channels.includes('online') && f.amountVnd !== null && f.amountVnd > 0,
      kind: placeholder ? 'charge' : feeKind(f.description),
    });
  }
  return fees;
}

// ─── Components ─────────────────────────────────────────────────────────────────────────────────────────────

/** Strips list markers the CSDL leaves at the start: "(1) ", "(iv) ", "1. ", ": ". */
function stripMarker(s: string): string {
  return s.replace(/^\s*(?:\((?:\d+|[ivx]+)\)|\d+\.|:)\s*/i, '').trim();
}

/**
 * A component is optional when its text is conditional: it starts with "Trường hợp", "Nếu", "(Nếu", "Đối với",
 * "Ngoài", or its first sentence (later sentences are usually notes) says "(nếu có)", "nếu có", "trong trường hợp",
 * "đối với trường hợp", "(nếu …", ", nếu …" or "(đối với …".
 */
export function isConditional(name: string): boolean {
  const s = stripMarker(name);
  if (/^(Trường hợp|Nếu|\(Nếu|Đối với|Ngoài)/.test(s)) return true;
  const first = s.split(/[.;]\s/)[0] ?? s;
  return /\(nếu có\)|nếu có|trong trường hợp|đối với trường hợp|\(nếu |, nếu |\(đối với /i.test(first);
}

/** Document types a citizen's e-data store can hold (identity papers, certificates, earlier results). */
const REUSABLE_HEADS = [
  'giấy chứng nhận',
  'giấy khai sinh',
  'giấy chứng sinh',
  'giấy báo tử',
  'giấy chứng tử',
  'giấy phép',
  'trích lục',
  'chứng chỉ',
  'hộ chiếu',
  'thẻ căn cước',
  'căn cước',
  'giấy xác nhận khuyết tật',
  'giấy xác nhận tình trạng hôn nhân',
  'phiếu lý lịch tư pháp',
  'văn bằng',
  'bằng tốt nghiệp',
  'sổ bảo hiểm xã hội',
];
const NOT_REUSABLE_HEADS =
  /^(ảnh|đơn|tờ khai|mẫu|giấy đề nghị|văn bản|đề nghị|phiếu đăng ký|danh sách|bản vẽ|bản kê|biên bản|dự thảo|hợp đồng|trường hợp ủy quyền)/;

export function isReusable(name: string): boolean {
  let s = stripMarker(name).toLowerCase();
  s = s
    .replace(/^một trong (các|những) giấy tờ (sau|sau đây)\s*:\s*/, '')
    // "Bản sao hoặc bản sao điện tử được chứng thực từ bản chính … từ sổ gốc của giấy phép lái xe" → "giấy phép…"
    .replace(
      /^bản (sao|chính)\b[^;:]{0,200}?(từ sổ gốc|từ bản chính)( hoặc bản chính)?\s+(của\s+)?(?!hoặc)/,
      '',
    )
    .replace(/^(bản sao hợp lệ|bản sao|bản chính|bản gốc)\s+/, '');
  if (NOT_REUSABLE_HEADS.test(s)) return false;
  if (REUSABLE_HEADS.some((h) => s.startsWith(h))) return true;
  return s.includes('căn cước');
}

function mapComponents(r: RawRecord): ProcedureDefinitionInput['components'] {
  return (r.components ?? []).map((raw, i) => {
    const name = clip(raw.trim(), 2000);
    return {
      code: `TP${String(i + 1).padStart(2, '0')}`,
      name,
      required: !isConditional(raw),
      originals: 0,
      copies: 1,
      formTemplate: null,
      reusable: isReusable(raw),
    };
  });
}

// ─── Results ────────────────────────────────────────────────────────────────────────────────────────────────

/** Splits the CSDL result list: items are joined by "; " or by ", " before a capitalised item. */
export function splitResults(text: string): string[] {
  const parts = text
    .split(/;\s+|,\s+(?=\p{Lu})/u)
    .map((p) =>
      p
        .trim()
        .replace(/^[-+*•]\s*/, '')
        .replace(/[\s.,;]+$/, '')
        .trim(),
    )
    .filter((p) => p.length > 0);
  return [...new Set(parts)];
}

const RESULT_KEYWORDS: [string, ResultType['kind']][] = [
  ['quyết định', 'decision'],
  ['giấy chứng nhận', 'certificate'],
  ['giấy khai sinh', 'certificate'],
  ['trích lục', 'certificate'],
  ['phiếu lý lịch', 'certificate'],
  ['chứng chỉ', 'certificate'],
  ['giấy phép', 'licence'],
  ['văn bản xác nhận', 'confirmation'],
  ['xác nhận', 'confirmation'],
];

/** Kind by the earliest keyword that starts within the head (first 40 characters) of the name. */
export function resultKind(name: string): ResultType['kind'] {
  const t = name.toLowerCase();
  let best: { at: number; kind: ResultType['kind'] } | null = null;
  for (const [kw, kind] of RESULT_KEYWORDS) {
    const at = t.indexOf(kw);
    if (at >= 0 && at < 40 && (best === null || at < best.at)) best = { at, kind };
  }
  return best?.kind ?? 'document';
}

function mapResults(r: RawRecord): ResultType[] {
  return splitResults(r.result).map((name, i) => ({
    code: `KQ-${r.code}-${i + 1}`,
    name: clip(name, 500),
    kind: resultKind(name),
  }));
}

// ─── Workflow (demo quy trình nội bộ) ───────────────────────────────────────────────────────────────────────

interface ExtraStep {
  name: string;
  unit: string;
  durationDays: number;
}

/** Inter-agency (liên thông) steps added to a few procedures to show the mechanism. Demo configuration. */
const INTER_AGENCY_STEPS: Record<string, ExtraStep[]> = {
  '1.013978': [
    {
      name: 'Văn phòng đăng ký đất đai kiểm tra hồ sơ, trích lục/trích đo bản đồ địa chính, cập nhật hồ sơ địa chính (liên thông)',
      unit: LAND_OFFICE_UNIT,
      durationDays: 8,
    },
    {
      name: 'Cơ quan thuế xác định và thông báo nghĩa vụ tài chính (liên thông)',
      unit: TAX_UNIT,
      durationDays: 3,
    },
  ],
  '1.013831': [
    {
      name: 'Cơ quan thuế xác định và thông báo nghĩa vụ tài chính (liên thông)',
      unit: TAX_UNIT,
      durationDays: 3,
    },
  ],
  '1.001266': [
    {
      name: 'Cơ quan thuế cho ý kiến về việc hoàn thành nghĩa vụ thuế của hộ kinh doanh (liên thông)',
      unit: TAX_UNIT,
      durationDays: 2,
    },
  ],
};

const step = (
  name: string,
  role: WorkflowStep['role'],
  unit: string,
  durationDays: number,
): WorkflowStep => ({
  name,
  role,
  unit,
  durationDays,
});

/** Ordered steps whose durations add up exactly to `total` working days (multiples of 0.5). */
export function buildWorkflow(total: number, extras: ExtraStep[] = []): WorkflowStep[] {
  const reception = (d: number) => step('Tiếp nhận hồ sơ', 'reception', 'reception', d);
  const specialist = (d: number) => step('Thẩm định hồ sơ', 'specialist', 'competent', d);
  const head = (d: number) => step('Phê duyệt', 'head', 'competent', d);
  const signer = (d: number) => step('Ký kết quả', 'signer', 'competent', d);
  const clerk = (d: number) => step('Vào số, đóng dấu, trả kết quả', 'clerk', 'competent', d);
  const extraSteps = extras.map((e) => step(e.name, 'specialist', e.unit, e.durationDays));
  const extraDays = extras.reduce((s, e) => s + e.durationDays, 0);

  let steps: WorkflowStep[];
  if (total === 0) {
    steps = [reception(0), specialist(0)];
  } else if (total === 0.5) {
    steps = [reception(0), specialist(0.5), signer(0), clerk(0)];
  } else if (total <= 1.5) {
    steps = [reception(0), specialist(total - 0.5), signer(0.5), clerk(0)];
  } else if (total < 3) {
    steps = [reception(0.5), specialist(total - 1.5), head(0.5), signer(0.5), clerk(0)];
  } else {
    const headDays = total >= 10 ? 1 : 0.5;
    const rest = total - 0.5 - headDays - 0.5 - 0.5 - extraDays;
    if (rest < 0.5) throw new Error(`workflow: ${total} days leave no time for the specialist`);
    steps = [reception(0.5), specialist(rest), ...extraSteps, head(headDays), signer(0.5), clerk(0.5)];
  }
  if (total < 3 && extras.length > 0)
    throw new Error(`workflow: no room for inter-agency steps in ${total} days`);
  const sum = steps.reduce((s, x) => s + x.durationDays, 0);
  if (sum !== total) throw new Error(`workflow: steps add up to ${sum}, expected ${total}`);
  return steps;
}

// ─── E-forms (demo) ─────────────────────────────────────────────────────────────────────────────────────────

const APPLICANT_SECTION = {
  title: 'Thông tin người nộp',
  fields: [
    {
      name: 'hoTen',
      label: 'Họ, chữ đệm và tên',
      type: 'text',
      required: true,
      maxLength: 100,
      prefill: 'fullName',
    },
    {
      name: 'soDinhDanh',
      label: 'Số định danh cá nhân',
      type: 'personalId',
      required: true,
      prefill: 'personalId',
    },
    {
      name: 'ngaySinh',
      label: 'Ngày, tháng, năm sinh',
      type: 'date',
      required: true,
      prefill: 'dateOfBirth',
    },
    { name: 'diaChi', label: 'Nơi cư trú', type: 'address', required: true, prefill: 'address' },
    { name: 'soDienThoai', label: 'Số điện thoại', type: 'phone', required: true, prefill: 'phone' },
    { name: 'email', label: 'Thư điện tử', type: 'email', required: false, prefill: 'email' },
  ],
} satisfies { title: string; fields: EformField[] };

type F = EformField;
const text = (name: string, label: string, required = true, maxLength = 200): F => ({
  name,
  label,
  type: 'text',
  required,
  maxLength,
});
const area = (name: string, label: string, required = true): F => ({
  name,
  label,
  type: 'textarea',
  required,
  maxLength: 2000,
});
const date = (name: string, label: string, required = true): F => ({ name, label, type: 'date', required });
const num = (name: string, label: string, required = true): F => ({ name, label, type: 'number', required });
const addr = (name: string, label: string, required = true): F => ({
  name,
  label,
  type: 'address',
  required,
});
const pid = (name: string, label: string, required = true): F => ({
  name,
  label,
  type: 'personalId',
  required,
});
const select = (name: string, label: string, options: string[], required = true): F => ({
  name,
  label,
  type: 'select',
  required,
  options,
});
const GENDER = ['Nam', 'Nữ'];
const thua = [text('soThuaDat', 'Thửa đất số', true, 20), text('soToBanDo', 'Tờ bản đồ số', true, 20)];
const maHkd = text('maSoHoKinhDoanh', 'Mã số hộ kinh doanh', true, 20);
const nganhNghe = area('nganhNghe', 'Ngành, nghề kinh doanh (mã ngành cấp 4)');

/** One procedure-specific e-form section per online procedure (demo; field choices follow the real forms). */
const EFORM_SECTIONS: Record<string, { title: string; fields: F[] }> = {
  '1.001193': {
    title: 'Thông tin khai sinh',
    fields: [
      text('hoTenTre', 'Họ, chữ đệm và tên của trẻ', true, 100),
      date('ngaySinhTre', 'Ngày, tháng, năm sinh của trẻ'),
      text('noiSinh', 'Nơi sinh'),
      select('gioiTinh', 'Giới tính', GENDER),
      text('hoTenMe', 'Họ, chữ đệm và tên người mẹ', false, 100),
      text('hoTenCha', 'Họ, chữ đệm và tên người cha', false, 100),
    ],
  },
  '1.000656': {
    title: 'Thông tin người đã chết',
    fields: [
      text('hoTenNguoiChet', 'Họ, chữ đệm và tên người đã chết', true, 100),
      pid('soDinhDanhNguoiChet', 'Số định danh cá nhân của người đã chết', false),
      date('ngayChet', 'Ngày, tháng, năm chết'),
      text('noiChet', 'Nơi chết'),
      text('nguyenNhanChet', 'Nguyên nhân chết', false),
      text('quanHeVoiNguoiChet', 'Quan hệ với người đã chết', true, 50),
    ],
  },
  '1.000894': {
    title: 'Thông tin bên kết hôn còn lại',
    fields: [
      text('hoTenBenKia', 'Họ, chữ đệm và tên bên kết hôn còn lại', true, 100),
      pid('soDinhDanhBenKia', 'Số định danh cá nhân của bên kết hôn còn lại'),
      date('ngaySinhBenKia', 'Ngày, tháng, năm sinh của bên kết hôn còn lại'),
      addr('noiCuTruBenKia', 'Nơi cư trú của bên kết hôn còn lại'),
    ],
  },
  '1.004873': {
    title: 'Nội dung đề nghị xác nhận',
    fields: [
      area('mucDichSuDung', 'Mục đích sử dụng Giấy xác nhận tình trạng hôn nhân'),
      text('tinhTrangHonNhan', 'Tình trạng hôn nhân hiện tại'),
      area('noiCuTruTruocDay', 'Nơi cư trú trước đây (nếu đã cư trú ở nhiều nơi)', false),
      num('soLuongBan', 'Số lượng bản đề nghị cấp'),
    ],
  },
  '1.001022': {
    title: 'Thông tin người được nhận là cha, mẹ, con',
    fields: [
      select('loaiYeuCau', 'Loại yêu cầu', ['Cha nhận con', 'Mẹ nhận con', 'Con nhận cha', 'Con nhận mẹ']),
      text('hoTenNguoiDuocNhan', 'Họ, chữ đệm và tên người được nhận', true, 100),
      date('ngaySinhNguoiDuocNhan', 'Ngày, tháng, năm sinh người được nhận'),
      pid('soDinhDanhNguoiDuocNhan', 'Số định danh cá nhân người được nhận', false),
    ],
  },
  '1.000689': {
    title: 'Thông tin khai sinh và nhận cha, mẹ, con',
    fields: [
      text('hoTenTre', 'Họ, chữ đệm và tên của trẻ', true, 100),
      date('ngaySinhTre', 'Ngày, tháng, năm sinh của trẻ'),
      text('noiSinh', 'Nơi sinh'),
      select('gioiTinh', 'Giới tính', GENDER),
      text('hoTenMe', 'Họ, chữ đệm và tên người mẹ', true, 100),
      text('hoTenCha', 'Họ, chữ đệm và tên người cha', true, 100),
    ],
  },
  '1.004859': {
    title: 'Nội dung thay đổi, cải chính, bổ sung',
    fields: [
      select('loaiYeuCau', 'Loại yêu cầu', [
        'Thay đổi thông tin hộ tịch',
        'Cải chính thông tin hộ tịch',
        'Bổ sung thông tin hộ tịch',
        'Xác định lại dân tộc',
      ]),
      text('giayToHoTich', 'Số, ngày cấp giấy tờ hộ tịch đã đăng ký'),
      area('noiDungHienTai', 'Nội dung hiện tại'),
      area('noiDungDeNghi', 'Nội dung đề nghị thay đổi, cải chính, bổ sung'),
      area('lyDo', 'Lý do'),
    ],
  },
  '2.000635': {
    title: 'Thông tin bản sao đề nghị cấp',
    fields: [
      select('loaiBanSao', 'Loại giấy tờ đề nghị cấp bản sao', [
        'Bản sao Giấy khai sinh',
        'Bản sao Trích lục kết hôn',
        'Bản sao Trích lục khai tử',
        'Bản sao Trích lục hộ tịch khác',
      ]),
      text('hoTenNguoiDuocCap', 'Họ, chữ đệm và tên người có tên trong giấy tờ hộ tịch', true, 100),
      text('soDangKy', 'Số đăng ký, ngày đăng ký (nếu biết)', false),
      text('noiDangKy', 'Nơi đã đăng ký hộ tịch'),
      num('soLuongBan', 'Số lượng bản sao'),
    ],
  },
  '1.004884': {
    title: 'Thông tin đăng ký lại khai sinh',
    fields: [
      text('hoTenNguoiDuocKhaiSinh', 'Họ, chữ đệm và tên người được đăng ký lại khai sinh', true, 100),
      date('ngaySinhNguoiDuocKhaiSinh', 'Ngày, tháng, năm sinh'),
      select('gioiTinh', 'Giới tính', GENDER),
      text('noiDaDangKyKhaiSinh', 'Nơi đã đăng ký khai sinh trước đây'),
    ],
  },
  '1.004837': {
    title: 'Thông tin đăng ký giám hộ',
    fields: [
      select('loaiGiamHo', 'Loại giám hộ', ['Giám hộ đương nhiên', 'Giám hộ cử']),
      text('hoTenNguoiDuocGiamHo', 'Họ, chữ đệm và tên người được giám hộ', true, 100),
      date('ngaySinhNguoiDuocGiamHo', 'Ngày, tháng, năm sinh người được giám hộ'),
      area('lyDo', 'Lý do đăng ký giám hộ'),
    ],
  },
  '2.000528': {
    title: 'Thông tin khai sinh',
    fields: [
      text('hoTenTre', 'Họ, chữ đệm và tên của trẻ', true, 100),
      date('ngaySinhTre', 'Ngày, tháng, năm sinh của trẻ'),
      text('noiSinh', 'Nơi sinh'),
      select('gioiTinh', 'Giới tính', GENDER),
      text('quocTichTre', 'Quốc tịch của trẻ', true, 100),
      text('quocTichChaMe', 'Quốc tịch của cha, mẹ', true, 100),
    ],
  },
  '2.000806': {
    title: 'Thông tin bên kết hôn là người nước ngoài',
    fields: [
      text('hoTenBenKia', 'Họ, chữ đệm và tên bên kết hôn còn lại', true, 100),
      date('ngaySinhBenKia', 'Ngày, tháng, năm sinh'),
      text('quocTichBenKia', 'Quốc tịch', true, 100),
      text('soHoChieuBenKia', 'Số hộ chiếu/giấy tờ có giá trị thay thế hộ chiếu', true, 50),
    ],
  },
  '2.000908': {
    title: 'Thông tin giấy tờ cần cấp bản sao',
    fields: [
      text('tenGiayTo', 'Tên giấy tờ, văn bản cần cấp bản sao'),
      text('soKyHieu', 'Số, ký hiệu, ngày cấp bản chính'),
      text('hoTenNguoiDuocCap', 'Họ, chữ đệm và tên người được cấp bản chính', true, 100),
      num('soLuongBan', 'Số lượng bản sao'),
    ],
  },
  '2.001035': {
    title: 'Thông tin giao dịch cần chứng thực',
    fields: [
      text('loaiGiaoDich', 'Loại hợp đồng, giao dịch (chuyển nhượng, tặng cho, thế chấp…)'),
      select('loaiTaiSan', 'Loại tài sản', ['Động sản', 'Quyền sử dụng đất', 'Nhà ở']),
      area('moTaTaiSan', 'Mô tả tài sản (số Giấy chứng nhận, thửa đất, địa chỉ…)'),
      num('soTrang', 'Số trang của dự thảo giao dịch'),
    ],
  },
  '2.001019': {
    title: 'Thông tin di chúc cần chứng thực',
    fields: [
      area('moTaTaiSan', 'Tài sản định đoạt trong di chúc'),
      area('nguoiThuaKe', 'Họ tên người được hưởng di sản'),
      num('soTrang', 'Số trang của dự thảo di chúc'),
    ],
  },
  '2.001263': {
    title: 'Thông tin trẻ em được nhận làm con nuôi',
    fields: [
      text('hoTenTreEm', 'Họ, chữ đệm và tên trẻ em', true, 100),
      date('ngaySinhTreEm', 'Ngày, tháng, năm sinh'),
      select('gioiTinhTreEm', 'Giới tính', GENDER),
      addr('noiThuongTruTreEm', 'Nơi thường trú của trẻ em'),
      text('hoTenVoChong', 'Họ, chữ đệm và tên vợ/chồng cùng nhận con nuôi (nếu có)', false, 100),
    ],
  },
  '3.000333': {
    title: 'Thông tin yêu cầu cấp Phiếu lý lịch tư pháp',
    fields: [
      select('loaiPhieu', 'Loại Phiếu', ['Phiếu Lý lịch tư pháp số 1', 'Phiếu Lý lịch tư pháp số 2']),
      text('noiSinh', 'Nơi sinh'),
      text('hoTenCha', 'Họ, chữ đệm và tên cha', false, 100),
      text('hoTenMe', 'Họ, chữ đệm và tên mẹ', false, 100),
      area('mucDichSuDung', 'Mục đích sử dụng Phiếu'),
      num('soLuongPhieu', 'Số lượng Phiếu yêu cầu cấp'),
    ],
  },
  '1.004222': {
    title: 'Thông tin đăng ký thường trú',
    fields: [
      addr('diaChiDangKy', 'Địa chỉ đề nghị đăng ký thường trú'),
      text('hoTenChuHo', 'Họ, chữ đệm và tên chủ hộ', true, 100),
      pid('soDinhDanhChuHo', 'Số định danh cá nhân của chủ hộ'),
      text('quanHeVoiChuHo', 'Quan hệ với chủ hộ', true, 50),
      select('loaiChoO', 'Chỗ ở hợp pháp', [
        'Thuộc quyền sở hữu của mình',
        'Về ở với người thân',
        'Thuê, mượn, ở nhờ',
        'Trường hợp khác',
      ]),
    ],
  },
  '1.004194': {
    title: 'Thông tin đăng ký tạm trú',
    fields: [
      addr('diaChiTamTru', 'Địa chỉ đề nghị đăng ký tạm trú'),
      num('thoiHanTamTru', 'Thời hạn tạm trú (tháng)'),
      text('hoTenChuHo', 'Họ, chữ đệm và tên chủ hộ', true, 100),
      text('quanHeVoiChuHo', 'Quan hệ với chủ hộ', true, 50),
    ],
  },
  '1.002211': {
    title: 'Thông tin đề nghị công nhận hòa giải viên',
    fields: [
      text('toHoaGiai', 'Tổ hòa giải (thôn, tổ dân phố)'),
      select('hinhThucBau', 'Hình thức bầu', [
        'Biểu quyết công khai',
        'Bỏ phiếu kín',
        'Phát phiếu lấy ý kiến hộ gia đình',
      ]),
      num('soNguoiDeNghi', 'Số người được đề nghị công nhận'),
    ],
  },
  '1.013225': {
    title: 'Thông tin công trình đề nghị cấp phép',
    fields: [
      select('loaiCongTrinh', 'Loại công trình', [
        'Nhà ở riêng lẻ',
        'Công trình không theo tuyến',
        'Công trình theo tuyến trong đô thị',
        'Công trình tín ngưỡng, tôn giáo',
        'Tượng đài, tranh hoành tráng',
      ]),
      addr('diaDiemXayDung', 'Địa điểm xây dựng'),
      text('thuaDatToBanDo', 'Lô đất, thửa đất số, tờ bản đồ số', true, 100),
      num('dienTichXayDung', 'Diện tích xây dựng tầng 1 (m²)'),
      num('tongDienTichSan', 'Tổng diện tích sàn (m²)'),
      num('soTang', 'Số tầng'),
    ],
  },
  '1.013227': {
    title: 'Thông tin giấy phép đề nghị gia hạn',
    fields: [
      text('soGiayPhep', 'Số giấy phép xây dựng đã được cấp', true, 50),
      date('ngayCapGiayPhep', 'Ngày cấp giấy phép'),
      area('lyDoGiaHan', 'Lý do đề nghị gia hạn'),
    ],
  },
  '1.013228': {
    title: 'Thông tin giấy phép đề nghị cấp lại',
    fields: [
      text('soGiayPhep', 'Số giấy phép xây dựng đã được cấp', true, 50),
      date('ngayCapGiayPhep', 'Ngày cấp giấy phép'),
      select('lyDoCapLai', 'Lý do đề nghị cấp lại', ['Bị rách, nát', 'Bị mất']),
    ],
  },
  '1.013236': {
    title: 'Thông tin công trình đề nghị cấp phép',
    fields: [
      text('tenCongTrinh', 'Tên công trình'),
      select('capCongTrinh', 'Cấp công trình', ['Cấp đặc biệt', 'Cấp I', 'Cấp II']),
      addr('diaDiemXayDung', 'Địa điểm xây dựng'),
      num('tongDienTichSan', 'Tổng diện tích sàn (m²)'),
      num('chieuCaoCongTrinh', 'Chiều cao công trình (m)'),
    ],
  },
  '1.013237': {
    title: 'Thông tin đề nghị cấp chứng chỉ hành nghề',
    fields: [
      select('linhVucHanhNghe', 'Lĩnh vực hành nghề', [
        'Khảo sát xây dựng',
        'Thiết kế quy hoạch xây dựng',
        'Thiết kế xây dựng',
        'Giám sát thi công xây dựng',
        'Định giá xây dựng',
        'Quản lý dự án đầu tư xây dựng',
      ]),
      select('hangChungChi', 'Hạng chứng chỉ', ['Hạng I', 'Hạng II', 'Hạng III']),
      text('trinhDoChuyenMon', 'Trình độ chuyên môn (văn bằng, chuyên ngành)'),
      num('soNamKinhNghiem', 'Số năm kinh nghiệm'),
    ],
  },
  '1.013978': {
    title: 'Thông tin thửa đất',
    fields: [
      ...thua,
      addr('diaChiThuaDat', 'Địa chỉ thửa đất'),
      num('dienTich', 'Diện tích (m²)'),
      text('mucDichSuDung', 'Mục đích sử dụng đất'),
      text('nguonGocSuDung', 'Nguồn gốc sử dụng đất'),
    ],
  },
  '1.012783': {
    title: 'Thông tin Giấy chứng nhận đề nghị cấp đổi',
    fields: [
      text('soPhatHanhGcn', 'Số phát hành (số seri) Giấy chứng nhận đã cấp', true, 50),
      text('soVaoSo', 'Số vào sổ cấp Giấy chứng nhận', true, 50),
      ...thua,
      area('lyDoCapDoi', 'Lý do đề nghị cấp đổi'),
    ],
  },
  '1.012786': {
    title: 'Thông tin Giấy chứng nhận bị mất',
    fields: [
      text('soPhatHanhGcn', 'Số phát hành (số seri) Giấy chứng nhận đã cấp', false, 50),
      ...thua,
      addr('diaChiThuaDat', 'Địa chỉ thửa đất'),
      area('lyDoMat', 'Lý do mất Giấy chứng nhận'),
    ],
  },
  '1.012784': {
    title: 'Thông tin tách thửa, hợp thửa',
    fields: [
      select('loaiDeNghi', 'Nội dung đề nghị', ['Tách thửa đất', 'Hợp thửa đất']),
      ...thua,
      addr('diaChiThuaDat', 'Địa chỉ thửa đất'),
      num('soThuaSauTachHop', 'Số thửa đất sau khi tách, hợp'),
    ],
  },
  '1.013831': {
    title: 'Thông tin đăng ký biến động',
    fields: [
      select('loaiBienDong', 'Hình thức biến động', [
        'Chuyển đổi',
        'Chuyển nhượng',
        'Thừa kế',
        'Tặng cho',
        'Góp vốn',
        'Cho thuê, cho thuê lại',
      ]),
      text('soPhatHanhGcn', 'Số phát hành (số seri) Giấy chứng nhận đã cấp', true, 50),
      ...thua,
      text('hoTenBenNhan', 'Họ, chữ đệm và tên bên nhận quyền', true, 100),
      pid('soDinhDanhBenNhan', 'Số định danh cá nhân bên nhận quyền'),
    ],
  },
  '1.001612': {
    title: 'Thông tin hộ kinh doanh',
    fields: [
      text('tenHoKinhDoanh', 'Tên hộ kinh doanh'),
      addr('diaChiTruSo', 'Địa chỉ trụ sở hộ kinh doanh'),
      nganhNghe,
      num('vonKinhDoanh', 'Vốn kinh doanh (đồng)'),
      num('soLaoDong', 'Số lượng lao động', false),
    ],
  },
  '2.000720': {
    title: 'Nội dung đăng ký thay đổi',
    fields: [
      maHkd,
      select('noiDungThayDoi', 'Nội dung thay đổi', [
        'Tên hộ kinh doanh',
        'Địa chỉ trụ sở',
        'Chủ hộ kinh doanh',
        'Thành viên hộ gia đình',
        'Vốn kinh doanh',
        'Ngành, nghề kinh doanh',
        'Nội dung đăng ký thuế',
      ]),
      area('noiDungSauThayDoi', 'Nội dung sau khi thay đổi'),
    ],
  },
  '1.001570': {
    title: 'Nội dung đăng ký tạm ngừng/tiếp tục kinh doanh',
    fields: [
      maHkd,
      select('loaiDangKy', 'Loại đăng ký', [
        'Tạm ngừng kinh doanh',
        'Tiếp tục kinh doanh trước thời hạn đã thông báo',
      ]),
      date('tuNgay', 'Từ ngày'),
      date('denNgay', 'Đến ngày', false),
      area('lyDo', 'Lý do', false),
    ],
  },
  '1.001266': {
    title: 'Nội dung thông báo chấm dứt hoạt động',
    fields: [
      maHkd,
      text('tenHoKinhDoanh', 'Tên hộ kinh doanh'),
      date('ngayChamDut', 'Ngày chấm dứt hoạt động'),
      area('lyDo', 'Lý do chấm dứt', false),
    ],
  },
  '2.000575': {
    title: 'Nội dung đề nghị cấp lại/cấp đổi',
    fields: [
      maHkd,
      select('loaiDeNghi', 'Nội dung đề nghị', [
        'Cấp lại Giấy chứng nhận',
        'Cấp đổi sang Giấy chứng nhận đăng ký hộ kinh doanh',
      ]),
      area('lyDo', 'Lý do (mất, cháy, rách, nát…)'),
    ],
  },
  '2.001583': {
    title: 'Thông tin doanh nghiệp',
    fields: [
      text('tenDoanhNghiep', 'Tên công ty viết bằng tiếng Việt'),
      text('tenVietTat', 'Tên công ty viết tắt', false),
      addr('diaChiTruSo', 'Địa chỉ trụ sở chính'),
      nganhNghe,
      num('vonDieuLe', 'Vốn điều lệ (đồng)'),
      text('nguoiDaiDien', 'Người đại diện theo pháp luật', true, 100),
    ],
  },
  '2.001610': {
    title: 'Thông tin doanh nghiệp',
    fields: [
      text('tenDoanhNghiep', 'Tên doanh nghiệp viết bằng tiếng Việt'),
      addr('diaChiTruSo', 'Địa chỉ trụ sở chính'),
      nganhNghe,
      num('vonDauTu', 'Vốn đầu tư của chủ doanh nghiệp tư nhân (đồng)'),
    ],
  },
  '2.002043': {
    title: 'Thông tin doanh nghiệp',
    fields: [
      text('tenDoanhNghiep', 'Tên công ty viết bằng tiếng Việt'),
      addr('diaChiTruSo', 'Địa chỉ trụ sở chính'),
      nganhNghe,
      num('vonDieuLe', 'Vốn điều lệ (đồng)'),
      num('tongSoCoPhan', 'Tổng số cổ phần'),
      num('menhGiaCoPhan', 'Mệnh giá cổ phần (đồng)'),
    ],
  },
  '1.001776': {
    title: 'Thông tin đối tượng',
    fields: [
      select('loaiDeNghi', 'Nội dung đề nghị', [
        'Thực hiện trợ cấp',
        'Điều chỉnh trợ cấp',
        'Thôi hưởng trợ cấp',
      ]),
      text('hoTenDoiTuong', 'Họ, chữ đệm và tên đối tượng', true, 100),
      pid('soDinhDanhDoiTuong', 'Số định danh cá nhân của đối tượng'),
      select('nhomDoiTuong', 'Nhóm đối tượng', [
        'Trẻ em có hoàn cảnh đặc biệt',
        'Người cao tuổi',
        'Người khuyết tật',
        'Người đơn thân nghèo đang nuôi con',
        'Người nhiễm HIV/AIDS thuộc hộ nghèo',
        'Đối tượng khác',
      ]),
    ],
  },
  '1.001731': {
    title: 'Thông tin đề nghị hỗ trợ chi phí mai táng',
    fields: [
      text('hoTenNguoiChet', 'Họ, chữ đệm và tên đối tượng đã chết', true, 100),
      date('ngayChet', 'Ngày, tháng, năm chết'),
      text('quanHeVoiNguoiChet', 'Quan hệ với người đã chết', true, 50),
      text('soTaiKhoan', 'Số tài khoản, ngân hàng nhận tiền hỗ trợ', false),
    ],
  },
  '1.001699': {
    title: 'Thông tin người khuyết tật',
    fields: [
      select('loaiDeNghi', 'Nội dung đề nghị', [
        'Xác định mức độ khuyết tật',
        'Xác định lại mức độ khuyết tật',
        'Cấp đổi, cấp lại Giấy xác nhận khuyết tật',
      ]),
      text('hoTenNguoiKhuyetTat', 'Họ, chữ đệm và tên người khuyết tật', true, 100),
      pid('soDinhDanhNguoiKhuyetTat', 'Số định danh cá nhân của người khuyết tật'),
      select('dangKhuyetTat', 'Dạng khuyết tật', [
        'Khuyết tật vận động',
        'Khuyết tật nghe, nói',
        'Khuyết tật nhìn',
        'Khuyết tật thần kinh, tâm thần',
        'Khuyết tật trí tuệ',
        'Khuyết tật khác',
      ]),
    ],
  },
  '1.014027': {
    title: 'Thông tin đề nghị trợ cấp hưu trí xã hội',
    fields: [
      select('loaiDeNghi', 'Nội dung đề nghị', ['Hưởng trợ cấp', 'Điều chỉnh trợ cấp', 'Thôi hưởng trợ cấp']),
      select('hinhThucNhan', 'Hình thức nhận trợ cấp', ['Nhận trực tiếp', 'Qua tài khoản ngân hàng']),
      text('soTaiKhoan', 'Số tài khoản, ngân hàng (nếu nhận qua tài khoản)', false),
    ],
  },
  '1.010803': {
    title: 'Thông tin liệt sĩ',
    fields: [
      text('hoTenLietSi', 'Họ, chữ đệm và tên liệt sĩ', true, 100),
      text('soBangToQuoc', 'Số Bằng "Tổ quốc ghi công"', true, 50),
      text('quanHeVoiLietSi', 'Quan hệ với liệt sĩ', true, 50),
    ],
  },
  '1.014748': {
    title: 'Thông tin đề nghị hưởng trợ cấp thất nghiệp',
    fields: [
      text('maSoBhxh', 'Mã số bảo hiểm xã hội', true, 20),
      text('donViLamViecCu', 'Tên đơn vị đã làm việc trước khi chấm dứt hợp đồng'),
      date('ngayChamDutHopDong', 'Ngày chấm dứt hợp đồng lao động'),
      num('soThangDongBhtn', 'Số tháng đã đóng bảo hiểm thất nghiệp'),
      select('hinhThucNhan', 'Hình thức nhận trợ cấp', ['Nhận trực tiếp', 'Qua tài khoản ngân hàng']),
    ],
  },
  '3.000182': {
    title: 'Thông tin học sinh đăng ký tuyển sinh',
    fields: [
      text('hoTenHocSinh', 'Họ, chữ đệm và tên học sinh', true, 100),
      date('ngaySinhHocSinh', 'Ngày, tháng, năm sinh'),
      select('gioiTinh', 'Giới tính', GENDER),
      text('truongTieuHoc', 'Trường tiểu học đã hoàn thành chương trình'),
      text('truongDangKy', 'Trường trung học cơ sở đăng ký'),
    ],
  },
  '3.000181': {
    title: 'Thông tin học sinh đăng ký tuyển sinh',
    fields: [
      text('hoTenHocSinh', 'Họ, chữ đệm và tên học sinh', true, 100),
      date('ngaySinhHocSinh', 'Ngày, tháng, năm sinh'),
      text('truongThcs', 'Trường trung học cơ sở đã học lớp 9'),
      text('nguyenVong1', 'Nguyện vọng 1'),
      text('nguyenVong2', 'Nguyện vọng 2', false),
    ],
  },
  '1.005142': {
    title: 'Thông tin đăng ký dự thi',
    fields: [
      select('doiTuongDuThi', 'Đối tượng dự thi', ['Học sinh lớp 12', 'Thí sinh tự do']),
      text('truongThpt', 'Trường trung học phổ thông (nơi học lớp 12)'),
      text('monTuChon1', 'Môn thi lựa chọn thứ nhất', true, 50),
      text('monTuChon2', 'Môn thi lựa chọn thứ hai', true, 50),
      text('diemDangKyDuThi', 'Điểm đăng ký dự thi'),
    ],
  },
  '2.002891': {
    title: 'Thông tin trường mầm non đề nghị thành lập',
    fields: [
      text('tenTruong', 'Tên trường (nhà trẻ, trường mẫu giáo, trường mầm non)'),
      select('loaiHinh', 'Loại hình', ['Công lập', 'Dân lập', 'Tư thục']),
      addr('diaDiem', 'Địa điểm đặt trụ sở'),
      num('quyMoDuKien', 'Quy mô dự kiến (số trẻ)'),
    ],
  },
  '1.012278': {
    title: 'Thông tin cơ sở khám bệnh, chữa bệnh',
    fields: [
      text('tenCoSo', 'Tên cơ sở khám bệnh, chữa bệnh'),
      select('hinhThucToChuc', 'Hình thức tổ chức', [
        'Bệnh viện',
        'Phòng khám đa khoa',
        'Phòng khám chuyên khoa',
        'Phòng khám y học cổ truyền',
        'Cơ sở dịch vụ cận lâm sàng',
        'Hình thức khác',
      ]),
      addr('diaChiCoSo', 'Địa chỉ cơ sở'),
      text('nguoiChiuTrachNhiem', 'Người chịu trách nhiệm chuyên môn kỹ thuật', true, 100),
      text('soGiayPhepHanhNghe', 'Số giấy phép hành nghề của người chịu trách nhiệm chuyên môn', true, 50),
    ],
  },
  '1.014092': {
    title: 'Thông tin đề nghị cấp Chứng chỉ hành nghề dược',
    fields: [
      text('vanBangChuyenMon', 'Văn bằng chuyên môn'),
      area('phamViHanhNghe', 'Phạm vi hoạt động chuyên môn đề nghị'),
      text('coSoThucHanh', 'Cơ sở đã thực hành chuyên môn'),
    ],
  },
  '2.000648': {
    title: 'Thông tin cửa hàng bán lẻ xăng dầu',
    fields: [
      text('tenCuaHang', 'Tên cửa hàng bán lẻ xăng dầu'),
      addr('diaChiCuaHang', 'Địa chỉ cửa hàng'),
      text('thuongNhanCungCap', 'Thương nhân cung cấp xăng dầu cho cửa hàng'),
      num('soCotBom', 'Số cột bơm'),
    ],
  },
  '1.013416': {
    title: 'Thông tin đề nghị cấp giấy phép bán lẻ điện',
    fields: [
      text('tenToChuc', 'Tên tổ chức, cá nhân đề nghị cấp phép'),
      addr('diaChiTruSo', 'Địa chỉ trụ sở'),
      area('phamViHoatDong', 'Phạm vi hoạt động bán lẻ điện'),
    ],
  },
  '1.000703': {
    title: 'Thông tin đơn vị kinh doanh vận tải',
    fields: [
      text('tenDonVi', 'Tên đơn vị kinh doanh vận tải'),
      addr('diaChiTruSo', 'Địa chỉ trụ sở'),
      select('loaiHinhKinhDoanh', 'Loại hình kinh doanh', [
        'Vận tải hành khách theo tuyến cố định',
        'Vận tải hành khách bằng xe buýt',
        'Vận tải hành khách bằng xe taxi',
        'Vận tải hành khách theo hợp đồng',
        'Vận tải hàng hóa',
      ]),
      num('soPhuongTien', 'Số phương tiện'),
    ],
  },
  '3.000348': {
    title: 'Thông tin giấy phép lái xe',
    fields: [
      text('soGiayPhepLaiXe', 'Số giấy phép lái xe', true, 20),
      select('hangGiayPhep', 'Hạng giấy phép lái xe', [
        'A1',
        'A',
        'B1',
        'B',
        'C1',
        'C',
        'D1',
        'D2',
        'D',
        'BE',
        'C1E',
        'CE',
        'D1E',
        'D2E',
        'DE',
      ]),
      select('lyDo', 'Lý do đề nghị cấp lại', ['Bị mất', 'Hết thời hạn sử dụng', 'Bị hỏng']),
      date('ngayHetHan', 'Ngày hết hạn (nếu có)', false),
    ],
  },
};

// ─── One record → one procedure ─────────────────────────────────────────────────────────────────────────────

export function mapRecord(r: RawRecord): ProcedureDefinitionInput {
  const level = r.level === 'tinh' ? 'province' : r.level === 'xa' ? 'commune' : null;
  if (!level) throw new Error(`${r.code}: unknown level "${r.level}"`);

  const note = r.processingNote && r.processingNote.length > 0 ? r.processingNote.join('\n') : null;
  const channels = mapChannels(Object.keys(r.processingTimeBySubmissionChannel), r.code);
  const override = TIME_OVERRIDES[r.code];
  const processingDays: Partial<Record<Channel, number>> = {};
  for (const ch of channels) {
    const [label, raw] = Object.entries(r.processingTimeBySubmissionChannel).find(
      ([l]) => CHANNEL_BY_LABEL[l] === ch,
    )!;
    const days = override ? override.days : parseTimeLimit(raw, note);
    if (days === null) throw new Error(`${r.code}: no time limit for ${label} ("${raw}") and no override`);
    processingDays[ch] = days;
  }
  const workflowTotal = processingDays.counter ?? processingDays[channels[0]!]!;

  let competentUnits: string[] = [];
  if (level === 'province') {
    const unit = PROVINCE_UNIT_BY_FIELD[r.field];
    if (!unit) throw new Error(`${r.code}: no province unit for field "${r.field}"`);
    competentUnits = [unit];
  }

  const online = channels.includes('online');
  const onlineLevel: OnlineLevel = !online ? 'KHONG' : FULLY_ONLINE.has(r.code) ? 'TOAN_TRINH' : 'MOT_PHAN';
  let eform: ProcedureDefinitionInput['eform'] = null;
  if (online) {
    const section = EFORM_SECTIONS[r.code];
    if (!section) throw new Error(`${r.code}: online procedure without an e-form section`);
    eform = { sections: [APPLICANT_SECTION, section] };
  }

  return {
    code: r.code,
    name: r.name,
    field: r.field,
    level,
    competentUnits,
    onlineLevel,
    channels,
    processingDays,
    processingNote: note === null ? null : clip(note, 2000),
    fees: [...mapFees(r), ...(ILLUSTRATIVE_FEES[r.code] ?? [])],
    components: mapComponents(r),
    results: mapResults(r),
    legalBases: r.legalBases.map((b) => clip(b.trim(), 1000)),
    workflow: buildWorkflow(workflowTotal, INTER_AGENCY_STEPS[r.code]),
    eform,
    supplementPolicy: RESTART_FIELDS.has(r.field) ? 'restart' : 'resume',
    effectiveFrom: EFFECTIVE_FROM,
    effectiveTo: null,
    source: r.source,
  };
}

export function buildCatalogue(records: unknown[]): {
  procedures: ProcedureDefinitionInput[];
  dropped: { code: string; reason: string }[];
} {
  const procedures: ProcedureDefinitionInput[] = [];
  const dropped: { code: string; reason: string }[] = [];
  const seen = new Set<string>();
  for (const rec of records) {
    if (!isRawRecord(rec)) {
      dropped.push({
        code: String((rec as { code?: unknown })?.code ?? '?'),
        reason: 'record shape not recognised',
      });
      continue;
    }
    if (seen.has(rec.code)) {
      dropped.push({ code: rec.code, reason: 'duplicate code' });
      continue;
    }
    try {
      const p = deepNfc(mapRecord(rec));
      ProcedureDefinition.parse(p);
      procedures.push(p);
      seen.add(rec.code);
    } catch (e) {
      dropped.push({ code: rec.code, reason: e instanceof Error ? e.message : String(e) });
    }
  }
  return { procedures, dropped };
}

// ─── CLI ────────────────────────────────────────────────────────────────────────────────────────────────────

function main(): void {
  const input = process.argv[2];
  if (!input) {
    console.error('usage: npx tsx packages/db/seed/build-catalogue.ts <procedures.sample.json>');
    process.exit(2);
  }
  const records: unknown = JSON.parse(readFileSync(input, 'utf8'));
  if (!Array.isArray(records)) throw new Error('input must be a JSON array of procedure records');
  const { procedures, dropped } = buildCatalogue(records);
  const out = fileURLToPath(new URL('./catalogue.json', import.meta.url));
  writeFileSync(out, `${JSON.stringify({ procedures }, null, 2)}\n`, 'utf8');

  const count = <K extends string>(keyOf: (p: ProcedureDefinitionInput) => K) =>
    procedures.reduce<Record<string, number>>((acc, p) => {
      const k = keyOf(p);
      acc[k] = (acc[k] ?? 0) + 1;
      return acc;
    }, {});
  console.log(`wrote ${out}`);
  console.log(
    `procedures: ${procedures.length} of ${records.length}; fields: ${Object.keys(count((p) => p.field)).length}`,
  );
  console.log(
    'levels:',
    count((p) => p.level),
  );
  console.log(
    'online levels:',
    count((p) => p.onlineLevel),
  );
  for (const d of dropped) console.log(`dropped ${d.code}: ${d.reason}`);
  if (dropped.length > 0) process.exitCode = 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) main();
