/**
 * Micro-benchmark of the working-day clock: `npx tsx bench/src/due-dates.ts [count]`.
 *
 * Builds a WorkingCalendar over the official 2024–2026 schedules (Labour Code defaults for other years), then
 * times ~1,000,000 addWorkingDays with random instants in 2024–2026 and random N ∈ {0.5, 1, …, 60}, the same
 * for workingDaysBetween (random pairs up to 120 calendar days apart) and subtractWorkingDays. Inputs come from
 * a seeded PRNG, so runs are comparable. Prints computations per second on one core.
 */
import { officialOrDefaultHolidays, toVietnamIso, WorkingCalendar } from '@tinhso/domain/calendar/index';

const COUNT = Number(process.argv[2] ?? 1_000_000);
const FROM = Date.parse('2024-01-01T00:00:00+07:00');
const TO = Date.parse('2027-01-01T00:00:00+07:00');
const DAY = 86_400_000;

/** mulberry32: small deterministic PRNG. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = rng(20260424);
const instants = Array.from({ length: COUNT }, () => new Date(FROM + Math.floor(rand() * (TO - FROM))));
const halves = Uint8Array.from({ length: COUNT }, () => 1 + Math.floor(rand() * 120)); // N = halves / 2
const others = instants.map((d) => new Date(d.getTime() + Math.floor((rand() * 2 - 1) * 120 * DAY)));

const t0 = performance.now();
const calendar = new WorkingCalendar({ daysForYear: officialOrDefaultHolidays });
calendar.addWorkingDays(new Date(FROM), 1);
const coldMs = performance.now() - t0;

function time(label: string, run: (i: number) => number): void {
  for (let i = 0; i < Math.min(COUNT, 100_000); i++) run(i); // warm-up (and builds the year tables)
  let checksum = 0;
  const start = performance.now();
  for (let i = 0; i < COUNT; i++) checksum += run(i);
  const seconds = (performance.now() - start) / 1000;
  const perSecond = Math.round(COUNT / seconds).toLocaleString('en-US');
  console.log(
    `${label.padEnd(22)} ${perSecond.padStart(12)} /s  (${COUNT.toLocaleString('en-US')} in ${seconds.toFixed(3)} s, checksum ${Math.round(checksum) % 1e9})`,
  );
}

console.log(
  `Node ${process.version}, ${COUNT.toLocaleString('en-US')} random inputs in 2024–2026, N ∈ {0.5 … 60}`,
);
console.log(`first use (builds the 2024 year table): ${coldMs.toFixed(2)} ms`);
time('addWorkingDays', (i) => calendar.addWorkingDays(instants[i]!, halves[i]! / 2).getTime() % 1_000_003);
time('workingDaysBetween', (i) => calendar.workingDaysBetween(instants[i]!, others[i]!));
time(
  'subtractWorkingDays',
  (i) => calendar.subtractWorkingDays(instants[i]!, halves[i]! / 2).getTime() % 1_000_003,
);
const sample = new Date('2026-04-24T09:00:00+07:00');
console.log(
  `check: ${toVietnamIso(sample)} + 1 working day = ${toVietnamIso(calendar.addWorkingDays(sample, 1))}`,
);
