import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, prepared } from '../src/index.js';
import { ENGINES, openTestDatabase } from './engines.js';

/**
 * Prepared statements (packages/db/src/prepared.ts): compiled once, run as named statements with new values. On PGlite
 * always, on PostgreSQL when TEST_DATABASE_URL is set (a fresh database, dropped afterwards).
 */
describe.each(ENGINES)('prepared statements on %s', (engine) => {
  let database: Database;
  let drop = async () => {};
  let dbName = '';
  const unitByCode = prepared(`test_unit_by_code_${engine}`, (db) =>
    db.selectFrom('units').select(['code', 'name', 'level']).where('code', '=', '').compile(),
  );

  beforeAll(async () => {
    // PostgreSQL: one connection, so that the session holding the statements is the one looked into.
    ({ database, name: dbName, drop } = await openTestDatabase(engine, 'prepared', 1));
    await sql`INSERT INTO units (code, code_parts, name, level, path)
              SELECT 'T' || g, ARRAY['T' || g], 'Đơn vị thử ' || g, 'commune', '/t' || g || '/'
              FROM generate_series(1, 20) g`.execute(database.db);
  });
  afterAll(() => drop());

  it('answers each run with its own values, past the runs after which PostgreSQL may keep a generic plan', async () => {
    for (let i = 1; i <= 20; i++) {
      expect(await unitByCode(database, [`T${i}`])).toEqual([
        { code: `T${i}`, name: `Đơn vị thử ${i}`, level: 'commune' },
      ]);
    }
    expect(await unitByCode(database, ['nowhere'])).toEqual([]);
  });

  it('is a prepared statement of the session, prepared once', async () => {
    await unitByCode(database, ['T4']);
    await unitByCode(database, ['T5']);
    const { rows } = await database.pool.query<{ name: string; statement: string }>(
      'SELECT name, statement FROM pg_prepared_statements WHERE name = $1',
      [`test_unit_by_code_${engine}`],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.statement).toContain('from "units" where "code" = $1');
  });

  // PostgreSQL only (not registered on PGlite): its one embedded session cannot be killed from outside.
  if (engine === 'postgresql') {
    it('prepares it again on a new connection after its backend was killed', async () => {
      await unitByCode(database, ['T6']);
      const killer = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await killer.connect();
      const { rows: killed } = await killer.query<{ n: number }>(
        `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
        WHERE datname = $1`,
        [dbName],
      );
      await killer.end();
      expect(killed[0]!.n).toBeGreaterThan(0);
      // The pool's idle client learns of its death on its next query or on the error event: either way one call may
      // fail, and the next one runs on a fresh connection that prepares the statement again.
      await unitByCode(database, ['T6']).catch(() => []);
      expect(await unitByCode(database, ['T7'])).toEqual([
        { code: 'T7', name: 'Đơn vị thử 7', level: 'commune' },
      ]);
    });
  }

  it('keeps working when the table changes under the statement', async () => {
    await unitByCode(database, ['T1']);
    await sql`ALTER TABLE units ADD COLUMN test_note text`.execute(database.db);
    expect(await unitByCode(database, ['T2'])).toEqual([
      { code: 'T2', name: 'Đơn vị thử 2', level: 'commune' },
    ]);
    await sql`ALTER TABLE units DROP COLUMN test_note`.execute(database.db);
    expect(await unitByCode(database, ['T3'])).toHaveLength(1);
  });

  it('refuses the wrong number of values, and a second statement under the same name', async () => {
    await expect(unitByCode(database, [])).rejects.toThrow(/1 values expected/);
    await expect(unitByCode(database, ['T1', 'T2'])).rejects.toThrow(/1 values expected/);
    expect(() =>
      prepared(`test_unit_by_code_${engine}`, (db) => db.selectFrom('units').select('id').compile()),
    ).toThrow(/defined twice/);
  });
});
