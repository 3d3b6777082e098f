import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, withSessionSettings } from '../src/index.js';

const URL_ = 'postgres://app@db.example:5432/tinhso';

describe('withSessionSettings: the pool sessions’ settings as startup options', () => {
  const saved = process.env['PGOPTIONS'];
  afterEach(() => {
    if (saved === undefined) delete process.env['PGOPTIONS'];
    else process.env['PGOPTIONS'] = saved;
  });

  it('sends nothing when neither setting is given (the server’s own settings)', () => {
    expect(withSessionSettings(URL_, {})).toEqual({ connectionString: URL_ });
    expect(withSessionSettings(URL_, { parallelWorkers: -1 })).toEqual({ connectionString: URL_ });
  });

  it('adds both settings after PGOPTIONS, so that they override it', () => {
    process.env['PGOPTIONS'] = '-c statement_timeout=5s -c jit=on';
    expect(withSessionSettings(URL_, { parallelWorkers: 0, jit: false })).toEqual({
      connectionString: URL_,
      options: '-c statement_timeout=5s -c jit=on -c max_parallel_workers_per_gather=0 -c jit=off',
    });
    delete process.env['PGOPTIONS'];
    expect(withSessionSettings(URL_, { jit: true })).toEqual({
      connectionString: URL_,
      options: '-c jit=on',
    });
  });

  it('appends to the options the URL itself carries', () => {
    const url = `${URL_}?options=${encodeURIComponent('-c search_path=app')}`;
    const { connectionString, ...rest } = withSessionSettings(url, { parallelWorkers: 2, jit: false });
    expect(rest).toEqual({});
    expect(new URL(connectionString).searchParams.get('options')).toBe(
      '-c search_path=app -c max_parallel_workers_per_gather=2 -c jit=off',
    );
  });
});

// The settings reach the sessions of a real server (PGlite takes no startup options).
if (process.env.TEST_DATABASE_URL) {
  describe('on PostgreSQL: every pool session has the settings', () => {
    const saved = process.env['PGOPTIONS'];
    afterEach(() => {
      if (saved === undefined) delete process.env['PGOPTIONS'];
      else process.env['PGOPTIONS'] = saved;
    });

    const show = async (opts: { jit?: boolean; parallelWorkers?: number }) => {
      const database = await openDatabase({ url: process.env.TEST_DATABASE_URL!, poolMax: 2, ...opts });
      try {
        // Two sessions at once: both are new connections of the pool.
        const [a, b] = await Promise.all(
          [0, 1].map(() =>
            database.pool.query<{ jit: string; workers: string }>(
              `SELECT current_setting('jit') AS jit, current_setting('max_parallel_workers_per_gather') AS workers,
                      pg_sleep(0.05)`,
            ),
          ),
        );
        return [a!.rows[0]!, b!.rows[0]!];
      } finally {
        await database.close();
      }
    };

    it('jit off and no parallel workers, even when PGOPTIONS asks for JIT', async () => {
      process.env['PGOPTIONS'] = '-c jit=on';
      for (const row of await show({ jit: false, parallelWorkers: 0 })) {
        expect(row.jit).toBe('off');
        expect(row.workers).toBe('0');
      }
    });

    it('jit on when asked', async () => {
      for (const row of await show({ jit: true })) expect(row.jit).toBe('on');
    });
  });
}
