/**
 * Decision 766/QĐ-TTg sub-indicators as versioned, configurable records (data, not code) — domain.md §5.
 * The default set reproduces the Thanh Hóa reading of the annex; only 84 of the 100 points are known
 * (CKMB 12/18, MDSH 12/22), so a unit's known maximum is 84 while the official maximum stays 100.
 *
 * Threshold rule — domain.md says "full marks if ≥ 80 %, else 80 %". Our reading: at or above the target
 * share the item earns full points; below it, the share is scored against the target, i.e.
 * points = max × min(1, share ÷ threshold) (`belowThreshold: 'scaled'`, the default). The other possible
 * reading, points = max × share below the target, is available as `belowThreshold: 'raw'`.
 *
 * Zero denominator — there was nothing to measure (no dossier received, no fee-charging dossier, no
 * rating…), so nothing can have gone wrong: full points by default (`whenEmpty: 'full'`), so that a small
 * commune is not penalised for a procedure nobody used. Set `whenEmpty: 'zero'` on a record to change it.
 */
import type { CatalogueKey, CountKey } from './counts.js';

export type GroupCode = 'CKMB' | 'TDGQ' | 'CLGQ' | 'TTTT' | 'MDHL' | 'MDSH';

/** Official group maxima (domain.md §5), summing to 100. */
export const GROUP_MAX: Readonly<Record<GroupCode, number>> = {
  CKMB: 18,
  TDGQ: 20,
  CLGQ: 12,
  TTTT: 10,
  MDHL: 18,
  MDSH: 22,
};

export const GROUP_LABELS: Readonly<Record<GroupCode, string>> = {
  CKMB: 'Công khai, minh bạch',
  TDGQ: 'Tiến độ giải quyết',
  CLGQ: 'Dịch vụ công trực tuyến',
  TTTT: 'Thanh toán trực tuyến',
  MDHL: 'Mức độ hài lòng',
  MDSH: 'Số hóa hồ sơ',
};

export const GROUP_ORDER: readonly GroupCode[] = ['CKMB', 'TDGQ', 'CLGQ', 'TTTT', 'MDHL', 'MDSH'];

/**
 * A numerator or denominator: one count, the sum of several counts (dossier counts or catalogue counts),
 * or a configured constant (for items we cannot measure, e.g. publication of procedures).
 */
export type Operand = CountKey | CatalogueKey | readonly (CountKey | CatalogueKey)[] | { constant: number };

export interface IndicatorFormula {
  /** Stable id, e.g. 'TDGQ.timely'. Versions of one indicator share the id. */
  id: string;
  group: GroupCode;
  version: number;
  /** First day (YYYY-MM-DD, inclusive) this version applies to. */
  validFrom: string;
  label: string;
  numerator: Operand;
  denominator: Operand;
  maxPoints: number;
  /** Full points at or above this share (0–1]; see the threshold rule above. */
  threshold?: number;
  belowThreshold?: 'scaled' | 'raw';
  whenEmpty?: 'full' | 'zero';
  source: string;
}

const SOURCE = 'domain.md §5 (Thanh Hóa reading of the annex) [M]';
const V1 = { version: 1, validFrom: '2022-06-23', source: SOURCE } as const;

/** The default set: Decision 766 of 23/06/2022 as read by Thanh Hóa. */
export const DEFAULT_FORMULAS: readonly IndicatorFormula[] = [
  {
    ...V1,
    id: 'CKMB.publication',
    group: 'CKMB',
    label: 'Công khai thủ tục hành chính (hằng số cấu hình)',
    numerator: { constant: 1 },
    denominator: { constant: 1 },
    maxPoints: 6,
  },
  {
    ...V1,
    id: 'CKMB.synced',
    group: 'CKMB',
    label: 'Tỷ lệ hồ sơ đồng bộ lên Cổng Dịch vụ công quốc gia',
    numerator: 'syncedToNational',
    denominator: 'received',
    maxPoints: 6,
  },
  {
    ...V1,
    id: 'TDGQ.timely',
    group: 'TDGQ',
    label:
      'Hồ sơ đang giải quyết trong hạn và đã giải quyết trước hạn, đúng hạn trên tổng số hồ sơ tiếp nhận',
    numerator: ['inProgressWithinDeadline', 'early', 'onTime'],
    denominator: 'received',
    maxPoints: 20,
  },
  {
    ...V1,
    id: 'CLGQ.proceduresOnline',
    group: 'CLGQ',
    label: 'Tỷ lệ thủ tục hành chính cung cấp dịch vụ công trực tuyến (đạt tối đa khi ≥ 80%)',
    numerator: 'proceduresOnline',
    denominator: 'procedures',
    maxPoints: 2,
    threshold: 0.8,
  },
  {
    ...V1,
    id: 'CLGQ.servicesUsed',
    group: 'CLGQ',
    label: 'Tỷ lệ dịch vụ công trực tuyến có phát sinh hồ sơ',
    numerator: 'onlineServicesWithDossier',
    denominator: 'onlineServices',
    maxPoints: 4,
  },
  {
    ...V1,
    id: 'CLGQ.onlineDossiers',
    group: 'CLGQ',
    label: 'Tỷ lệ hồ sơ trực tuyến trên tổng số hồ sơ (đạt tối đa khi ≥ 50%)',
    numerator: 'online',
    denominator: 'received',
    maxPoints: 6,
    threshold: 0.5,
  },
  {
    ...V1,
    id: 'TTTT.proceduresPaidOnline',
    group: 'TTTT',
    label:
      'Tỷ lệ thủ tục có phát sinh thanh toán trực tuyến trên thủ tục có thu phí, lệ phí (tối đa khi ≥ 50%)',
    numerator: 'proceduresWithOnlinePayment',
    denominator: 'feeChargingProcedures',
    maxPoints: 2,
    threshold: 0.5,
  },
  {
    ...V1,
    id: 'TTTT.payableOnNational',
    group: 'TTTT',
    label: 'Thủ tục thanh toán được trên Cổng Dịch vụ công quốc gia (hằng số cấu hình)',
    numerator: { constant: 1 },
    denominator: { constant: 1 },
    maxPoints: 2,
  },
  {
    ...V1,
    id: 'TTTT.dossiersPaidOnline',
    group: 'TTTT',
    label: 'Tỷ lệ hồ sơ thanh toán trực tuyến trên hồ sơ có thu phí, lệ phí (đạt tối đa khi ≥ 30%)',
    numerator: 'paidOnline',
    denominator: 'feeCharging',
    maxPoints: 6,
    threshold: 0.3,
  },
  {
    ...V1,
    id: 'MDHL.satisfaction',
    group: 'MDHL',
    label:
      'Tỷ lệ đánh giá Rất hài lòng và Hài lòng trên tổng số đánh giá (cách hiểu của hệ thống, chưa đối chiếu văn bản)',
    numerator: ['verySatisfied', 'satisfied'],
    denominator: 'rated',
    maxPoints: 18,
  },
  {
    ...V1,
    id: 'MDSH.electronicResult',
    group: 'MDSH',
    label: 'Tỷ lệ hồ sơ cấp kết quả điện tử',
    numerator: 'electronicResult',
    denominator: 'received',
    maxPoints: 6,
  },
  {
    ...V1,
    id: 'MDSH.digitized',
    group: 'MDSH',
    label: 'Tỷ lệ hồ sơ có số hóa thành phần hồ sơ hoặc kết quả (đạt tối đa khi ≥ 80%)',
    numerator: 'digitized',
    denominator: 'received',
    maxPoints: 4,
    threshold: 0.8,
  },
  {
    ...V1,
    id: 'MDSH.reused',
    group: 'MDSH',
    label: 'Tỷ lệ hồ sơ tái sử dụng dữ liệu số hóa (đạt tối đa khi ≥ 80%)',
    numerator: 'reusedData',
    denominator: 'received',
    maxPoints: 2,
    threshold: 0.8,
  },
];

/**
 * The formulas in force on `date` (YYYY-MM-DD): for each id, of the versions whose `validFrom` is on or before
 * `date`, the one that took effect last (the higher version on the same date). Order follows the first appearance of each id in `set`.
 */
export function formulasAt(
  date: string,
  set: readonly IndicatorFormula[] = DEFAULT_FORMULAS,
): IndicatorFormula[] {
  const best = new Map<string, IndicatorFormula>();
  for (const f of set) {
    if (f.validFrom > date) continue;
    const cur = best.get(f.id);
    // The version that took effect last (a correction dated earlier never overrides a change dated later);
    // on the same date, the higher version.
    if (
      cur === undefined ||
      f.validFrom > cur.validFrom ||
      (f.validFrom === cur.validFrom && f.version > cur.version)
    )
      best.set(f.id, f);
  }
  const order = [...new Set(set.map((f) => f.id))];
  return order.flatMap((id) => {
    const f = best.get(id);
    return f === undefined ? [] : [f];
  });
}
