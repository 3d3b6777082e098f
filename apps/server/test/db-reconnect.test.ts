import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { isDatabaseUnavailable } from '../src/http/errors.js';
import type { DossierChange } from '../src/services/dossiers/index.js';
import { errorCode, login, type Session, startTestApp, type TestApp } from './helpers.js';

/**
 * Lost PostgreSQL connections (issue 7): every server-side backend of the test's own database is killed with
 * pg_terminate_backend — in the middle of a transaction, during a query, between requests — and the database is
 * closed to new connections for a while. Requests caught by it answer 503 DATABASE_UNAVAILABLE (with Retry-After)
 * and write nothing; the process keeps running; the next requests succeed without restarting anything.
 */
const adminUrl = process.env.TEST_DATABASE_URL;

describe('errors that mean "the database is unavailable"', () => {
  const pgError = (code: string, severity = 'ERROR') =>
    Object.assign(new Error(`sqlstate ${code}`), { code, severity });
  const socket = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code });

  it('recognises a lost or refused connection, from the server or from the driver', () => {
    expect(isDatabaseUnavailable(pgError('57P01', 'FATAL'))).toBe(true); // terminated by an administrator
    expect(isDatabaseUnavailable(pgError('57P03', 'FATAL'))).toBe(true); // the database system is starting up
    expect(isDatabaseUnavailable(pgError('08006'))).toBe(true);
    expect(isDatabaseUnavailable(pgError('53300', 'FATAL'))).toBe(true); // too many connections
    expect(isDatabaseUnavailable(pgError('55000', 'FATAL'))).toBe(true); // not accepting connections
    expect(isDatabaseUnavailable(socket('ECONNREFUSED'))).toBe(true); // restarting
    expect(isDatabaseUnavailable(socket('ECONNRESET'))).toBe(true);
    // Node tries each address of "localhost" and reports them together.
    expect(isDatabaseUnavailable(new AggregateError([socket('ECONNREFUSED'), socket('ECONNREFUSED')]))).toBe(
      true,
    );
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(
      isDatabaseUnavailable(new Error('Client has encountered a connection error and is not queryable')),
    ).toBe(true);
  });

  it('leaves ordinary database errors and bugs alone', () => {
    expect(isDatabaseUnavailable(pgError('23505'))).toBe(false); // unique violation
    expect(isDatabaseUnavailable(pgError('22P02'))).toBe(false); // bad text
    expect(isDatabaseUnavailable(pgError('40001'))).toBe(false); // serialization failure
    expect(isDatabaseUnavailable(pgError('57014'))).toBe(false); // statement timeout: a slow query, not an outage
    expect(isDatabaseUnavailable(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(
      false,
    );
    expect(isDatabaseUnavailable(new AggregateError([]))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
  });
});

describe.skipIf(!adminUrl)('database connections lost on postgresql', () => {
  let t: TestApp;
  let admin: pg.Client;
  let dbName: string;
  let reception: Session;
  /** Set by a test: runs inside the transaction of a new dossier (after its notifications were queued). */
  let inTransaction: ((change: DossierChange) => Promise<void>) | null = null;

  beforeAll(async () => {
    t = await startTestApp('postgresql', { dossiers: 5 });
    const { rows } = await sql<{ name: string }>`SELECT current_database() AS name`.execute(
      t.ctx.database.db,
    );
    dbName = rows[0]!.name;
    admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    t.ctx.dossiers.onChange(async (change) => {
      const hook = inTransaction;
      if (hook && change.before === null) await hook(change);
    });
    reception = await login(t.app, 'tiepnhan.50');
  });
  afterAll(async () => {
    await admin?.query(`ALTER DATABASE ${dbName} WITH ALLOW_CONNECTIONS true`).catch(() => {});
    await admin?.end();
    await t?.close();
  });

  /** Kills every backend of the test database (the app's pool), as a restart of PostgreSQL would. */
  const killAll = async (): Promise<number> => {
    const { rows } = await admin.query<{ pid: number; killed: boolean }>(
      `SELECT pid, pg_terminate_backend(pid) AS killed FROM pg_stat_activity
       WHERE datname = $1 AND pid <> pg_backend_pid()`,
      [dbName],
    );
    return rows.filter((r) => r.killed).length;
  };
  /** Waits until the pool noticed that its idle connections are gone. */
  const poolEmptied = () =>
    vi.waitFor(
      () => {
        expect(t.ctx.database.pool.idleCount).toBe(0);
      },
      { timeout: 10_000, interval: 20 },
    );

  const submit = (n: number, key: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/dossiers',
      headers: { ...reception.headers, 'idempotency-key': key },
      payload: {
        procedureCode: '1.013225',
        channel: 'counter',
        competentUnit: 'H41.50',
        applicant: {
          name: `Người Thử Kết Nối ${n}`,
          idNumber: `04009${String(5_000_000 + n).padStart(7, '0')}`,
          phone: '0912 345 678',
        },
        outcome: { type: 'accept' },
      },
    });
  const dossiersOf = async (n: number) =>
    t.ctx.database.db
      .selectFrom('dossiers as d')
      .select(['d.id', 'd.code', 'd.version', 'd.idempotency_key'])
      .select((eb) => [
        eb
          .selectFrom('dossier_actions as a')
          .whereRef('a.dossier_id', '=', 'd.id')
          .select(eb.fn.countAll<number>().as('n'))
          .as('actions'),
        eb
          .selectFrom('outbox as o')
          .where('o.ref', '=', sql<string>`'dossier:' || d.id`)
          .select(eb.fn.countAll<number>().as('n'))
          .as('messages'),
      ])
      .where('d.applicant_name', '=', `Người Thử Kết Nối ${n}`)
      .execute();
  const expectUnavailable = (res: Awaited<ReturnType<typeof submit>>) => {
    expect(res.statusCode, res.body).toBe(503);
    expect(errorCode(res)).toBe('DATABASE_UNAVAILABLE');
    expect(res.json().error.messageEn).toMatch(/database/i);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  };

  it('answers 503 to a request whose transaction loses its connection, writes nothing, and the retry succeeds', async () => {
    let reached!: () => void;
    const atHold = new Promise<void>((r) => {
      reached = r;
    });
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    inTransaction = async () => {
      reached();
      await gate;
    };
    onTestFinished(() => {
      inTransaction = null;
    });
    const pending = submit(1, 'reconnect-tx-1');
    await atHold; // the dossier, its actions and its messages are written, not committed
    expect(await killAll()).toBeGreaterThan(0);
    await poolEmptied(); // includes noticing the loss of the connection held by the request
    release();
    expectUnavailable(await pending);
    expect(await dossiersOf(1)).toEqual([]);

    inTransaction = null;
    const retried = await submit(1, 'reconnect-tx-1');
    expect(retried.statusCode, retried.body).toBe(201);
    const rows = await dossiersOf(1);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ idempotency_key: 'reconnect-tx-1', version: 2, actions: 2, messages: 1 });
    expect((await submit(1, 'reconnect-tx-1')).statusCode).toBe(200); // a second retry replays it
  });

  it('runs a submission again when PostgreSQL aborts it for a deadlock, and answers 503 DATABASE_BUSY if it keeps failing', async () => {
    const deadlock = () => Object.assign(new Error('deadlock detected'), { code: '40P01' });
    let aborts = 1;
    inTransaction = async () => {
      if (aborts-- > 0) throw deadlock();
    };
    onTestFinished(() => {
      inTransaction = null;
    });
    const once = await submit(3, 'deadlock-once');
    expect(once.statusCode, once.body).toBe(201);
    const rows = await dossiersOf(3);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ code: once.json().code, version: 2, actions: 2, messages: 1 });

    aborts = 1_000;
    const never = await submit(4, 'deadlock-always');
    expect(never.statusCode, never.body).toBe(503);
    expect(errorCode(never)).toBe('DATABASE_BUSY');
    expect(never.headers['retry-after']).toBe('1');
    expect(await dossiersOf(4)).toEqual([]);
    expect(aborts).toBe(1_000 - 3); // three attempts, then the answer
  });

  it('answers 503 to a request whose query is running when its backend is killed', async () => {
    inTransaction = async (change) => {
      await sql`SELECT pg_sleep(60)`.execute(change.tx);
    };
    onTestFinished(() => {
      inTransaction = null;
    });
    const pending = submit(2, 'reconnect-query-2');
    await vi.waitFor(
      async () => {
        const { rows } = await admin.query(
          `SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND query LIKE '%pg_sleep(60)%' AND state = 'active'`,
          [dbName],
        );
        expect(rows).toHaveLength(1);
      },
      { timeout: 15_000, interval: 20 },
    );
    await killAll();
    expectUnavailable(await pending);
    expect(await dossiersOf(2)).toEqual([]);
    inTransaction = null;
    expect((await submit(2, 'reconnect-query-2')).statusCode).toBe(201);
    expect(await dossiersOf(2)).toMatchObject([{ version: 2, actions: 2, messages: 1 }]);
  });

  it('serves the next requests on new connections after the idle ones were killed between requests', async () => {
    // Several idle connections in the pool.
    const warm = await Promise.all(
      Array.from({ length: 5 }, () => t.app.inject({ method: 'GET', url: '/api/health' })),
    );
    expect(warm.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200]);
    expect(t.ctx.database.pool.idleCount).toBeGreaterThan(0);
    for (let round = 0; round < 3; round++) {
      expect(await killAll()).toBeGreaterThan(0);
      await poolEmptied();
      const health = await t.app.inject({ method: 'GET', url: '/api/health' });
      expect(health.statusCode, health.body).toBe(200);
      const created = await submit(10 + round, `reconnect-idle-${round}`);
      expect(created.statusCode, created.body).toBe(201);
      const code = created.json().code as string;
      const lookup = await t.app.inject({ method: 'GET', url: `/api/lookup/${code}` });
      expect(lookup.statusCode, lookup.body).toBe(200);
      expect(lookup.json()).toMatchObject({ code, status: 2 });
    }
  });

  it('reports the database down while it refuses connections, and recovers by itself', async () => {
    const known = (await submit(20, 'reconnect-down-20')).json().code as string;
    await admin.query(`ALTER DATABASE ${dbName} WITH ALLOW_CONNECTIONS false`);
    onTestFinished(async () => {
      await admin.query(`ALTER DATABASE ${dbName} WITH ALLOW_CONNECTIONS true`);
    });
    await killAll();
    await poolEmptied();
    const health = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(health.statusCode).toBe(503);
    expect(health.json()).toEqual({ status: 'unavailable', database: 'postgresql' });
    expectUnavailable(await t.app.inject({ method: 'GET', url: `/api/lookup/${known}` }));
    expectUnavailable(await submit(21, 'reconnect-down-21'));
    const officer = await t.app.inject({ method: 'GET', url: '/api/dossiers', headers: reception.headers });
    expectUnavailable(officer); // the session lookup itself cannot run

    await admin.query(`ALTER DATABASE ${dbName} WITH ALLOW_CONNECTIONS true`);
    expect((await t.app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: `/api/lookup/${known}` })).statusCode).toBe(200);
    expect((await submit(21, 'reconnect-down-21')).statusCode).toBe(201);
    expect(await dossiersOf(21)).toMatchObject([{ version: 2, actions: 2 }]);
  });

  it('keeps every acknowledged submission exactly once when connections are killed under concurrent load', async () => {
    const N = 40;
    const keys = Array.from({ length: N }, (_, i) => `reconnect-load-${i}`);
    const first = await Promise.all([
      ...keys.map((k, i) => submit(100 + i, k)),
      (async () => {
        await new Promise((r) => setTimeout(r, 30));
        await killAll();
        await new Promise((r) => setTimeout(r, 30));
        await killAll();
        return null;
      })(),
    ]);
    const answers = first.filter((r) => r !== null);
    for (const r of answers) {
      expect([201, 503], r.body).toContain(r.statusCode);
      if (r.statusCode === 503) expect(errorCode(r)).toBe('DATABASE_UNAVAILABLE');
    }
    // Retry the failed ones (as a client would, after Retry-After) until every key is acknowledged.
    const codes = new Map<number, string>();
    answers.forEach((r, i) => {
      if (r.statusCode === 201) codes.set(i, r.json().code);
    });
    for (let round = 0; round < 5 && codes.size < N; round++) {
      for (let i = 0; i < N; i++) {
        if (codes.has(i)) continue;
        const r = await submit(100 + i, keys[i]!);
        expect([200, 201, 503]).toContain(r.statusCode);
        if (r.statusCode !== 503) codes.set(i, r.json().code);
      }
    }
    expect(codes.size).toBe(N);
    for (let i = 0; i < N; i++) {
      const rows = await dossiersOf(100 + i);
      expect(rows, keys[i]).toHaveLength(1);
      expect(rows[0]).toMatchObject({ code: codes.get(i), version: 2, actions: 2, messages: 1 });
    }
  });
});
