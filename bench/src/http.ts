/**
 * The HTTP side shared by the benchmarks that drive the real application: start it in its own process (serve.ts),
 * log a demo officer in, and measure a request shape flat out with autocannon (closed loop) or at a steady offered
 * rate (open loop, measurePaced); latency per response, nearest-rank percentiles. wrk.ts measures GETs with wrk.
 */
import { type ChildProcess, fork } from 'node:child_process';
import http from 'node:http';
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

export interface Server {
  process: ChildProcess;
  port: number;
}

/**
 * serve.ts in its own process against `databaseUrl` (no migration, no demo): the real application (`app`) or the bare
 * Fastify ceiling (`ceiling`), with extra environment (e.g. INDICATOR_CACHE_MS) and Node options (e.g. --cpu-prof).
 */
export function startServer(
  databaseUrl: string,
  opts: { mode?: 'app' | 'ceiling'; env?: Record<string, string>; execArgv?: string[] } = {},
): Promise<Server> {
  const mode = opts.mode ?? 'app';
  const child = fork(`${HERE}serve.ts`, [mode], {
    execArgv: [...process.execArgv, ...(opts.execArgv ?? [])],
    env: { ...process.env, ...opts.env, BENCH_DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve({ process: child, port: (m as { port: number }).port }));
    child.once('exit', (code) => reject(new Error(`serve.ts ${mode} exited with ${code}`)));
  });
}

export function stopServer(server: Server): Promise<void> {
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

/** One request shape measured flat out: `next()` gives each request; `done` gets the JSON of expected answers. */
export interface RequestShape {
  name: string;
  /** Statuses that count as success (default: 200). */
  expect?: number[];
  next(): { method?: 'GET' | 'POST'; path: string; headers?: Record<string, string>; body?: unknown };
  done?: (body: unknown) => void;
}

/**
 * `shape` flat out for `seconds` over `connections` connections (closed loop). `errors` counts network errors and
 * timeouts, `unexpected` the answers whose status the shape does not expect.
 */
export async function measureShape(
  port: number,
  shape: RequestShape,
  seconds: number,
  connections: number,
): Promise<Measured & { unexpected: number; statusCodes: Record<string, number> }> {
  const samples: number[] = [];
  const statusCodes: Record<string, number> = {};
  let unexpected = 0;
  const expect = shape.expect ?? [200];
  const instance = autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration: seconds,
    requests: [
      {
        setupRequest: (req) => {
          const r = shape.next();
          const body = r.body === undefined ? undefined : JSON.stringify(r.body);
          return {
            ...req,
            method: r.method ?? 'GET',
            path: r.path,
            headers: {
              ...req.headers,
              ...r.headers,
              ...(body ? { 'content-type': 'application/json' } : {}),
            },
            body,
          };
        },
        onResponse: (status, body) => {
          statusCodes[status] = (statusCodes[status] ?? 0) + 1;
          if (!expect.includes(status)) unexpected++;
          else if (shape.done) shape.done(JSON.parse(body));
        },
      },
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
    unexpected,
    statusCodes,
  };
}

/** GET `path` flat out for `seconds` over `connections` connections. */
export function measureGet(
  port: number,
  cookie: string,
  path: string,
  seconds: number,
  connections: number,
): Promise<Measured> {
  return measureShape(
    port,
    { name: path, next: () => ({ path, headers: { cookie } }) },
    seconds,
    connections,
  );
}

/** What an open-loop run gives: every answer's latency (ms) and how the requests ended. */
export interface PacedRun {
  samples: number[];
  seconds: number;
  statusCodes: Record<string, number>;
  /** Network errors and 30 s timeouts. */
  errors: number;
  /** Answers whose status the shape does not expect. */
  unexpected: number;
}

/**
 * `shape` at a steady offered rate (open loop): a request leaves every 1/`rate` s whether or not earlier ones have
 * answered, over at most `connections` keep-alive connections. Latency runs from the moment a request is due (so a
 * wait for a free connection counts) to the end of its answer; a network error or a 30 s timeout is an error; a
 * closed loop's latency is only its concurrency over its throughput, this one says how long a request takes while
 * the system carries `rate` of them. autocannon's own rate limit sends each second's quota back to back and then
 * pauses, which measures bursts rather than a steady load.
 */
export async function pacedRun(
  port: number,
  shape: RequestShape,
  seconds: number,
  rate: number,
  connections: number,
): Promise<PacedRun> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const samples: number[] = [];
  const statusCodes: Record<string, number> = {};
  const expect = shape.expect ?? [200];
  let errors = 0;
  let unexpected = 0;
  let sent = 0;
  let pending = 0;
  const total = Math.round(rate * seconds);
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const settle = () => {
      if (--pending === 0 && sent >= total) resolve();
    };
    const send = (due: number) => {
      const r = shape.next();
      const body = r.body === undefined ? undefined : JSON.stringify(r.body);
      pending++;
      let settled = false;
      /** Each request ends once: answered (`status`), or failed (a network error, a 30 s timeout). */
      const finish = (status: number | null, text?: string) => {
        if (settled) return;
        settled = true;
        if (status === null) errors++;
        else {
          samples.push(performance.now() - due);
          statusCodes[status] = (statusCodes[status] ?? 0) + 1;
          if (!expect.includes(status)) unexpected++;
          else if (shape.done) shape.done(JSON.parse(text ?? 'null'));
        }
        settle();
      };
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          path: r.path,
          method: r.method ?? 'GET',
          agent,
          headers: { ...r.headers, ...(body ? { 'content-type': 'application/json' } : {}) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', () => finish(null));
          res.on('end', () => finish(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8')));
        },
      );
      req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
      req.on('error', () => finish(null));
      req.end(body);
    };
    const tick = () => {
      const now = performance.now();
      // Request k is due at k / rate: sent at the first tick at or after that instant.
      const due = Math.min(total, Math.floor(((now - start) * rate) / 1000) + 1);
      while (sent < due) send(start + (sent++ * 1000) / rate);
      if (sent < total) setTimeout(tick, 1);
      else if (pending === 0) resolve();
    };
    tick();
  });
  const elapsed = (performance.now() - start) / 1000;
  agent.destroy();
  return { samples, seconds: elapsed, statusCodes, errors, unexpected };
}

/** `shape` at `rate` per second offered (pacedRun), as the percentiles the scenarios report. */
export async function measurePaced(
  port: number,
  shape: RequestShape,
  seconds: number,
  rate: number,
  connections: number,
): Promise<Measured & { unexpected: number; statusCodes: Record<string, number>; offered: number }> {
  const run = await pacedRun(port, shape, seconds, rate, connections);
  const sorted = Float64Array.from(run.samples).sort();
  return {
    requests: run.samples.length,
    perSecond: run.samples.length / run.seconds,
    offered: rate,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    errors: run.errors,
    non2xx: Object.entries(run.statusCodes)
      .filter(([s]) => !s.startsWith('2'))
      .reduce((n, [, c]) => n + c, 0),
    unexpected: run.unexpected,
    statusCodes: run.statusCodes,
  };
}
