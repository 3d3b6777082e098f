import type { ProcedureDefinition } from '@tinhso/domain';
import type { AppContext } from '../app.js';
import { resolveWorkflow } from '../services/dossier-store.js';
import type { GeneratedDossier } from './bulk.js';
import { FAMILY, GIVEN, MIDDLE } from './organisation.js';
import { type SimulationInput, simulateDossier } from './simulate.js';

export interface Catalogued {
  id: string;
  version: number;
  def: ProcedureDefinition;
  weight: number;
}

export interface GenerateOptions {
  count: number;
  now: Date;
  /** Spread of submission dates, in days before `now`. */
  days: number;
  rng: () => number;
  procedures: Catalogued[];
  /** Citizens who own some of the dossiers (their "Hồ sơ của tôi"). */
  citizens?: { id: string; personalId: string; fullName: string }[];
  /** Officers by unit code and role, to assign steps and write opinions (see simulateDossier). */
  handlers?: SimulationInput['handlers'];
}

const pick = <T>(rng: () => number, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;

function weighted(items: Catalogued[], x: number): Catalogued {
  let rest = x;
  for (const p of items) {
    rest -= p.weight;
    if (rest < 0) return p;
  }
  return items[items.length - 1]!;
}

/** Commune-level civil status is by far the most common kind of dossier; weight procedures accordingly. */
export function procedureWeight(def: ProcedureDefinition): number {
  if (def.level === 'commune') return def.field === 'Hộ tịch' || def.field === 'Chứng thực' ? 6 : 3;
  return def.field === 'Đất đai' || def.field === 'Hoạt động xây dựng' ? 2 : 1;
}

/** Generates dossiers with realistic procedures, channels, units and lives (see simulateDossier). */
export function generateDossiers(ctx: AppContext, o: GenerateOptions): GeneratedDossier[] {
  const { units } = ctx;
  const clock = ctx.calendar.clock();
  const communes = units.all().filter((u) => u.level === 'commune' && u.validTo === null);
  const receptionProvince = units
    .all()
    .filter((u) => (u.level === 'service_center' || u.level === 'service_branch') && u.validTo === null);
  const total = o.procedures.reduce((a, p) => a + p.weight, 0);
  const out: GeneratedDossier[] = [];
  for (let n = 0; n < o.count; n++) {
    const proc = weighted(o.procedures, o.rng() * total);
    const def = proc.def;
    const online = def.channels.includes('online') && o.rng() < 0.55;
    const channel = online ? 'online' : def.channels.includes('post') && o.rng() < 0.06 ? 'post' : 'counter';
    const competent =
      def.level === 'commune'
        ? pick(o.rng, communes)
        : units.get(def.competentUnits[0] ?? pick(o.rng, communes).code);
    const receiving = def.level === 'commune' ? competent : pick(o.rng, receptionProvince);
    const workflow = resolveWorkflow(units, def, receiving, competent);
    // More recent months carry more dossiers (online services grow); submission inside office hours.
    // A share of dossiers arrived in the last two weeks, so every state of the lifecycle is present today.
    const ago = o.rng() < 0.22 ? Math.floor(o.rng() * 14) : Math.floor(o.days * (1 - Math.sqrt(o.rng())));
    const day = new Date(o.now.getTime() - ago * 86_400_000);
    const submittedAt = clock.addWorkingDays(
      new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), 0, 30)),
      Math.round(o.rng() * 96) / 120,
    );
    if (submittedAt > o.now) continue;
    const sim = simulateDossier({
      def,
      channel,
      receivingUnit: receiving.code,
      competentUnit: competent.code,
      workflow,
      submittedAt,
      now: o.now,
      rng: o.rng,
      clock,
      handlers: o.handlers,
    });
    const citizen = o.citizens && o.rng() < 0.02 ? pick(o.rng, o.citizens) : null;
    const name = citizen?.fullName ?? `${pick(o.rng, FAMILY)} ${pick(o.rng, MIDDLE)} ${pick(o.rng, GIVEN)}`;
    const idNumber = citizen?.personalId ?? `040${String(Math.floor(o.rng() * 1e9)).padStart(9, '0')}`;
    const digitized = channel !== 'online' && o.rng() < 0.9;
    out.push({
      ...sim,
      procedureId: proc.id,
      procedureVersion: proc.version,
      applicant: { name, idNumber, citizenId: citizen?.id ?? null },
      components: def.components.map((c) => ({
        code: c.code,
        name: c.name,
        required: c.required,
        provided: c.required || o.rng() < 0.3,
        digitized: channel === 'online' ? true : digitized,
        reused: c.reusable && o.rng() < 0.25,
      })),
      formData: {},
    });
  }
  return out;
}
