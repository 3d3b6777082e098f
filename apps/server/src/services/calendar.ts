import { appendAudit, type Database } from '@tinhso/db';
import {
  type CalendarDay,
  DEFAULT_WORKING_HOURS,
  type DeadlineClock,
  defaultHolidays,
  OFFICIAL_SCHEDULES,
  WorkingCalendar,
  type WorkingHours,
  workingClock,
} from '@tinhso/domain';
import type { AuditActor } from './audit-actor.js';

export const OFFICIAL_SOURCES: Record<number, string> = {
  2024: 'Thông báo nghỉ Tết, lễ năm 2024 (Bộ LĐTBXH; công văn 2450/VPCP-KGVX)',
  2025: 'Thông báo nghỉ Tết, lễ năm 2025 (Bộ LĐTBXH; công văn 8726/VPCP-KGVX/2024)',
  2026: 'Thông báo 9441/TB-BNV (16/10/2025); công văn 12729/VPCP-KGVX (25/12/2025)',
};
const DEFAULT_SOURCE = 'Bộ luật Lao động 2019, Điều 112 (tính mặc định, chưa có thông báo chính thức)';

/**
 * The province's working calendar: official yearly schedules stored in the database (editable), Labour Code
 * defaults for other years, and the working-day clocks built on them (one per set of working hours).
 */
export class CalendarService {
  private official = new Map<number, CalendarDay[]>();
  private sources = new Map<number, string>();
  private defaults = new Map<number, CalendarDay[]>();
  private calendars = new Map<string, WorkingCalendar>();
  /** Province settings (table `settings`): the paper cut-off and the default office hours. */
  paperCutoff = '15:00';
  defaultHours: WorkingHours = DEFAULT_WORKING_HOURS;

  constructor(private readonly database: Database) {}

  /** Loads every stored year; on an empty database, stores the official 2024–2026 schedules first. */
  async reload(): Promise<void> {
    const { db } = this.database;
    const years = await db.selectFrom('calendar_years').selectAll().execute();
    if (years.length === 0) {
      await db.transaction().execute(async (tx) => {
        for (const [year, days] of Object.entries(OFFICIAL_SCHEDULES)) {
          await tx
            .insertInto('calendar_years')
            .values({ year: Number(year), source: OFFICIAL_SOURCES[Number(year)] ?? 'official' })
            .onConflict((oc) => oc.doNothing())
            .execute();
          if (days.length > 0) {
            await tx
              .insertInto('calendar_days')
              .values(days.map((d) => ({ date: d.date, year: Number(year), kind: d.kind, name: d.name })))
              .onConflict((oc) => oc.doNothing())
              .execute();
          }
        }
      });
      return this.reload();
    }
    const days = await db.selectFrom('calendar_days').selectAll().orderBy('date').execute();
    const settings = await db
      .selectFrom('settings')
      .selectAll()
      .where('key', 'in', ['paper_transfer_cutoff', 'default_working_hours'])
      .execute();
    for (const row of settings) {
      if (row.key === 'paper_transfer_cutoff') this.paperCutoff = row.value as string;
      if (row.key === 'default_working_hours') this.defaultHours = row.value as WorkingHours;
    }
    this.official.clear();
    this.sources.clear();
    for (const y of years) {
      this.official.set(y.year, []);
      this.sources.set(y.year, y.source);
    }
    for (const d of days) {
      this.official.get(d.year)?.push({ date: d.date, kind: d.kind as CalendarDay['kind'], name: d.name });
    }
    this.calendars.clear();
  }

  daysForYear = (year: number): readonly CalendarDay[] => {
    const official = this.official.get(year);
    if (official) return official;
    let d = this.defaults.get(year);
    if (!d) {
      d = defaultHolidays(year);
      this.defaults.set(year, d);
    }
    return d;
  };

  calendar(hours: WorkingHours = this.defaultHours): WorkingCalendar {
    const key = JSON.stringify(hours.sessions);
    let c = this.calendars.get(key);
    if (!c) {
      c = new WorkingCalendar({ daysForYear: this.daysForYear, hours });
      this.calendars.set(key, c);
    }
    return c;
  }

  /** The clock the dossier rules use (fractional working days allowed, e.g. a pause of 1.3 days). */
  clock(hours?: WorkingHours | null): DeadlineClock {
    return workingClock(this.calendar(hours ?? undefined), this.paperCutoff);
  }

  /** Saves a province setting (validated by the route) and reloads. */
  async saveSetting(
    key: 'paper_transfer_cutoff' | 'default_working_hours',
    value: unknown,
    actor: AuditActor,
  ) {
    await this.database.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('settings')
        .values({ key, value: JSON.stringify(value) })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet({ value: JSON.stringify(value), updated_at: new Date() }),
        )
        .execute();
      await appendAudit(tx, {
        ...actor,
        action: 'settings.update',
        entityType: 'setting',
        entityId: key,
        details: { value },
      });
    });
    await this.reload();
  }

  /** Days off and make-up working days of a year, with where they come from. */
  holidays(year: number): { year: number; official: boolean; source: string; items: CalendarDay[] } {
    const official = this.official.has(year);
    return {
      year,
      official,
      source: this.sources.get(year) ?? DEFAULT_SOURCE,
      items: [...this.daysForYear(year)],
    };
  }

  /** Replaces a year's schedule with the official notice (administrators). */
  async replaceYear(year: number, days: CalendarDay[], source: string, actor: AuditActor): Promise<void> {
    await this.database.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('calendar_days').where('year', '=', year).execute();
      await tx
        .insertInto('calendar_years')
        .values({ year, source })
        .onConflict((oc) => oc.column('year').doUpdateSet({ source, updated_at: new Date() }))
        .execute();
      if (days.length > 0) {
        await tx
          .insertInto('calendar_days')
          .values(days.map((d) => ({ date: d.date, year, kind: d.kind, name: d.name })))
          .execute();
      }
      await appendAudit(tx, {
        ...actor,
        action: 'calendar.replace_year',
        entityType: 'calendar_year',
        entityId: String(year),
        details: { source, days: days.length },
      });
    });
    await this.reload();
  }
}
