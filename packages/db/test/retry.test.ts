import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRetryableConflict, retryOnConflict } from '../src/index.js';

describe('retryOnConflict', () => {
  it('runs a transaction again after a conflict, and throws anything else at once', async () => {
    let calls = 0;
    const deadlock = Object.assign(new Error('deadlock detected'), { code: '40P01' });
    expect(
      await retryOnConflict(async () => {
        calls++;
        if (calls < 3) throw deadlock;
        return 'done';
      }),
    ).toBe('done');
    expect(calls).toBe(3);
    calls = 0;
    await expect(
      retryOnConflict(async () => {
        calls++;
        throw deadlock;
      }),
    ).rejects.toBe(deadlock);
    expect(calls).toBe(3);
    calls = 0;
    const other = Object.assign(new Error('unique'), { code: '23505' });
    await expect(
      retryOnConflict(async () => {
        calls++;
        throw other;
      }),
    ).rejects.toBe(other);
    expect(calls).toBe(1);
    expect(isRetryableConflict({ code: '40001' })).toBe(true);
    expect(isRetryableConflict(null)).toBe(false);
  });
});

/**
 * A real deadlock on PostgreSQL (PGlite has one connection: it cannot deadlock): two transactions take two rows in
 * opposite orders; the server aborts one of them after deadlock_timeout; with retryOnConflict both complete.
 */
describe.runIf(process.env.TEST_DATABASE_URL)('retryOnConflict against a real deadlock on PostgreSQL', () => {
  const name = `tinhso_test_retry_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  let pool: pg.Pool;
  const admin = () => new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });

  beforeAll(async () => {
    const a = admin();
    await a.connect();
    await a.query(`CREATE DATABASE ${name}`);
    await a.end();
    const url = new URL(process.env.TEST_DATABASE_URL!);
    url.pathname = `/${name}`;
    pool = new pg.Pool({ connectionString: url.toString(), max: 4 });
    await pool.query('CREATE TABLE sums (k text PRIMARY KEY, n integer NOT NULL)');
    await pool.query("INSERT INTO sums VALUES ('a', 0), ('b', 0)");
  });
  afterAll(async () => {
    await pool?.end();
    const a = admin();
    await a.connect();
    await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await a.end();
  });

  it('both parties of a deadlock commit, each exactly once', async () => {
    const conflicts: string[] = [];
    let bothHoldFirst: () => void = () => {};
    let holding = 0;
    const firstTaken = new Promise<void>((resolve) => {
      bothHoldFirst = resolve;
    });
    const add = (first: string, second: string) =>
      retryOnConflict(async () => {
        const c = await pool.connect();
        try {
          await c.query('BEGIN');
          await c.query('UPDATE sums SET n = n + 1 WHERE k = $1', [first]);
          if (++holding === 2) bothHoldFirst();
          await firstTaken; // both hold their first row before asking for the other's
          await c.query('UPDATE sums SET n = n + 1 WHERE k = $1', [second]);
          await c.query('COMMIT');
        } catch (e) {
          await c.query('ROLLBACK');
          if (isRetryableConflict(e)) conflicts.push(first);
          throw e;
        } finally {
          c.release();
        }
      });
    await Promise.all([add('a', 'b'), add('b', 'a')]);
    expect(conflicts).toHaveLength(1); // the server broke the cycle once; the retry went through
    const { rows } = await pool.query('SELECT k, n FROM sums ORDER BY k');
    expect(rows).toEqual([
      { k: 'a', n: 2 },
      { k: 'b', n: 2 },
    ]);
  });
});
