/**
 * What the XLSX and PDF exports of the indicator dashboard have in common: the report's title, the period and share
 * as written in Vietnamese, and the dashboard's figures as labelled rows.
 */
import type { Period } from '@tinhso/domain';
import type { IndicatorService } from '../../services/indicators.js';

export type Summary = Awaited<ReturnType<IndicatorService['summary']>>;

export const REPORT_TITLE = 'BÁO CÁO CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP';

/** 2026-01-05 → 05/01/2026 (a calendar date, no time zone involved). */
const dmy = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
export const periodText = (p: Period) => `${dmy(p.from)} – ${dmy(p.to)}`;
/** 0.956 → "95,6 %"; null → "—". */
export const pctText = (x: number | null) =>
  x === null ? '—' : `${(x * 100).toFixed(1).replace('.', ',')} %`;

interface Kpi {
  label: string;
  count: number | null;
  share?: number | null;
  how?: string;
}

/** The dashboard's figures as labelled rows (counts and shares). */
export function kpis(s: Summary): Kpi[] {
  const c = s.counts;
  return [
    { label: 'Hồ sơ tiếp nhận trong kỳ', count: c.received },
    { label: 'Tiếp nhận trực tuyến', count: c.online, share: s.shares.online, how: 'trực tuyến ÷ tiếp nhận' },
    { label: 'Tiếp nhận trực tiếp', count: c.counter },
    { label: 'Tiếp nhận qua bưu chính', count: c.post },
    { label: 'Đã giải quyết', count: c.resolved },
    { label: 'Giải quyết trước hạn', count: c.early },
    { label: 'Giải quyết đúng hạn', count: c.onTime },
    { label: 'Giải quyết quá hạn', count: c.late },
    {
      label: 'Giải quyết trước hạn và đúng hạn',
      count: c.early + c.onTime,
      share: s.shares.onTime,
      how: '(trước hạn + đúng hạn) ÷ đã giải quyết',
    },
    { label: 'Đang giải quyết, còn trong hạn', count: c.inProgressWithinDeadline },
    { label: 'Đang giải quyết, đã quá hạn', count: c.inProgressOverdue },
    { label: 'Dừng giải quyết, rút hồ sơ', count: c.cancelled },
    { label: 'Hồ sơ có số hóa', count: c.digitized, share: s.shares.digitized, how: 'số hóa ÷ tiếp nhận' },
    {
      label: 'Hồ sơ tái sử dụng dữ liệu số',
      count: c.reusedData,
      share: s.shares.reused,
      how: 'tái sử dụng ÷ tiếp nhận',
    },
    {
      label: 'Hồ sơ có kết quả điện tử',
      count: c.electronicResult,
      share: s.shares.electronicResult,
      how: 'kết quả điện tử ÷ tiếp nhận',
    },
    { label: 'Hồ sơ có thu phí, lệ phí', count: c.feeCharging },
    {
      label: 'Thanh toán trực tuyến',
      count: c.paidOnline,
      share: s.shares.paidOnline,
      how: 'thanh toán trực tuyến ÷ có thu phí, lệ phí',
    },
    { label: 'Lượt đánh giá', count: c.rated },
    { label: 'Rất hài lòng', count: c.verySatisfied },
    { label: 'Hài lòng', count: c.satisfied },
    { label: 'Không hài lòng', count: c.unsatisfied },
    {
      label: 'Hài lòng (rất hài lòng + hài lòng)',
      count: c.verySatisfied + c.satisfied,
      share: s.shares.satisfied,
      how: '(rất hài lòng + hài lòng) ÷ lượt đánh giá',
    },
  ];
}
