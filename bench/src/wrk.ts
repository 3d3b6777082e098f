/**
 * GET scenarios measured with wrk (C, LuaJIT) instead of autocannon (Node). On a 2-core machine the load generator
 * shares the cores with the server and PostgreSQL: outside those two, a lookup cost 42–52 µs of CPU with wrk and
 * 74–90 µs with autocannon (docs/benchmarks.md), so wrk leaves more of the machine to what is measured. The request list is drawn from the shape beforehand
 * (`next()` called `requests` times) and cycled by every connection; latencies are wrk's (per request, closed loop,
 * like autocannon). wrk counts the answers whose status is not 2xx or 3xx: every GET shape expects 200 (a Lua
 * `response` callback per answer would count each status, at a CPU cost that defeats the purpose).
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Measured, RequestShape } from './http.js';

/** The wrk binary on PATH, or null. */
export function findWrk(): string | null {
  const which = spawnSync('sh', ['-c', 'command -v wrk'], { encoding: 'utf8' });
  return which.status === 0 && which.stdout.trim() ? which.stdout.trim() : null;
}

/** A Lua string literal: printable ASCII as is, every other UTF-8 byte as a three-digit decimal escape. */
const luaString = (s: string) =>
  `"${[...Buffer.from(s, 'utf8')]
    .map((b) =>
      b >= 0x20 && b <= 0x7e && b !== 0x22 && b !== 0x5c
        ? String.fromCharCode(b)
        : `\\${String(b).padStart(3, '0')}`,
    )
    .join('')}"`;

/**
 * The Lua script: a request list, formatted once per thread and cycled (each thread from its own offset), a JSON line
 * at the end.
 */
export function wrkScript(requests: { path: string; headers?: Record<string, string> }[]): string {
  const list = requests
    .map((r) => {
      const headers = Object.entries(r.headers ?? {})
        .map(([k, v]) => `[${luaString(k)}]=${luaString(v)}`)
        .join(',');
      return `{${luaString(r.path)},{${headers}}}`;
    })
    .join(',\n');
  return `local list = {
${list}
}
local i = 0
local formatted = {}
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("offset", #threads * 7919)
end
function init(args)
  i = offset or 0
  for k, r in ipairs(list) do formatted[k] = wrk.format("GET", r[1], r[2]) end
end
function request()
  i = i + 1
  return formatted[(i % #formatted) + 1]
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK {"requests":%d,"durationUs":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,' ..
    '"p50":%d,"p95":%d,"p99":%d,"max":%d}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
`;
}

/**
 * `shape` (GET only) flat out for `seconds` over `connections` connections with wrk (`threads` threads), cycling
 * `requests` requests (default 20,000, as many as the lookup's sample of codes) drawn from the shape. `errors` counts socket errors and timeouts, `unexpected` the answers whose
 * status is not 2xx/3xx (a shape must expect 200 only).
 */
export async function measureWrk(
  port: number,
  shape: RequestShape,
  seconds: number,
  connections: number,
  opts: { requests?: number; threads?: number; wrk?: string } = {},
): Promise<Measured & { unexpected: number; statusCodes: Record<string, number> }> {
  const bin = opts.wrk ?? findWrk();
  if (!bin) throw new Error('wrk is not installed (Debian package wrk)');
  const drawn = Array.from({ length: opts.requests ?? 20000 }, () => shape.next());
  if (drawn.some((r) => (r.method ?? 'GET') !== 'GET' || r.body !== undefined))
    throw new Error(`${shape.name}: wrk measures GET requests only`);
  if (shape.expect && shape.expect.join() !== '200') throw new Error(`${shape.name}: wrk expects 200 only`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tinhso-wrk-'));
  const script = path.join(dir, 'shape.lua');
  writeFileSync(script, wrkScript(drawn));
  const threads = String(Math.min(opts.threads ?? 1, connections));
  const args = [
    '-t',
    threads,
    '-c',
    String(connections),
    '-d',
    `${seconds}s`,
    '--timeout',
    '10s',
    '-s',
    script,
  ];
  try {
    const out = await new Promise<string>((resolve, reject) =>
      execFile(bin, [...args, `http://127.0.0.1:${port}`], { maxBuffer: 1 << 20 }, (err, stdout, stderr) =>
        err ? reject(new Error(`wrk: ${err.message}\n${stderr}`)) : resolve(stdout),
      ),
    );
    const line = /^WRK (.*)$/m.exec(out)?.[1];
    if (!line) throw new Error(`wrk printed no result:\n${out}`);
    const r = JSON.parse(line) as {
      requests: number;
      durationUs: number;
      connect: number;
      read: number;
      write: number;
      status: number;
      timeout: number;
      p50: number;
      p95: number;
      p99: number;
      max: number;
    };
    const unexpected = r.status;
    return {
      requests: r.requests,
      perSecond: r.requests / (r.durationUs / 1e6),
      p50: r.p50 / 1000,
      p95: r.p95 / 1000,
      p99: r.p99 / 1000,
      max: r.max / 1000,
      errors: r.connect + r.read + r.write + r.timeout,
      non2xx: r.status,
      unexpected,
      statusCodes: { '2xx/3xx': r.requests - r.status, other: r.status },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
