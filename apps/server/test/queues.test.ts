import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  act,
  citizenSession,
  ENGINES,
  errorCode,
  login,
  registerAtCounter,
  type Session,
  startTestApp,
  type TestApp,
} from './helpers.js';

const KEYS = [
  'to_receive',
  'to_process',
  'waiting_citizen',
  'due_soon',
  'overdue',
  'to_return',
  'returned',
  'all',
];

interface Item {
  code: string;
  version: number;
  status: number;
  channel: string;
  applicantName: string;
  procedureCode: string;
  currentUnit: string;
  currentStep: { name: string; role: string } | null;
  assignee: { id: string; name: string } | null;
  dueAt: string | null;
  deadline: string | null;
}

describe.each(ENGINES)('work queues, batch approval and leader load on %s', (engine) => {
  let t: TestApp;
  let reception50: Session;
  let reception51: Session;
  let specialist50: Session;
  let chairman50: Session;
  let clerk50: Session;
  beforeAll(async () => {
    t = await startTestApp(engine);
    reception50 = await login(t.app, 'tiepnhan.50');
    reception51 = await login(t.app, 'tiepnhan.51');
    specialist50 = await login(t.app, 'tuphap.50');
    chairman50 = await login(t.app, 'chutich.50');
    clerk50 = await login(t.app, 'vanthu.50');
  });
  afterAll(async () => t?.close());

  const counts = async (s: Session, query = '') => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/queues${query}`,
      headers: { cookie: s.cookie },
    });
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as { key: string; label: string; labelEn: string; count: number }[];
    return Object.fromEntries(items.map((i) => [i.key, i.count])) as Record<string, number>;
  };
  const queue = async (s: Session, key: string, query: Record<string, string | number> = {}) => {
    const qs = new URLSearchParams(
      Object.entries({ limit: 200, ...query }).map(([k, v]): [string, string] => [k, String(v)]),
    );
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/queues/${key}?${qs}`,
      headers: { cookie: s.cookie },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { items: Item[]; total: number };
  };
  const codes = async (s: Session, key: string, query: Record<string, string | number> = {}) =>
    (await queue(s, key, query)).items.map((i) => i.code);
  /** A counter dossier at commune `commune` (status 1 without an outcome, 2 with `accept`). */
  const register = async (
    s: Session,
    commune: string,
    applicant: { name: string; idNumber: string },
    overrides: Record<string, unknown> = { outcome: { type: 'accept' } },
  ) => {
    const res = await registerAtCounter(t.app, s, commune, applicant, overrides);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { code: string; version: number; status: number };
  };
  /** Test fixture: moves a dossier's due date in force (column and state) as if time had passed. */
  const setDueAt = async (code: string, dueAt: Date) => {
    await sql`UPDATE dossiers SET due_at = ${dueAt},
        state = jsonb_set(state, '{dueAt}', to_jsonb(${dueAt.toISOString()}::text))
      WHERE code = ${code}`.execute(t.ctx.database.db);
  };

  it('lists the queues in the agreed order with Vietnamese and English labels', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/queues',
      headers: { cookie: reception50.cookie },
    });
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items;
    expect(items.map((i: { key: string }) => i.key)).toEqual(KEYS);
    expect(items.find((i: { key: string }) => i.key === 'overdue')).toMatchObject({
      label: 'Quá hạn',
      labelEn: 'Overdue',
    });
  });

  it('counts equal the lengths of the lists, for every officer and every queue', async () => {
    // Some work in every state: a new dossier, accepted ones, a supplement request, a finished one.
    await register(reception50, 'H41.50', { name: 'Phạm Văn Đếm', idNumber: '040090007001' }, {});
    const a = await register(reception50, 'H41.50', { name: 'Phạm Văn Đếm', idNumber: '040090007001' });
    const b = await register(reception50, 'H41.50', { name: 'Lê Thị Đủ', idNumber: '040090007002' });
    const sup = await act(t.app, specialist50, b.code, b.version, {
      type: 'request_supplement',
      reason: 'Thiếu bản vẽ thiết kế',
      items: ['Bản vẽ thiết kế'],
    });
    expect(sup.statusCode, sup.body).toBe(200);
    await setDueAt(a.code, new Date(Date.now() - 3_600_000));
    for (const s of [reception50, specialist50, chairman50, clerk50, reception51]) {
      const c = await counts(s);
      for (const key of KEYS) {
        const list = await queue(s, key);
        expect(list.total, `${key}`).toBe(c[key]);
        expect(list.items.length, `${key}`).toBe(Math.min(c[key]!, 200));
      }
      expect(c['all']).toBeGreaterThan(0);
    }
    const c = await counts(reception50);
    // The total comes with the page, and on its own when the page is empty (past the end), filtered or not.
    const all = c['all']!;
    expect(await queue(reception50, 'all', { offset: all - 1, limit: 1 })).toMatchObject({ total: all });
    expect(await queue(reception50, 'all', { offset: all })).toEqual({
      items: [],
      total: all,
      totalCapped: false,
    });
    const counter = await queue(reception50, 'all', { channel: 'counter' });
    expect(counter.total).toBe(counter.items.length);
    expect(await queue(reception50, 'all', { channel: 'counter', offset: 500 })).toMatchObject({
      items: [],
      total: counter.total,
    });
    expect(c['to_receive']).toBeGreaterThan(0);
    expect(c['waiting_citizen']).toBeGreaterThan(0);
    expect(c['overdue']).toBeGreaterThan(0);
  });

  it('never shows an officer of commune H41.50 a dossier of commune H41.51, in any queue', async () => {
    const other = await register(
      reception51,
      'H41.51',
      { name: 'Võ Thị Riêng', idNumber: '040090007010' },
      {},
    );
    const other2 = await register(reception51, 'H41.51', { name: 'Võ Thị Riêng', idNumber: '040090007010' });
    expect((await codes(reception51, 'to_receive')).includes(other.code)).toBe(true);
    expect((await codes(reception51, 'all')).includes(other2.code)).toBe(true);
    for (const s of [reception50, specialist50, chairman50, clerk50]) {
      for (const key of KEYS) {
        const { items } = await queue(s, key);
        for (const i of items) {
          expect(i.currentUnit, `${key} ${i.code}`).not.toBe('H41.51');
          expect(i.code.startsWith('H41.51-'), `${key} ${i.code}`).toBe(false);
        }
        expect(items.map((i) => i.code)).not.toContain(other.code);
        expect(items.map((i) => i.code)).not.toContain(other2.code);
      }
      // Asking for the other commune explicitly is refused.
      for (const url of ['/api/queues?unit=H41.51', '/api/queues/all?unit=H41.51']) {
        const res = await t.app.inject({ method: 'GET', url, headers: { cookie: s.cookie } });
        expect(res.statusCode, url).toBe(403);
        expect(errorCode(res)).toBe('FORBIDDEN');
      }
    }
    // A search for the other commune's code or applicant finds nothing either.
    expect(await codes(reception50, 'all', { q: other.code })).toEqual([]);
    expect(await codes(reception50, 'all', { q: 'vo thi rieng' })).toEqual([]);
    expect(await codes(reception51, 'all', { q: 'vo thi rieng' })).toEqual(
      expect.arrayContaining([other.code, other2.code]),
    );
  });

  it('moves a dossier from "to receive" (reception) to "to process" (specialist, head) when accepted', async () => {
    const d = await register(
      reception50,
      'H41.50',
      { name: 'Đinh Văn Chuyển', idNumber: '040090007020' },
      {},
    );
    expect(d.status).toBe(1);
    expect(await codes(reception50, 'to_receive')).toContain(d.code);
    expect(await codes(specialist50, 'to_receive')).not.toContain(d.code); // no reception role
    expect(await codes(specialist50, 'to_process')).not.toContain(d.code);
    const before = await counts(reception50);

    const accepted = await act(t.app, reception50, d.code, d.version, { type: 'accept' });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(await codes(reception50, 'to_receive')).not.toContain(d.code);
    expect((await counts(reception50))['to_receive']).toBe(before['to_receive']! - 1);
    expect(await codes(reception50, 'to_process')).not.toContain(d.code); // the specialist's step now
    const mine = (await queue(specialist50, 'to_process')).items.find((i) => i.code === d.code);
    expect(mine).toMatchObject({
      status: 2,
      currentUnit: 'H41.50',
      currentStep: { name: 'Thẩm định hồ sơ', role: 'specialist' },
      deadline: 'green',
      assignee: null,
    });
    expect(await codes(chairman50, 'to_process')).toContain(d.code); // a head sees every step of the unit
    expect(await codes(clerk50, 'to_process')).not.toContain(d.code);

    // Forwarded to the head's step, then the signer's, then the clerk's: it follows the step's role.
    const v2 = accepted.json().version;
    const fwd = await act(t.app, specialist50, d.code, v2, { type: 'forward' });
    expect(fwd.statusCode, fwd.body).toBe(200);
    expect(await codes(specialist50, 'to_process')).not.toContain(d.code);
    expect(await codes(chairman50, 'to_process')).toContain(d.code);
    const toClerk1 = await act(t.app, chairman50, d.code, v2 + 1, { type: 'forward' });
    const toClerk2 = await act(t.app, chairman50, d.code, v2 + 2, { type: 'forward' });
    expect([toClerk1.statusCode, toClerk2.statusCode]).toEqual([200, 200]);
    expect(await codes(clerk50, 'to_process')).toContain(d.code);
    // Finished: waits at the counter to be returned, then leaves every open queue.
    const done = await act(t.app, clerk50, d.code, v2 + 3, { type: 'finish', outcome: 'approved' });
    expect(done.statusCode, done.body).toBe(200);
    expect(await codes(clerk50, 'to_process')).not.toContain(d.code);
    expect(await codes(reception50, 'to_return')).toContain(d.code);
    const back = await act(t.app, reception50, d.code, v2 + 4, { type: 'return_result', method: 'counter' });
    expect(back.statusCode, back.body).toBe(200);
    expect(await codes(reception50, 'to_return')).not.toContain(d.code);
    expect(await codes(reception50, 'returned')).toContain(d.code);
  });

  it('puts a dossier within 1 working day of its due date in "due soon" and a late one in "overdue"', async () => {
    const soon = await register(reception50, 'H41.50', { name: 'Hồ Văn Sắp', idNumber: '040090007030' });
    const late = await register(reception50, 'H41.50', { name: 'Hồ Văn Trễ', idNumber: '040090007031' });
    const far = await register(reception50, 'H41.50', { name: 'Hồ Văn Xa', idNumber: '040090007032' });
    const clock = t.ctx.dossiers.clock('H41.50');
    const now = new Date();
    // Half a working day ahead on the working-day clock (it may be a weekend or a holiday today).
    await setDueAt(soon.code, clock.addWorkingDays(now, 0.5));
    await setDueAt(late.code, new Date(now.getTime() - 60_000));
    await setDueAt(far.code, clock.addWorkingDays(now, 3));

    const dueSoon = await queue(specialist50, 'due_soon');
    const overdue = await queue(specialist50, 'overdue');
    expect(dueSoon.items.map((i) => i.code)).toContain(soon.code);
    expect(dueSoon.items.map((i) => i.code)).not.toContain(late.code);
    expect(dueSoon.items.map((i) => i.code)).not.toContain(far.code);
    expect(overdue.items.map((i) => i.code)).toContain(late.code);
    expect(overdue.items.map((i) => i.code)).not.toContain(soon.code);
    expect(dueSoon.items.find((i) => i.code === soon.code)?.deadline).toBe('amber');
    expect(overdue.items.find((i) => i.code === late.code)?.deadline).toBe('red');
    expect((await queue(specialist50, 'all', { q: far.code })).items[0]?.deadline).toBe('green');
    // Soonest due first.
    const dues = overdue.items.map((i) => Date.parse(i.dueAt!));
    expect(dues).toEqual([...dues].sort((x, y) => x - y));
    // Nobody at the other commune sees them.
    expect(await codes(reception51, 'overdue')).not.toContain(late.code);

    // A paused dossier (waiting for a supplement) is neither due soon nor overdue: its clock stands still.
    const paused = await act(t.app, specialist50, late.code, late.version, {
      type: 'request_supplement',
      reason: 'Thiếu giấy tờ',
      items: ['Bản sao sổ đỏ'],
    });
    expect(paused.statusCode, paused.body).toBe(200);
    expect(await codes(specialist50, 'overdue')).not.toContain(late.code);
    expect(await codes(specialist50, 'waiting_citizen')).toContain(late.code);
  });

  it('filters by procedure, channel, period and a search without diacritics', async () => {
    const d = await register(reception50, 'H41.50', {
      name: 'Nguyễn Thị Hường Lọc',
      idNumber: '040090007040',
    });
    const p = await register(
      reception50,
      'H41.50',
      { name: 'Trương Đình Bưu', idNumber: '040090007041' },
      { outcome: { type: 'accept' }, channel: 'post' },
    );
    // Search: the name without diacritics, a part of it, the ID number, the code in lower case.
    expect(await codes(reception50, 'all', { q: 'huong loc' })).toEqual([d.code]);
    expect(await codes(reception50, 'all', { q: 'HƯỜNG LỌC' })).toEqual([d.code]);
    expect(await codes(reception50, 'all', { q: '040090007040' })).toEqual([d.code]);
    expect(await codes(reception50, 'all', { q: d.code.toLowerCase() })).toEqual([d.code]);
    expect(await codes(reception50, 'all', { q: 'truong dinh buu' })).toEqual([p.code]);
    expect(await codes(reception50, 'all', { q: '%' })).toEqual([]); // LIKE wildcards are literal
    // Channel.
    const post = await queue(reception50, 'all', { channel: 'post' });
    expect(post.items.map((i) => i.code)).toContain(p.code);
    expect(post.items.every((i) => i.channel === 'post')).toBe(true);
    expect(await codes(reception50, 'all', { channel: 'online', q: 'truong dinh buu' })).toEqual([]);
    // Procedure.
    const permit = await queue(reception50, 'all', { procedure: '1.013225', limit: 200 });
    expect(permit.items.every((i) => i.procedureCode === '1.013225')).toBe(true);
    expect(permit.items.map((i) => i.code)).toContain(d.code);
    expect(await codes(reception50, 'all', { procedure: '2.000528', q: d.code })).toEqual([]);
    // Period (submission date, Vietnam time): today includes it, yesterday and before do not.
    const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() + 7 * 3_600_000 - 86_400_000).toISOString().slice(0, 10);
    expect(await codes(reception50, 'all', { from: today, to: today, q: d.code })).toEqual([d.code]);
    expect(await codes(reception50, 'all', { to: yesterday, q: d.code })).toEqual([]);
    const old = await queue(reception50, 'all', { to: yesterday });
    expect(old.items.every((i) => !i.code.includes(today.replaceAll('-', '').slice(2)))).toBe(true);
    // Totals follow the filters.
    expect((await queue(reception50, 'all', { channel: 'post' })).total).toBe(post.total);
    // Bad filters are 400, not 500.
    for (const qs of ['from=2026-13-01', 'channel=fax', 'from=2026-12-02&to=2026-12-01', 'limit=0']) {
      const res = await t.app.inject({
        method: 'GET',
        url: `/api/queues/all?${qs}`,
        headers: { cookie: reception50.cookie },
      });
      expect(res.statusCode, qs).toBe(400);
      expect(errorCode(res)).toBe('VALIDATION_FAILED');
    }
  });

  it('refuses citizens, anonymous callers and unknown queues', async () => {
    const citizen = await citizenSession(t, '040090001234');
    const asCitizen = await t.app.inject({
      method: 'GET',
      url: '/api/queues',
      headers: { cookie: citizen.cookie },
    });
    expect(asCitizen.statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/queues/all' })).statusCode).toBe(401);
    const unknown = await t.app.inject({
      method: 'GET',
      url: '/api/queues/nope',
      headers: { cookie: reception50.cookie },
    });
    expect(unknown.statusCode).toBe(400);
    // An administrator has no dossier work: every queue is empty.
    const admin = await login(t.app, 'admin');
    expect(Object.values(await counts(admin)).every((n) => n === 0)).toBe(true);
  });

  it('approves a batch: the chairman forwards 3 dossiers in one call; a stale version fails alone', async () => {
    const ds = [];
    for (let i = 0; i < 3; i++) {
      ds.push(await register(reception50, 'H41.50', { name: `Lô Văn ${i}`, idNumber: `04009000705${i}` }));
    }
    const stale = ds[1]!;
    // Someone else changes the second dossier meanwhile.
    const comment = await act(t.app, specialist50, stale.code, stale.version, {
      type: 'comment',
      text: 'Đã xem',
    });
    expect(comment.statusCode, comment.body).toBe(200);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/dossiers/batch',
      headers: chairman50.headers,
      payload: {
        command: { type: 'forward', note: 'Duyệt hàng loạt' },
        items: ds.map((d) => ({ code: d.code, expectedVersion: d.version })),
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    const results = res.json().results;
    expect(results).toHaveLength(3);
    expect(results[0]).toMatchObject({ code: ds[0]!.code, ok: true, status: 4, version: ds[0]!.version + 1 });
    expect(results[1]).toMatchObject({ code: stale.code, ok: false, error: { code: 'VERSION_CONFLICT' } });
    expect(results[1].error.message).toContain('Hồ sơ vừa được người khác cập nhật');
    expect(results[2]).toMatchObject({ code: ds[2]!.code, ok: true, status: 4 });
    // The two that succeeded moved on (and are audited); the stale one did not.
    const steps = await sql<{ code: string; role: string | null; status: number }>`
      SELECT code, current_step_role AS role, status FROM dossiers
      WHERE code IN (${sql.join(ds.map((d) => d.code))}) ORDER BY code`.execute(t.ctx.database.db);
    const byCode = new Map(steps.rows.map((r) => [r.code, r]));
    expect(byCode.get(ds[0]!.code)).toMatchObject({ role: 'head', status: 4 });
    expect(byCode.get(stale.code)).toMatchObject({ role: 'specialist', status: 2 });
    expect(byCode.get(ds[2]!.code)).toMatchObject({ role: 'head', status: 4 });
    const audit = await t.ctx.database.db
      .selectFrom('audit_log')
      .select('entity_id')
      .where('action', '=', 'dossier.forward')
      .where(
        'entity_id',
        'in',
        ds.map((d) => d.code),
      )
      .execute();
    expect(audit.map((a) => a.entity_id).sort()).toEqual([ds[0]!.code, ds[2]!.code].sort());

    // Per-item errors: another commune's dossier (not found for this officer), a bad code.
    const other = await register(reception51, 'H41.51', { name: 'Lô Thị Khác', idNumber: '040090007059' });
    const mixed = await t.app.inject({
      method: 'POST',
      url: '/api/dossiers/batch',
      headers: chairman50.headers,
      payload: {
        command: { type: 'forward' },
        items: [
          { code: other.code, expectedVersion: other.version },
          { code: 'not-a-code', expectedVersion: 1 },
          { code: stale.code, expectedVersion: stale.version + 1 },
        ],
      },
    });
    expect(mixed.statusCode, mixed.body).toBe(200);
    expect(
      mixed.json().results.map((r: { ok: boolean; error?: { code: string } }) => r.error?.code ?? 'ok'),
    ).toEqual(['DOSSIER_NOT_FOUND', 'DOSSIER_CODE_INVALID', 'ok']);

    // Only heads and signers approve in batches; the body is checked as a whole.
    const asReception = await t.app.inject({
      method: 'POST',
      url: '/api/dossiers/batch',
      headers: reception50.headers,
      payload: { command: { type: 'forward' }, items: [{ code: ds[0]!.code, expectedVersion: 2 }] },
    });
    expect(asReception.statusCode).toBe(403);
    for (const payload of [
      { command: { type: 'forward' }, items: [] },
      { command: { type: 'refuse', reason: 'abc' }, items: [{ code: ds[0]!.code, expectedVersion: 1 }] },
      {
        command: { type: 'forward' },
        items: Array.from({ length: 51 }, (_, i) => ({
          code: `H41.50-261201-${1000 + i}`,
          expectedVersion: 1,
        })),
      },
      {
        command: { type: 'forward' },
        items: [
          { code: ds[0]!.code, expectedVersion: 1 },
          { code: ds[0]!.code, expectedVersion: 2 },
        ],
      },
    ]) {
      const bad = await t.app.inject({
        method: 'POST',
        url: '/api/dossiers/batch',
        headers: chairman50.headers,
        payload,
      });
      expect(bad.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(400);
      expect(errorCode(bad)).toBe('VALIDATION_FAILED');
    }
    // A cookie session without the CSRF header cannot write.
    const noCsrf = await t.app.inject({
      method: 'POST',
      url: '/api/dossiers/batch',
      headers: { cookie: chairman50.cookie },
      payload: { command: { type: 'forward' }, items: [{ code: ds[0]!.code, expectedVersion: 2 }] },
    });
    expect(noCsrf.statusCode).toBe(403);
  });

  it("shows a head the unit's load and lateness and each officer's open work", async () => {
    const d = await register(reception50, 'H41.50', { name: 'Mai Văn Tải', idNumber: '040090007060' });
    const specialistId = (
      await t.ctx.database.db
        .selectFrom('officers')
        .select('id')
        .where('username', '=', 'tuphap.50')
        .executeTakeFirstOrThrow()
    ).id;
    const assigned = await act(t.app, chairman50, d.code, d.version, {
      type: 'assign',
      assignee: specialistId,
    });
    expect(assigned.statusCode, assigned.body).toBe(200);
    await setDueAt(d.code, new Date(Date.now() - 60_000));

    const res = await t.app.inject({
      method: 'GET',
      url: '/api/leader/load',
      headers: { cookie: chairman50.cookie },
    });
    expect(res.statusCode, res.body).toBe(200);
    const load = res.json();
    expect(load.unit).toBe('H41.50');
    const unit = load.units.find((u: { code: string }) => u.code === 'H41.50');
    // The same numbers straight from the table.
    const truth = await sql<{ open: number; overdue: number }>`
      SELECT count(*)::int AS open,
             count(*) FILTER (WHERE status IN (2, 4) AND due_at <= now())::int AS overdue
      FROM dossiers d JOIN units u ON u.id = d.current_unit_id
      WHERE u.code = 'H41.50' AND status IN (1, 2, 4, 5, 6)`.execute(t.ctx.database.db);
    expect(unit.open).toBe(truth.rows[0]!.open);
    expect(unit.overdue).toBe(truth.rows[0]!.overdue);
    expect(unit.overdue).toBeGreaterThan(0);
    expect(load.units.map((u: { code: string }) => u.code)).not.toContain('H41.51');
    const me = load.officers.find((o: { id: string }) => o.id === specialistId);
    expect(me.open).toBeGreaterThanOrEqual(1);
    expect(me.overdue).toBeGreaterThanOrEqual(1);
    expect(load.officers.map((o: { name: string }) => o.name)).not.toContain('');

    // The year so far: finished dossiers counted as on time or late (from the demo data and the tests above).
    const year = (
      await t.app.inject({
        method: 'GET',
        url: '/api/leader/load?unit=H41.50&from=2025-12-01&to=2026-12-31',
        headers: { cookie: chairman50.cookie },
      })
    ).json();
    const y = year.units.find((u: { code: string }) => u.code === 'H41.50');
    expect(y.finished).toBeGreaterThan(0);
    expect(y.onTime + y.late).toBe(y.finished);

    // The province leader watches any unit; reception officers and other communes' heads do not.
    const leader = await login(t.app, 'lanhdao');
    const asLeader = await t.app.inject({
      method: 'GET',
      url: '/api/leader/load?unit=H41.50',
      headers: { cookie: leader.cookie },
    });
    expect(asLeader.statusCode, asLeader.body).toBe(200);
    expect(asLeader.json().units.find((u: { code: string }) => u.code === 'H41.50').open).toBe(unit.open);
    for (const [s, url] of [
      [reception50, '/api/leader/load'],
      [chairman50, '/api/leader/load?unit=H41.51'],
      [specialist50, '/api/leader/load?unit=H41.50'],
    ] as const) {
      const r = await t.app.inject({ method: 'GET', url, headers: { cookie: s.cookie } });
      expect(r.statusCode, url).toBe(403);
    }
    // After everything these tests did (create, accept, forward, supplement, finish, return, fixtures), the count
    // table kept by the trigger equals a count of the dossiers themselves.
    const drift = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM (
        SELECT current_unit_id, receiving_unit_id, competent_unit_id, status, coalesce(current_step_role, '') AS r,
               dossier_returned_on(status, returned_at) AS ret, count(*) AS n
        FROM dossiers GROUP BY 1, 2, 3, 4, 5, 6
      ) a FULL JOIN (SELECT * FROM dossier_queue_counts WHERE n <> 0) c
        ON (c.current_unit_id, c.receiving_unit_id, c.competent_unit_id, c.status, c.step_role, c.returned_on)
         = (a.current_unit_id, a.receiving_unit_id, a.competent_unit_id, a.status, a.r, a.ret)
      WHERE a.n IS DISTINCT FROM c.n`.execute(t.ctx.database.db);
    expect(drift.rows[0]!.n).toBe(0);
    const bad = await t.app.inject({
      method: 'GET',
      url: '/api/leader/load?from=2026-12-02&to=2026-12-01',
      headers: { cookie: chairman50.cookie },
    });
    expect(bad.statusCode).toBe(400);
  });
});
