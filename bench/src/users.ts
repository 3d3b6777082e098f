/**
 * Simulated users for the mixed and spike scenarios (scenarios.ts): each user is a loop "think, then do one task"
 * over its own keep-alive connection (node:http), so the load is what N people generate, not what a closed loop of
 * N connections can push. The number of users follows a schedule (the spike raises it for a while); users above the
 * current target finish their task and stop.
 *
 * Every answer is checked against the statuses its task expects: anything else (a 5xx, a 429, a 409 the task did not
 * expect, a network error or a timeout) counts as an error and is kept by name and status for the report.
 */
import http from 'node:http';
import { percentile } from './common.js';

export interface Task {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** Statuses that count as success (default: 200). */
  expect?: number[];
  /** Called with the parsed JSON body of a successful answer. */
  done?: (body: unknown) => void;
}

export interface UserKind {
  name: string;
  /** Share of the users of this kind (the shares are normalised). */
  share: number;
  /** The next task of user number `user` (stable per user: users may keep their own state by number). */
  next(user: number): Task;
}

export interface Phase {
  name: string;
  seconds: number;
  users: number;
}

interface Sample {
  phase: number;
  task: string;
  ms: number;
  ok: boolean;
  status: number | 'network' | 'timeout';
}

export interface PhaseResult {
  phase: string;
  users: number;
  seconds: number;
  requests: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  errors: number;
  errorsByKind: Record<string, number>;
  tasks: Record<string, { requests: number; p50: number; p95: number; p99: number; errors: number }>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function summarise(samples: Sample[]) {
  const sorted = Float64Array.from(samples.map((s) => s.ms)).sort();
  return {
    requests: samples.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    errors: samples.filter((s) => !s.ok).length,
  };
}

/** One request; resolves with its status and parsed body (JSON when it parses). */
function send(
  agent: http.Agent,
  port: number,
  task: Task,
  timeoutMs: number,
): Promise<{ status: number | 'network' | 'timeout'; body: unknown }> {
  const payload = task.body === undefined ? undefined : Buffer.from(JSON.stringify(task.body));
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: task.method,
        path: task.path,
        agent,
        headers: {
          ...task.headers,
          ...(payload
            ? { 'content-type': 'application/json', 'content-length': String(payload.length) }
            : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          let body: unknown = null;
          try {
            body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            body = null;
          }
          resolve({ status: res.statusCode ?? 0, body });
        });
        res.on('error', () => resolve({ status: 'network', body: null }));
      },
    );
    req.setTimeout(timeoutMs, () => {
      req.destroy();
      resolve({ status: 'timeout', body: null });
    });
    req.on('error', () => resolve({ status: 'network', body: null }));
    if (payload) req.write(payload);
    req.end();
  });
}

/**
 * Runs the users through the phases one after the other (the user count changes at each phase boundary) and
 * returns one result per phase. `thinkMs` is the range of the uniform pause before each task.
 */
export async function runUsers(opts: {
  port: number;
  kinds: UserKind[];
  phases: Phase[];
  thinkMs: [number, number];
  timeoutMs?: number;
  onPhase?: (phase: Phase) => void;
}): Promise<PhaseResult[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
  const total = opts.kinds.reduce((a, k) => a + k.share, 0);
  // User number → kind, interleaved so that any prefix of users has the same mix.
  const kindOf = (user: number): UserKind => {
    let x = ((user * 0.6180339887) % 1) * total;
    for (const k of opts.kinds) {
      if (x < k.share) return k;
      x -= k.share;
    }
    return opts.kinds[opts.kinds.length - 1]!;
  };
  const samples: Sample[] = [];
  let phase = 0;
  let target = 0;
  let running = 0;
  let stopped = false;
  const [thinkMin, thinkMax] = opts.thinkMs;

  const user = async (n: number) => {
    running++;
    const kind = kindOf(n);
    // The first pause is spread over the think range so that users do not start in step.
    await sleep(Math.random() * thinkMax);
    while (!stopped && n < target) {
      const task = kind.next(n);
      const p = phase;
      const t = performance.now();
      const r = await send(agent, opts.port, task, opts.timeoutMs ?? 30_000);
      const ms = performance.now() - t;
      const ok = typeof r.status === 'number' && (task.expect ?? [200]).includes(r.status);
      samples.push({ phase: p, task: `${kind.name}: ${task.name}`, ms, ok, status: r.status });
      if (ok) task.done?.(r.body);
      await sleep(thinkMin + Math.random() * (thinkMax - thinkMin));
    }
    running--;
  };

  const started = new Set<number>();
  const seconds: number[] = [];
  for (let i = 0; i < opts.phases.length; i++) {
    const ph = opts.phases[i]!;
    phase = i;
    target = ph.users;
    opts.onPhase?.(ph);
    for (let n = 0; n < target; n++) {
      if (started.has(n)) continue;
      started.add(n);
      void user(n).finally(() => started.delete(n));
    }
    const t0 = performance.now();
    await sleep(ph.seconds * 1000);
    seconds.push((performance.now() - t0) / 1000);
  }
  // Requests still in flight are counted in the phase that sent them.
  stopped = true;
  while (running > 0) await sleep(50);
  const results: PhaseResult[] = opts.phases.map((ph, i) => {
    const mine = samples.filter((s) => s.phase === i);
    const byTask = new Map<string, Sample[]>();
    const errorsByKind: Record<string, number> = {};
    for (const s of mine) {
      const list = byTask.get(s.task) ?? [];
      list.push(s);
      byTask.set(s.task, list);
      const key = `${s.task} → ${s.status}`;
      if (!s.ok) errorsByKind[key] = (errorsByKind[key] ?? 0) + 1;
    }
    return {
      phase: ph.name,
      users: ph.users,
      seconds: seconds[i]!,
      ...summarise(mine),
      perSecond: mine.length / seconds[i]!,
      errorsByKind,
      tasks: Object.fromEntries([...byTask].sort().map(([k, v]) => [k, summarise(v)])),
    };
  });
  agent.destroy();
  return results;
}
