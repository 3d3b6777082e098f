/**
 * The ceilings every HTTP scenario is compared with (issue 7: "report each scenario as a ratio to that ceiling, so
 * numbers compare across noisy machines"), and the process readings the scripts report beside them:
 *
 * - `pgbench -S` (PostgreSQL's own read-only TPC-B on a scratch database, dropped afterwards);
 * - the bare Fastify + pg route is serve.ts `ceiling`;
 * - resident memory of a process from /proc.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { adminUrl, fmt, recreateDatabase } from './common.js';

export interface PgbenchResult {
  tps: number;
  latencyAvgMs: number;
  command: string;
  scale: number;
}

function findPgbench(): string {
  const which = spawnSync('sh', ['-c', 'command -v pgbench'], { encoding: 'utf8' });
  return which.status === 0 && which.stdout.trim()
    ? which.stdout.trim()
    : '/usr/lib/postgresql/15/bin/pgbench';
}

/** `pgbench -S -c <connections> -j 2 -T <seconds>` on tinhso_bench_pgbench, on the server of `databaseUrl`. */
export async function pgbench(
  databaseUrl: string,
  opts: { connections: number; seconds: number; scale: number },
): Promise<PgbenchResult> {
  const u = new URL(databaseUrl);
  u.pathname = '/tinhso_bench_pgbench';
  await recreateDatabase(u.toString());
  const bin = findPgbench();
  const conn = ['-h', u.hostname, '-p', u.port || '5432', '-U', decodeURIComponent(u.username || 'postgres')];
  try {
    execFileSync(bin, ['-i', '-q', '-s', String(opts.scale), ...conn, 'tinhso_bench_pgbench'], {
      stdio: 'pipe',
    });
    const runArgs = ['-S', '-c', String(opts.connections), '-j', '2', '-T', String(opts.seconds)];
    const out = execFileSync(bin, [...runArgs, ...conn, 'tinhso_bench_pgbench'], { encoding: 'utf8' });
    const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(out)?.[1]);
    const latencyAvgMs = Number(/latency average = ([\d.]+) ms/.exec(out)?.[1]);
    const command = `pgbench ${runArgs.join(' ')} (scale ${opts.scale})`;
    console.log(`  ${command}: ${fmt(tps)} tps, latency average ${latencyAvgMs} ms`);
    return { tps, latencyAvgMs, command, scale: opts.scale };
  } finally {
    const admin = new pg.Client({ connectionString: adminUrl(databaseUrl) });
    await admin.connect();
    await admin.query('DROP DATABASE IF EXISTS tinhso_bench_pgbench WITH (FORCE)');
    await admin.end();
  }
}

/** Resident and peak resident memory of a process (Linux /proc), in bytes. */
export function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}
