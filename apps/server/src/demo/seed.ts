import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { hash } from '@node-rs/argon2';
import { appendAudit } from '@tinhso/db';
import { type ProcedureDefinitionInput, parseAgencyCode } from '@tinhso/domain';
import type { AppContext } from '../app.js';
import { seedActivity } from './activity.js';
import { insertDossiers, saveCounters } from './bulk.js';
import { type Catalogued, generateDossiers, procedureWeight } from './generate.js';
import { DEMO_CITIZENS, DEMO_OFFICERS, DEMO_PASSWORD, DEMO_UNITS } from './organisation.js';
import { rngFrom } from './simulate.js';

const CATALOGUE = fileURLToPath(new URL('../../../../packages/db/seed/catalogue.json', import.meta.url));
const SYSTEM = { actorType: 'system' as const, actorId: null, ip: null };

/** The demo catalogue shipped with the repository (real national procedures, see packages/db/seed/CATALOGUE.md). */
export function demoCatalogue(): ProcedureDefinitionInput[] {
  return (JSON.parse(readFileSync(CATALOGUE, 'utf8')) as { procedures: ProcedureDefinitionInput[] })
    .procedures;
}

/** Loads the organisation tree: units in order, parents before children, with paths and successors. */
export async function seedUnits(ctx: AppContext): Promise<void> {
  const { db } = ctx.database;
  await db.transaction().execute(async (tx) => {
    const ids = new Map<string, { id: string; path: string }>();
    for (const u of DEMO_UNITS) {
      const code = parseAgencyCode(u.code);
      const parent = u.parent ? ids.get(u.parent) : undefined;
      const row = await tx
        .insertInto('units')
        .values({
          code: code.canonical,
          code_parts: code.parts,
          name: u.name,
          short_name: u.shortName ?? null,
          level: u.level,
          parent_id: parent?.id ?? null,
          path: '',
          valid_from: u.validFrom ?? '2025-07-01',
          valid_to: u.validTo ?? null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const path = `${parent?.path ?? '/'}${row.id}/`;
      await tx.updateTable('units').set({ path }).where('id', '=', row.id).execute();
      ids.set(u.code, { id: row.id, path });
    }
    for (const u of DEMO_UNITS.filter((x) => x.successor)) {
      await tx
        .updateTable('units')
        .set({ successor_id: ids.get(u.successor!)!.id })
        .where('id', '=', ids.get(u.code)!.id)
        .execute();
    }
    await appendAudit(tx, {
      ...SYSTEM,
      action: 'demo.units',
      entityType: 'unit',
      entityId: null,
      details: { count: DEMO_UNITS.length },
    });
  });
  await ctx.units.reload();
}

/** Demo officers (one password, hashed once) and demo citizens. */
export async function seedPeople(ctx: AppContext): Promise<void> {
  const passwordHash = await hash(DEMO_PASSWORD);
  await ctx.database.db.transaction().execute(async (tx) => {
    for (const o of DEMO_OFFICERS) {
      const row = await tx
        .insertInto('officers')
        .values({
          username: o.username,
          full_name: o.fullName,
          title: o.title,
          password_hash: passwordHash,
          email: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await tx
        .insertInto('officer_roles')
        .values(
          o.roles.map(([role, unit]) => ({ officer_id: row.id, unit_id: ctx.units.get(unit).id, role })),
        )
        .execute();
    }
    await tx
      .insertInto('citizens')
      .values(
        DEMO_CITIZENS.map((c) => ({
          oidc_subject: `demo:${c.personalId}`,
          personal_id: c.personalId,
          full_name: c.fullName,
          date_of_birth: c.dateOfBirth,
          address: c.address,
          phone: c.phone,
          email: c.email,
        })),
      )
      .execute();
    await appendAudit(tx, {
      ...SYSTEM,
      action: 'demo.people',
      entityType: 'officer',
      entityId: null,
      details: { officers: DEMO_OFFICERS.length, citizens: DEMO_CITIZENS.length },
    });
  });
}

export async function seedCatalogue(ctx: AppContext): Promise<number> {
  const defs = demoCatalogue();
  for (const d of defs) await ctx.catalogue.save(d, SYSTEM);
  return defs.length;
}

/** Every current procedure version with its generation weight. */
export async function cataloguedProcedures(ctx: AppContext): Promise<Catalogued[]> {
  const current = await ctx.catalogue.currentVersions();
  return current.map(({ id, version, definition: def }) => ({
    id,
    version,
    def,
    weight: procedureWeight(def),
  }));
}

/** Fills an empty database with the demo province. Returns what it loaded. */
export async function seedDemo(ctx: AppContext, opts: { dossiers?: number; now?: Date; seed?: number } = {}) {
  await seedUnits(ctx);
  await seedPeople(ctx);
  const procedures = await seedCatalogue(ctx);
  const citizens = await ctx.database.db
    .selectFrom('citizens')
    .select(['id', 'personal_id', 'full_name'])
    .execute();
  const generated = generateDossiers(ctx, {
    count: opts.dossiers ?? 600,
    now: opts.now ?? new Date(),
    days: 365,
    rng: rngFrom(opts.seed ?? 2026),
    procedures: await cataloguedProcedures(ctx),
    citizens: citizens.map((c) => ({ id: c.id, personalId: c.personal_id, fullName: c.full_name })),
  });
  const counters = new Map<string, number>();
  await insertDossiers(ctx.database, ctx.units, generated, counters);
  await saveCounters(ctx.database, counters);
  const activity = await seedActivity(ctx.database, rngFrom((opts.seed ?? 2026) + 1));
  return {
    ...activity,
    units: ctx.units.all().length,
    officers: DEMO_OFFICERS.length,
    procedures,
    dossiers: generated.length,
  };
}
