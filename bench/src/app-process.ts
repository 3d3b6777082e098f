/**
 * The real server (apps/server/src/main.ts: migrations, demo data on an empty database, the outbox worker) in a child
 * process, for the benchmarks that take something away from it (the SMS gateway, the database connection).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface AppProcess {
  child: ChildProcess;
  base: string;
  /** Still running (it must never crash by itself). */
  alive(): boolean;
  /** SIGTERM and wait for the exit (the outbox worker records its batch in progress first). */
  stop(): Promise<void>;
}

/** Starts main.ts on 127.0.0.1:`port` against `databaseUrl` in demo mode; its output goes to `logFile`. */
export async function startAppProcess(opts: {
  databaseUrl: string;
  port: number;
  logFile: string;
  env?: Record<string, string>;
}): Promise<AppProcess> {
  const log = createWriteStream(opts.logFile, { flags: 'a' });
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: opts.databaseUrl,
      TINHSO_DEMO: 'true',
      PORT: String(opts.port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'error',
      RATE_LIMIT_SUBMIT_PER_MIN: '1000000',
      RATE_LIMIT_PUBLIC_PER_MIN: '1000000',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const base = `http://127.0.0.1:${opts.port}`;
  const app: AppProcess = {
    child,
    base,
    alive: () => child.exitCode === null && child.signalCode === null,
    stop: async () => {
      if (!app.alive()) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
  await waitHealthy(app);
  return app;
}

/** Waits for GET /api/health = 200 (the first start loads the demo province: a minute or two). */
export async function waitHealthy(app: AppProcess, timeoutMs = 300_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (!app.alive()) throw new Error(`the server exited with ${app.child.exitCode ?? app.child.signalCode}`);
    try {
      const r = await fetch(`${app.base}/api/health`);
      if (r.status === 200) return;
    } catch {
      /* not listening yet */
    }
    await sleep(250);
  }
  throw new Error('the server did not become healthy');
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A counter registration of the demo procedure 1.013225 in commune H41.`commune`, with a mobile number. */
export function counterRegistration(
  i: number,
  commune: string,
  outcome: Record<string, unknown> = { type: 'accept' },
) {
  return {
    procedureCode: '1.013225',
    channel: 'counter',
    competentUnit: `H41.${commune}`,
    applicant: {
      name: `Người Thử Độ Bền ${i}`,
      idNumber: `0400${String(70_000_000 + i).padStart(8, '0')}`,
      phone: `09${String(10_000_000 + i).slice(-8)}`,
    },
    outcome,
  };
}
