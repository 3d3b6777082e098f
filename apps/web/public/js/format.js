// Formatting for people in Viet Nam: dates dd/mm/yyyy in Asia/Ho_Chi_Minh, money "75.000 ₫", working days.
import { lang, t } from './i18n.js';

const TZ = 'Asia/Ho_Chi_Minh';
const parts = (iso, withTime) => {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return null;
  const f = new Intl.DateTimeFormat('en-GB', {
    timeZone: TZ,
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : {}),
  });
  const p = Object.fromEntries(f.formatToParts(d).map((x) => [x.type, x.value]));
  return p;
};

/** 25/11/2026 */
export function fmtDate(iso) {
  if (!iso) return '—';
  const p = parts(iso, false);
  return p ? `${p.day}/${p.month}/${p.year}` : '—';
}

/** 25/11/2026 14:30 */
export function fmtDateTime(iso) {
  if (!iso) return '—';
  const p = parts(iso, true);
  return p ? `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}` : '—';
}

/** 14:30 */
export function fmtTime(iso) {
  const p = parts(iso, true);
  return p ? `${p.hour}:${p.minute}` : '';
}

/** A calendar date 'YYYY-MM-DD' (no time zone) → 'dd/mm/yyyy'. */
export function fmtIsoDay(s) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s ?? '');
  return m ? `${m[3]}/${m[2]}/${m[1]}` : (s ?? '—');
}

/**
 * A calendar date typed as people write it in Viet Nam, 'dd/mm/yyyy' (also 'd/m/yyyy', with '-' or '.') →
 * 'YYYY-MM-DD'; '' for an empty text; null when it is not a real date (31/02/2026, 29/02/2027, 12/31/2026).
 */
export function parseDmy(s) {
  const v = String(s ?? '').trim();
  if (!v) return '';
  const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(v);
  if (!m) return null;
  const iso = `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso ? iso : null;
}

const num = new Intl.NumberFormat('vi-VN');
/** 75.000 ₫, or "Theo quy định" when the amount is set elsewhere (null). */
export function fmtMoney(n) {
  if (n === null || n === undefined) return t('feeByRegulation');
  return `${num.format(n)} ₫`;
}

/** 10 → "10 ngày làm việc"; 0.5 → "0,5 ngày làm việc". */
export function fmtDays(n) {
  const v = String(n).replace('.', lang() === 'vi' ? ',' : '.');
  return t('workingDays', { n: v });
}

/** 1 234 567 bytes → "1,2 MB". */
export function fmtSize(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  const mb = (bytes / 1024 / 1024).toFixed(1);
  return `${lang() === 'vi' ? mb.replace('.', ',') : mb} MB`;
}
