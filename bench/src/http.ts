/**
 * The HTTP side shared by the benchmarks that drive the real application: start it in its own process (serve.ts),
 * log a demo officer in, and measure one GET with autocannon (latency per response, nearest-rank percentiles).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DEMO_PASSWORD } from '@tinhso/server/demo/organisation';
import autocannon from 'autocannon';
import { percentile } from './common.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));

export interface Measured {
  requests: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  errors: number;
  non2xx: number;
}

/** The real application on 127.0.0.1 in a child process, against `databaseUrl` (no migration, no demo). */
export function startServer(databaseUrl: string): Promise<{ process: ChildProcess; port: number }> {
  const child = fork(`${HERE}serve.ts`, ['app'], {
    env: { ...process.env, BENCH_DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve({ process: child, port: (m as { port: number }).port }));
    child.once('exit', (code) => reject(new Error(`serve.ts exited with ${code}`)));
  });
}

export function stopServer(server: { process: ChildProcess }): Promise<void> {
  return new Promise<void>((resolve) => {
    server.process.once('exit', () => resolve());
    server.process.disconnect();
  });
}

/** Logs a demo officer in; returns the cookie header and the CSRF token for writes. */
export async function loginOfficer(
  base: string,
  username: string,
): Promise<{ cookie: string; csrf: string }> {
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  if (login.status !== 200) throw new Error(`login ${username}: ${login.status} ${await login.text()}`);
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  return { cookie, csrf: csrfToken };
}

/** GET `path` flat out for `seconds` over `connections` connections. */
export async function measureGet(
  port: number,
  cookie: string,
  path: string,
  seconds: number,
  connections: number,
): Promise<Measured> {
  const samples: number[] = [];
  const instance = autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration: seconds,
    requests: [
      { method: 'GET', setupRequest: (req) => ({ ...req, path, headers: { ...req.headers, cookie } }) },
    ],
  });
  instance.on('response', (_c: unknown, _s: number, _b: number, ms: number) => samples.push(ms));
  const r = await instance;
  const sorted = Float64Array.from(samples).sort();
  return {
    requests: samples.length,
    perSecond: samples.length / r.duration,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
  };
}
