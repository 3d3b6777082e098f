import { civilOfEpochDay, isoToEpochDay, pad2 } from './dates.js';

/** Vietnam time is UTC+7 all year (no daylight saving time). */
export const VIETNAM_UTC_OFFSET_MS = 7 * 3_600_000;
/** Milliseconds in a day. */
export const DAY_MS = 86_400_000;
/** Milliseconds in a minute. */
export const MINUTE_MS = 60_000;
const HH_MM = /^(?:([01]\d|2[0-3]):([0-5]\d)|(24):(00))$/;

/** Parses 'HH:MM' (00:00–24:00) to minutes after midnight; throws RangeError. */
export function parseClock(hhmm: string): number {
  const m = HH_MM.exec(hhmm);
  if (!m) throw new RangeError(`Invalid time "${hhmm}" (expected HH:MM)`);
  return Number(m[1] ?? m[3]) * 60 + Number(m[2] ?? m[4]);
}

/** Epoch ms of a valid Date; throws RangeError for an Invalid Date or a non-Date. */
export function checkDate(d: Date): number {
  const t = d instanceof Date ? d.getTime() : Number.NaN;
  if (!Number.isFinite(t)) throw new RangeError('Invalid Date');
  return t;
}

/** Formats an instant in Vietnam time: '2026-04-28T10:30:00+07:00' (with '.mmm' only when non-zero). */
export function toVietnamIso(d: Date): string {
  const local = checkDate(d) + VIETNAM_UTC_OFFSET_MS;
  const day = Math.floor(local / DAY_MS);
  const { year, month, day: dom } = civilOfEpochDay(day);
  const ms = local - day * DAY_MS;
  const s = Math.floor(ms / 1000);
  const frac = ms % 1000 === 0 ? '' : `.${String(ms % 1000).padStart(3, '0')}`;
  const date = `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(dom)}`;
  return `${date}T${pad2(Math.floor(s / 3600))}:${pad2(Math.floor(s / 60) % 60)}:${pad2(s % 60)}${frac}+07:00`;
}

/** The instant of a Vietnam wall-clock time: vietnamInstant('2026-04-24', '09:00'). */
export function vietnamInstant(isoDate: string, time = '00:00'): Date {
  return new Date(isoToEpochDay(isoDate) * DAY_MS + parseClock(time) * MINUTE_MS - VIETNAM_UTC_OFFSET_MS);
}
