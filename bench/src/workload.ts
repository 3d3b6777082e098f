/**
 * What the load scenarios ask (scenarios.ts): real dossier codes, communes and procedures read from the benchmark
 * database, the accounts to log in, the request shapes of the flat-out scenarios and the simulated users of the
 * mixed and spike scenarios.
 *
 * Writes: counter submissions (procedure 1.013225, accepted in the same request, each with its own
 * Idempotency-Key) and comments on dossiers of the officer's commune with the version last seen. A dossier being
 * commented is taken out of its commune's pool until the answer comes back, so two users never race on one version.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { SEARCH_QUERIES } from './common.js';
import type { RequestShape } from './http.js';
import type { Task, UserKind } from './users.js';

export type Session = { cookie: string; csrf: string };

interface Target {
  code: string;
  version: number;
}

const suffix = (unit: string) => unit.split('.').slice(1).join('');
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;

export async function workload(db: pg.Pool) {
  const { rows: codeRows } = await db.query<{ code: string }>(
    `SELECT code FROM dossiers TABLESAMPLE BERNOULLI (3) REPEATABLE (42) ORDER BY md5(code) LIMIT 20000`,
  );
  const codes = codeRows.map((r) => r.code);
  // Citizens mostly look up dossiers still in progress or just returned: the last 30 days' dossiers.
  const { rows: recentRows } = await db.query<{ code: string }>(
    `SELECT code FROM dossiers WHERE received_at > (SELECT max(received_at) FROM dossiers) - interval '30 days'
      ORDER BY md5(code) LIMIT 20000`,
  );
  const recent = recentRows.map((r) => r.code);
  const { rows: units } = await db.query<{ code: string }>(
    `SELECT code FROM units WHERE level = 'commune' AND code ~ '^H41\\.5[0-9]$' ORDER BY code`,
  );
  const communes = units.map((u) => u.code);
  const { rows: procedureRows } = await db.query<{ code: string }>(
    `SELECT DISTINCT code FROM procedures ORDER BY code`,
  );
  const procedures = procedureRows.map((p) => p.code);
  const run = randomUUID().slice(0, 8);
  // Dossiers decided by each commune, in random order, with their current version.
  const pools = new Map<string, Target[]>();
  for (const commune of communes) {
    const { rows } = await db.query<{ code: string; version: number }>(
      `SELECT code, version FROM dossiers
        WHERE competent_unit_id = (SELECT id FROM units WHERE code = $1)
        ORDER BY md5(code || $2) LIMIT 5000`,
      [commune, run],
    );
    pools.set(commune, rows);
  }
  const { rows: yearRows } = await db.query<{ month: string }>(
    `SELECT to_char(max(received_at) AT TIME ZONE 'Asia/Ho_Chi_Minh' - interval '1 month', 'YYYY-MM') AS month
       FROM dossiers`,
  );
  const month = yearRows[0]!.month;
  const year = month.slice(0, 4);
  let serial = 0;

  const usernames = ['lanhdao', ...communes.flatMap((c) => [`tiepnhan.${suffix(c)}`, `tuphap.${suffix(c)}`])];
  const auth = (s: Session) => ({ cookie: s.cookie, 'x-csrf-token': s.csrf });

  const submission = (commune: string) => {
    const i = serial++;
    return {
      key: `load-${run}-${i}`,
      body: {
        procedureCode: '1.013225',
        channel: 'counter',
        competentUnit: commune,
        applicant: {
          name: `Người Thử Tải ${i}`,
          idNumber: `0400${String(10_000_000 + ((i * 7919) % 89_999_999)).padStart(8, '0')}`,
        },
        outcome: { type: 'accept' },
      },
    };
  };
  const takeTarget = (commune: string): Target | undefined => pools.get(commune)!.shift();
  const giveBack = (commune: string, body: unknown) => {
    const b = body as { code?: string; version?: number };
    if (b.code && typeof b.version === 'number')
      pools.get(commune)!.push({ code: b.code, version: b.version });
  };

  function shapes(sessions: Map<string, Session>): Record<string, RequestShape[]> {
    const officer = (role: 'tiepnhan' | 'tuphap', c: string) => sessions.get(`${role}.${suffix(c)}`)!;
    const leader = sessions.get('lanhdao')!;
    let i = 0;
    const commune = () => communes[i++ % communes.length]!;
    const busiest = communes[communes.length - 1]!;
    return {
      lookup: [
        { name: 'public lookup by code', next: () => ({ path: `/api/lookup/${codes[i++ % codes.length]}` }) },
        {
          name: 'public lookup, dossiers of the last 30 days',
          next: () => ({ path: `/api/lookup/${recent[i++ % recent.length]}` }),
        },
      ],
      search: [
        {
          name: 'procedure search',
          next: () => ({
            path: `/api/procedures?q=${encodeURIComponent(SEARCH_QUERIES[i++ % SEARCH_QUERIES.length]!)}`,
          }),
        },
      ],
      queue: [
        {
          name: 'officer queue page (own commune, to process)',
          next: () => {
            const c = commune();
            return { path: `/api/queues/to_process?unit=${c}&limit=20`, headers: auth(officer('tuphap', c)) };
          },
        },
      ],
      dashboard: [
        {
          name: `dashboard: a commune, month ${month}`,
          next: () => ({ path: `/api/indicators?unit=${commune()}&period=${month}`, headers: auth(leader) }),
        },
        {
          name: `dashboard: province, year ${year}`,
          next: () => ({ path: `/api/indicators?unit=H41&period=${year}`, headers: auth(leader) }),
        },
      ],
      submit: [
        {
          name: 'counter submission (accepted at once)',
          expect: [201],
          next: () => {
            const c = commune();
            const s = submission(c);
            return {
              method: 'POST',
              path: '/api/dossiers',
              headers: { ...auth(officer('tiepnhan', c)), 'idempotency-key': s.key },
              body: s.body,
            };
          },
        },
      ],
      action: [
        {
          name: `action: a comment on a dossier (${busiest})`,
          next: () => {
            const t = takeTarget(busiest);
            if (!t) throw new Error(`no dossier left to comment in ${busiest}`);
            return {
              method: 'POST',
              path: `/api/dossiers/${t.code}/actions`,
              headers: auth(officer('tuphap', busiest)),
              body: {
                expectedVersion: t.version,
                command: { type: 'comment', text: `Ghi chú thử tải ${serial++}` },
              },
            };
          },
          done: (body) => giveBack(busiest, body),
        },
      ],
    };
  }

  /** Citizens (anonymous), officers of the communes, the province's leader. */
  function users(sessions: Map<string, Session>): UserKind[] {
    const communeOf = (user: number) => communes[user % communes.length]!;
    const citizen: UserKind = {
      name: 'citizen',
      share: 65,
      next: (): Task => {
        const x = Math.random();
        if (x < 0.35)
          return {
            name: 'search',
            method: 'GET',
            path: `/api/procedures?q=${encodeURIComponent(pick(SEARCH_QUERIES))}`,
          };
        if (x < 0.55)
          return { name: 'procedure', method: 'GET', path: `/api/procedures/${pick(procedures)}` };
        if (x < 0.9) return { name: 'lookup', method: 'GET', path: `/api/lookup/${pick(codes)}` };
        return { name: 'transparency', method: 'GET', path: '/api/public/transparency' };
      },
    };
    const officer: UserKind = {
      name: 'officer',
      share: 28,
      next: (user): Task => {
        const c = communeOf(user);
        const s = sessions.get(`tuphap.${suffix(c)}`)!;
        const x = Math.random();
        if (x < 0.4)
          return {
            name: 'queue page',
            method: 'GET',
            path: `/api/queues/to_process?unit=${c}&limit=20`,
            headers: auth(s),
          };
        if (x < 0.55)
          return { name: 'queue counts', method: 'GET', path: `/api/queues?unit=${c}`, headers: auth(s) };
        if (x < 0.75) {
          const t = pick(pools.get(c)!);
          return { name: 'dossier', method: 'GET', path: `/api/dossiers/${t.code}`, headers: auth(s) };
        }
        if (x < 0.9) {
          const t = takeTarget(c);
          if (!t)
            return {
              name: 'queue page',
              method: 'GET',
              path: `/api/queues/to_process?unit=${c}&limit=20`,
              headers: auth(s),
            };
          return {
            name: 'comment',
            method: 'POST',
            path: `/api/dossiers/${t.code}/actions`,
            headers: auth(s),
            body: {
              expectedVersion: t.version,
              command: { type: 'comment', text: `Ghi chú thử tải ${serial++}` },
            },
            done: (body) => giveBack(c, body),
          };
        }
        const sub = submission(c);
        return {
          name: 'counter submission',
          method: 'POST',
          path: '/api/dossiers',
          headers: { ...auth(sessions.get(`tiepnhan.${suffix(c)}`)!), 'idempotency-key': sub.key },
          body: sub.body,
          expect: [201],
        };
      },
    };
    const leader: UserKind = {
      name: 'leader',
      share: 7,
      next: (user): Task => {
        const s = sessions.get('lanhdao')!;
        const x = Math.random();
        if (x < 0.4)
          return {
            name: 'commune month',
            method: 'GET',
            path: `/api/indicators?unit=${communeOf(user)}&period=${month}`,
            headers: auth(s),
          };
        if (x < 0.6)
          return {
            name: 'province month',
            method: 'GET',
            path: `/api/indicators?unit=H41&period=${month}`,
            headers: auth(s),
          };
        if (x < 0.8)
          return {
            name: 'at risk',
            method: 'GET',
            path: `/api/indicators/at-risk?unit=${communeOf(user)}&limit=20`,
            headers: auth(s),
          };
        return {
          name: 'ranking',
          method: 'GET',
          path: `/api/indicators/ranking?level=commune&period=${month}`,
          headers: auth(s),
        };
      },
    };
    return [citizen, officer, leader];
  }

  return { codes, communes, usernames, shapes, users, month };
}
