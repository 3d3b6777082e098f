import { type CalendarDay, type CalendarDayKind, holidaysForYear } from './holidays.js';

/*
 * Official days off of civil servants (Monday–Friday offices), 2024–2026, transcribed from
 * shared/data/holidays.json (collected 2026-11-22; confidence M = news pages quoting the VPCP letters and the
 * MOLISA/MOHA notices, H = chinhphu.vn). Kinds: holiday (Labour Code 2019 Art. 112), compensatory
 * (Art. 111(3)), swapped (weekday off, worked back on a Saturday), makeup_workday (that Saturday). Saturdays and
 * Sundays inside a break (`weekend` in the JSON) are left out: they are rest days anyway. Names are kept as
 * published; the make-up Saturdays have none in the JSON, so theirs say which day they replace.
 *
 * Sources
 * 2024:
 * - Tết 8–14/2 (5 days + 2 compensatory), National Day 31/8–3/9, MOLISA notice:
 *   https://sucsongtre.vn/doi-song/can-bo-cong-chuc-vien-chuc-nguoi-lao-dong-nghi-tet-nguyen-dan-giap-thin-7-ngay.html
 * - National Day 2/9 and 3/9: http://m.btv.org.vn/tin-tuc/le-quoc-khanh-29-nguoi-lao-dong-duoc-nghi-4-ngay-lien-tiep-95086.html
 *   and https://news.baokhanhhoa.vn/society/202408/2-days-off-for-the-national-day-4213607
 * - 30/4–1/5, VPCP letter 2450/VPCP-KGVX of 12/4/2024 (29/4 swapped with Saturday 4/5):
 *   https://baophapluat.vn/media/thu-tuong-chinh-phu-dong-y-nghi-5-ngay-lien-tiep-dip-304-va-15-post12513.html
 * - Hùng Kings 18/4 and the 30/4 swap (Government portal): https://xaydungchinhsach.chinhphu.vn/nguoi-lao-dong.html
 * - New Year 1/1 (Monday): https://dbndnghean.vn/lich-nghi-tet-duong-lich-2024-duoc-nghi-3-ngay-10356.htm
 * 2025:
 * - VPCP letter 8726/VPCP-KGVX of 26/11/2024 (Tết 25/1–2/2 with Tết days 27–31/1; 30/4–4/5 with Friday 2/5
 *   swapped with Saturday 26/4; National Day 30/8–2/9):
 *   https://vietnamnews.vn/society/1687874/pm-approves-proposal-for-9-day-continuous-tet-holiday-in-2025.html
 *   https://en.sggp.org.vn/prime-minister-approves-9-day-tet-break-for-2025-post114084.html
 *   https://en.sggp.org.vn/ministry-asks-public-holidays-to-be-announced-at-least-30-days-in-advance-post114254.html
 * - Hùng Kings Monday 7/4: https://tinbong247news.net/gio-to-hung-vuong-304-15-nguoi-lao-dong-duoc-nghi-5-ngay-lien-tiep-185869.html
 * - New Year 1/1 (Wednesday, no swap): https://vuasmartphone.vn/tin-tuc/lich-nghi-tet-2025
 * 2026:
 * - MOHA notice 9441/TB-BNV of 16/10/2025 (Tết 16–20/2; National Day 1–2/9, Monday 31/8 swapped with Saturday
 *   22/8): https://vjs.vietnam.vn/en/bo-noi-vu-thong-bao-lich-nghi-tet-am-lich-va-nghi-le-quoc-khanh-nam-2026
 *   https://vietnamnews.vn/politics-laws/1727514/ministry-of-home-affairs-announces-2026-holiday-schedule-for-lunar-new-year-national-day.html
 * - New Year: VPCP letter 12729/VPCP-KGVX of 25/12/2025 (Friday 2/1 swapped with Saturday 10/1).
 * - Hùng Kings Sunday 26/4, compensatory Monday 27/4; 30/4–1/5 Thursday–Friday, no swap:
 *   https://thanhnien.vn/gio-to-hung-vuong-304-15-quoc-khanh-29-nam-2026-duoc-nghi-may-ngay-185260223083506397.htm
 * Not included: 24/11 "Ngày Văn hóa Việt Nam" (announced, not yet law as of February 2026).
 */

const NEW_YEAR = 'Tết Dương lịch';
const TET = 'Tết Âm lịch (Tết Nguyên đán)';
const HUNG_KINGS = 'Giỗ Tổ Hùng Vương (10/3 âm lịch)';
const VICTORY = 'Ngày Chiến thắng (30/4)';
const LABOUR = 'Ngày Quốc tế lao động (1/5)';
const NATIONAL = 'Quốc khánh (2/9)';

type Row = readonly [date: string, kind: CalendarDayKind, name: string];

function schedule(rows: readonly Row[]): readonly CalendarDay[] {
  return Object.freeze(rows.map(([date, kind, name]) => Object.freeze({ date, kind, name })));
}

const Y2024 = schedule([
  ['2024-01-01', 'holiday', NEW_YEAR],
  ['2024-02-08', 'holiday', TET],
  ['2024-02-09', 'holiday', TET],
  ['2024-02-10', 'holiday', TET],
  ['2024-02-11', 'holiday', TET],
  ['2024-02-12', 'holiday', TET],
  ['2024-02-13', 'compensatory', `${TET} — nghỉ bù (mùng 1, mùng 2 trùng thứ Bảy, Chủ nhật)`],
  ['2024-02-14', 'compensatory', `${TET} — nghỉ bù (mùng 1, mùng 2 trùng thứ Bảy, Chủ nhật)`],
  ['2024-04-18', 'holiday', HUNG_KINGS],
  ['2024-04-29', 'swapped', 'Hoán đổi ngày làm việc dịp 30/4–1/5 (làm bù thứ Bảy 04/5/2024)'],
  ['2024-04-30', 'holiday', VICTORY],
  ['2024-05-01', 'holiday', LABOUR],
  ['2024-05-04', 'makeup_workday', 'Làm bù cho thứ Hai 29/04/2024 (ngày hoán đổi)'],
  ['2024-09-02', 'holiday', NATIONAL],
  ['2024-09-03', 'holiday', `${NATIONAL} — ngày liền kề sau 2/9`],
]);

const Y2025 = schedule([
  ['2025-01-01', 'holiday', NEW_YEAR],
  ['2025-01-27', 'holiday', TET],
  ['2025-01-28', 'holiday', TET],
  ['2025-01-29', 'holiday', TET],
  ['2025-01-30', 'holiday', TET],
  ['2025-01-31', 'holiday', TET],
  ['2025-04-07', 'holiday', HUNG_KINGS],
  ['2025-04-26', 'makeup_workday', 'Làm bù cho thứ Sáu 02/05/2025 (ngày hoán đổi)'],
  ['2025-04-30', 'holiday', VICTORY],
  ['2025-05-01', 'holiday', LABOUR],
  ['2025-05-02', 'swapped', 'Hoán đổi ngày làm việc dịp 30/4–1/5 (làm bù thứ Bảy 26/4/2025)'],
  ['2025-09-01', 'holiday', `${NATIONAL} — ngày liền kề trước 2/9`],
  ['2025-09-02', 'holiday', NATIONAL],
]);

const Y2026 = schedule([
  ['2026-01-01', 'holiday', NEW_YEAR],
  ['2026-01-02', 'swapped', 'Hoán đổi ngày làm việc dịp Tết Dương lịch (làm bù thứ Bảy 10/01/2026)'],
  ['2026-01-10', 'makeup_workday', 'Làm bù cho thứ Sáu 02/01/2026 (ngày hoán đổi)'],
  ['2026-02-16', 'holiday', TET],
  ['2026-02-17', 'holiday', TET],
  ['2026-02-18', 'holiday', TET],
  ['2026-02-19', 'holiday', TET],
  ['2026-02-20', 'holiday', TET],
  ['2026-04-26', 'holiday', HUNG_KINGS],
  ['2026-04-27', 'compensatory', `${HUNG_KINGS} — nghỉ bù (ngày lễ trùng Chủ nhật)`],
  ['2026-04-30', 'holiday', VICTORY],
  ['2026-05-01', 'holiday', LABOUR],
  ['2026-08-22', 'makeup_workday', 'Làm bù cho thứ Hai 31/08/2026 (ngày hoán đổi)'],
  ['2026-08-31', 'swapped', 'Hoán đổi ngày làm việc dịp Quốc khánh (làm bù thứ Bảy 22/8/2026)'],
  ['2026-09-01', 'holiday', `${NATIONAL} — ngày liền kề trước 2/9`],
  ['2026-09-02', 'holiday', NATIONAL],
]);

/** Official yearly schedules (days off, swaps, make-up Saturdays) for 2024–2026, sorted by date, frozen. */
export const OFFICIAL_SCHEDULES: Readonly<Record<number, readonly CalendarDay[]>> = Object.freeze({
  2024: Y2024,
  2025: Y2025,
  2026: Y2026,
});

/** The schedule of `year`: the official one when OFFICIAL_SCHEDULES has it, else the Art. 112 defaults. */
export function officialOrDefaultHolidays(year: number): CalendarDay[] {
  return holidaysForYear(year, OFFICIAL_SCHEDULES[year]);
}
