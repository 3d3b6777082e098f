import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  act,
  citizenSession,
  ENGINES,
  errorCode,
  login,
  type Session,
  startTestApp,
  type TestApp,
} from './helpers.js';

const PERMIT = '1.013225'; // Cấp giấy phép xây dựng … cấp III, cấp IV — commune level, 5 workflow steps
const LAND = '1.013978'; // Đăng ký đất đai … lần đầu — commune level; steps 3 and 4 at two departments (liên thông)
const applicant = { name: 'Nguyễn Văn Minh', idNumber: '040090001234', phone: '0912345678' };

describe.each(ENGINES)('dossier lifecycle through the API on %s', (engine) => {
  let t: TestApp;
  let reception: Session;
  let specialist: Session;
  let chairman: Session;
  let clerk: Session;
  beforeAll(async () => {
    t = await startTestApp(engine);
    reception = await login(t.app, 'tiepnhan.50');
    specialist = await login(t.app, 'tuphap.50');
    chairman = await login(t.app, 'chutich.50');
    clerk = await login(t.app, 'vanthu.50');
  });
  afterAll(async () => t?.close());

  const register = (s: Session, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/api/dossiers',
      headers: { ...s.headers, ...headers },
      payload: { procedureCode: PERMIT, channel: 'counter', applicant, competentUnit: 'H41.50', ...body },
    });
  const get = (s: Session, code: string) =>
    t.app.inject({ method: 'GET', url: `/api/dossiers/${code}`, headers: { cookie: s.cookie } });
  const count = async () =>
    Number(
      (
        await t.ctx.database.db
          .selectFrom('dossiers')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('registers at the counter, routes through every step and returns the result', async () => {
    const res = await register(reception, {
      outcome: { type: 'accept' },
      components: [{ code: 'TP01', provided: true, digitized: true }],
    });
    expect(res.statusCode, res.body).toBe(201);
    let d = res.json();
    expect(d.code).toMatch(/^H41\.50-\d{6}-\d{4}$/);
    expect(d.status).toBe(2);
    expect(d.state.dueAt).toBeTruthy();
    // Its id is time-ordered (UUID version 7, ADR 0009): the first 48 bits are the submission's milliseconds.
    const row = await t.ctx.database.db
      .selectFrom('dossiers')
      .select(['id', 'submitted_at'])
      .where('code', '=', d.code)
      .executeTakeFirstOrThrow();
    expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Number.parseInt(row.id.replace('-', '').slice(0, 12), 16)).toBe(row.submitted_at.getTime());
    // The receptionist's part is done; the specialist acts next. No apology offered: the due date is far away.
    expect(d.availableActions).toEqual(['withdraw', 'comment']);

    const asSpecialist = (await get(specialist, d.code)).json();
    expect(asSpecialist.availableActions).toEqual(expect.arrayContaining(['forward', 'request_supplement']));
    d = (await act(t.app, specialist, d.code, d.version, { type: 'forward', note: 'Hồ sơ hợp lệ' })).json();
    expect(d.status).toBe(4);
    d = (await act(t.app, chairman, d.code, d.version, { type: 'forward' })).json();
    d = (await act(t.app, chairman, d.code, d.version, { type: 'forward' })).json();
    expect(d.state.steps.at(-1).role).toBe('clerk');
    const finished = await act(t.app, clerk, d.code, d.version, { type: 'finish', outcome: 'approved' });
    expect(finished.statusCode, finished.body).toBe(200);
    d = finished.json();
    expect(d.status).toBe(9);
    d = (await act(t.app, reception, d.code, d.version, { type: 'return_result', method: 'counter' })).json();
    expect(d.status).toBe(10);

    const full = (await get(reception, d.code)).json();
    expect(full.actions.map((a: { type: string }) => a.type)).toEqual([
      'submit',
      'accept',
      'forward',
      'forward',
      'forward',
      'finish',
      'return_result',
    ]);
    expect(full.actions.every((a: { actor_name: string }) => a.actor_name.length > 0)).toBe(true);
    expect(full.state.steps.map((s: { timing: string }) => s.timing)).not.toContain(null);
    const lookup = (await t.app.inject({ method: 'GET', url: `/api/lookup/${d.code}` })).json();
    expect(lookup.statusLabel).toBe('Đã trả kết quả');
  });

  it('takes online submissions from citizens, checking the e-form on the server', async () => {
    const citizen = await citizenSession(t, '040090001234');
    const { definition } = (await t.app.inject({ method: 'GET', url: '/api/procedures/1.001193' })).json();
    expect(definition.eform).not.toBeNull();
    const fields = definition.eform.sections.flatMap(
      (sec: { fields: { name: string; type: string; required: boolean; options?: string[] }[] }) =>
        sec.fields,
    );
    const sample: Record<string, string> = {
      personalId: '040090001234',
      date: '2026-11-01',
      phone: '0912345678',
      email: 'minh@example.vn',
    };
    const formData = Object.fromEntries(
      fields
        .filter((f: { required: boolean }) => f.required)
        .map((f: { name: string; type: string; options?: string[] }) => [
          f.name,
          f.options?.[0] ?? sample[f.type] ?? 'Nguyễn Văn An',
        ]),
    );
    const submit = (data: Record<string, unknown>) =>
      t.app.inject({
        method: 'POST',
        url: '/api/dossiers',
        headers: citizen.headers,
        payload: {
          procedureCode: '1.001193',
          channel: 'online',
          competentUnit: 'H41.50',
          applicant,
          formData: data,
        },
      });
    const bad = await submit({ ...formData, [fields[0].name]: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.issues[0]).toMatchObject({ field: fields[0].name, code: 'required' });
    const res = await submit(formData);
    expect(res.statusCode, res.body).toBe(201);
    const d = res.json();
    expect(d.status).toBe(1);
    expect(d.availableActions).toEqual(['withdraw']);
    const accepted = await act(t.app, reception, d.code, d.version, { type: 'accept' });
    expect(accepted.json().status).toBe(2);
    expect(accepted.json().state.paperTransferDueAt).toBeNull();
  });

  it('gives a paper dossier handed to a department its transfer deadline (15:00 rule)', async () => {
    const centre = await login(t.app, 'tiepnhan');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/dossiers',
      headers: centre.headers,
      payload: {
        procedureCode: '3.000333',
        channel: 'counter',
        applicant,
        outcome: { type: 'accept' },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const s = res.json().state;
    expect(s.receivingUnit).toBe('H41.02');
    expect(s.competentUnit).toBe('H41.11');
    expect(Date.parse(s.paperTransferDueAt)).toBeGreaterThan(Date.parse(s.receivedAt));
  });

  it('lets one of two officers acting on the same version win; the other gets a conflict', async () => {
    const d = (await register(reception, { outcome: { type: 'accept' } })).json();
    const [a, b] = await Promise.all([
      act(t.app, specialist, d.code, d.version, { type: 'comment', text: 'Ý kiến thứ nhất' }),
      act(t.app, specialist, d.code, d.version, { type: 'forward' }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    expect(errorCode(a.statusCode === 409 ? a : b)).toBe('VERSION_CONFLICT');
    const stale = await act(t.app, specialist, d.code, d.version, { type: 'comment', text: 'cũ' });
    expect(stale.statusCode).toBe(409);
  });

  it('never creates two dossiers for one idempotency key, even when the requests race', async () => {
    const before = await count();
    const key = `idem-${engine}-0001`;
    const results = await Promise.all(
      [1, 2, 3].map(() => register(reception, { outcome: { type: 'accept' } }, { 'idempotency-key': key })),
    );
    const codes = new Set(results.map((r) => r.json().code));
    expect(codes.size).toBe(1);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 200, 201]);
    expect(await count()).toBe(before + 1);
    // Another reception officer reusing the key is told so; someone who may not register at all is refused
    // before the key is looked at (whether it exists is not revealed).
    const other = await register(await login(t.app, 'tiepnhan.51'), {}, { 'idempotency-key': key });
    expect(other.statusCode).toBe(409);
    expect(errorCode(other)).toBe('IDEMPOTENCY_CONFLICT');
    const notAllowed = await register(specialist, {}, { 'idempotency-key': key });
    expect(notAllowed.statusCode).toBe(403);
    expect(await count()).toBe(before + 1);
  });

  it('stops the clock for a supplement and moves the due date by the paused working time', async () => {
    const d0 = (await register(reception, { outcome: { type: 'accept' } })).json();
    const due0 = Date.parse(d0.state.dueAt);
    const d1 = (
      await act(t.app, specialist, d0.code, d0.version, {
        type: 'request_supplement',
        reason: 'Thiếu bản vẽ thiết kế',
        items: ['Bản vẽ mặt bằng công trình'],
      })
    ).json();
    expect(d1.status).toBe(5);
    expect(d1.deadline).toBeNull();
    const d2 = (
      await act(t.app, reception, d1.code, d1.version, { type: 'provide_supplement', note: 'Đã nộp' })
    ).json();
    expect(d2.status).toBe(2);
    // The procedure restarts the clock on a supplement (construction): a full new period from resumption.
    expect(Date.parse(d2.state.dueAt)).toBeGreaterThanOrEqual(due0);
    expect(d2.state.pauses).toHaveLength(1);
  });

  it('opens a counter dossier with a supplement request (Mẫu 02) or a refusal (Mẫu 03) in one step', async () => {
    const sup = await register(reception, {
      outcome: {
        type: 'request_supplement',
        reason: 'Thiếu giấy tờ',
        items: ['Giấy chứng nhận quyền sử dụng đất'],
      },
    });
    expect(sup.json().status).toBe(5);
    const ref = await register(reception, {
      outcome: { type: 'refuse', reason: 'Không thuộc thẩm quyền cấp xã' },
    });
    expect(ref.json().status).toBe(3);
    expect(ref.json().availableActions).toEqual(['comment']);
  });

  it('rejects bad input with stable codes and writes nothing', async () => {
    const before = await count();
    const cases: [Record<string, unknown>, number, string][] = [
      [{ procedureCode: '9.999999' }, 404, 'PROCEDURE_NOT_FOUND'],
      [{ procedureCode: 'DROP TABLE' }, 404, 'PROCEDURE_NOT_FOUND'],
      [{ competentUnit: 'H41.99' }, 404, 'UNIT_NOT_FOUND'],
      [{ competentUnit: 'H41.04' }, 422, 'UNIT_NOT_COMPETENT'],
      [{ competentUnit: 'nope' }, 404, 'UNIT_NOT_FOUND'],
      [{ channel: 'fax' }, 400, 'VALIDATION_FAILED'],
      [{ channel: 'online' }, 400, 'VALIDATION_FAILED'],
      [{ applicant: { name: 'A', idNumber: '12' } }, 400, 'VALIDATION_FAILED'],
      [{ outcome: { type: 'refuse' } }, 400, 'VALIDATION_FAILED'],
      [{ outcome: { type: 'forward' } }, 400, 'VALIDATION_FAILED'],
      [{ components: [{ code: 'TP99' }] }, 400, 'VALIDATION_FAILED'],
      [{ receivingUnit: 'H41.51' }, 403, 'FORBIDDEN'],
    ];
    for (const [body, status, code] of cases) {
      const res = await register(reception, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(errorCode(res), JSON.stringify(body)).toBe(code);
      expect(res.json().error.message.length).toBeGreaterThan(5);
    }
    const malformed = await t.app.inject({
      method: 'POST',
      url: '/api/dossiers',
      headers: { ...reception.headers, 'content-type': 'application/json' },
      payload: '{"procedureCode": ',
    });
    expect(malformed.statusCode).toBe(400);
    const huge = await register(reception, { formData: { note: 'x'.repeat(2_000_000) } });
    expect(huge.statusCode).toBe(413);
    expect(errorCode(huge)).toBe('PAYLOAD_TOO_LARGE');
    expect(await count()).toBe(before);
  });

  it('refuses impossible transitions and bad commands', async () => {
    const d = (await register(reception, { outcome: { type: 'accept' } })).json();
    const cases: [Session, Record<string, unknown>, number, string][] = [
      [specialist, { type: 'return_result', method: 'counter' }, 409, 'TRANSITION_NOT_ALLOWED'],
      [specialist, { type: 'accept' }, 409, 'TRANSITION_NOT_ALLOWED'],
      [specialist, { type: 'send_back', reason: 'Trả lại' }, 409, 'TRANSITION_NOT_ALLOWED'],
      [specialist, { type: 'finish', outcome: 'approved' }, 409, 'TRANSITION_NOT_ALLOWED'],
      [specialist, { type: 'stop', reason: 'Dừng xử lý' }, 403, 'FORBIDDEN'],
      [specialist, { type: 'stop' }, 400, 'VALIDATION_FAILED'],
      [specialist, { type: 'teleport' }, 400, 'VALIDATION_FAILED'],
      [specialist, { type: 'forward', toUnit: 'H41.99' }, 404, 'UNIT_NOT_FOUND'],
      [
        specialist,
        { type: 'apologize', reason: 'Chậm', newDueAt: '9999-12-31T00:00:00Z' },
        400,
        'APOLOGY_DATE_INVALID',
      ],
      [specialist, { type: 'forward', toUnit: 'H41' }, 422, 'UNIT_NOT_COMPETENT'],
      [reception, { type: 'refuse', reason: 'Không đủ điều kiện' }, 409, 'TRANSITION_NOT_ALLOWED'],
      [clerk, { type: 'forward' }, 403, 'FORBIDDEN'],
    ];
    for (const [s, command, status, code] of cases) {
      const res = await act(t.app, s, d.code, d.version, command);
      expect(res.statusCode, JSON.stringify(command)).toBe(status);
      expect(errorCode(res), JSON.stringify(command)).toBe(code);
    }
    const after = (await get(reception, d.code)).json();
    expect(after.version).toBe(d.version);
    expect((await act(t.app, specialist, 'H41.50-261124-9999', 1, { type: 'forward' })).statusCode).toBe(404);
    expect(errorCode(await act(t.app, specialist, 'bad-code', 1, { type: 'forward' }))).toBe(
      'DOSSIER_CODE_INVALID',
    );
  });

  const idOf = async (username: string) =>
    (
      await t.ctx.database.db
        .selectFrom('officers')
        .select('id')
        .where('username', '=', username)
        .executeTakeFirstOrThrow()
    ).id;

  it('assigns work only to officers who work on the step, never to an administrator or a viewer', async () => {
    const d = (await register(reception, { outcome: { type: 'accept' } })).json();
    for (const username of ['admin', 'lanhdao', 'tuphap.51']) {
      const res = await act(t.app, chairman, d.code, d.version, {
        type: 'assign',
        assignee: await idOf(username),
      });
      expect(res.statusCode, username).toBe(400);
      expect(errorCode(res)).toBe('VALIDATION_FAILED');
    }
    const ok = await act(t.app, chairman, d.code, d.version, {
      type: 'assign',
      assignee: await idOf('tuphap.50'),
    });
    expect(ok.statusCode, ok.body).toBe(200);
  });

  it('checks a forward’s assignee against the unit of the step it starts, not the one it leaves', async () => {
    // The land registration's third step is done by Sở Nông nghiệp và Môi trường (H41.05) by the workflow itself.
    const d = (await register(reception, { procedureCode: LAND, outcome: { type: 'accept' } })).json();
    expect(d.state.steps.at(-1).unit).toBe('H41.50');
    expect(d.state.workflow[d.state.step + 1].unit).toBe('H41.05');
    const refused: [Record<string, unknown>, string][] = [
      [{}, 'tuphap.50'], // works only at the commune the dossier leaves
      [{ toUnit: 'H41.06' }, 'chuyenvien.05'], // a transfer agency named: the workflow's unit no longer counts
    ];
    for (const [extra, username] of refused) {
      const res = await act(t.app, specialist, d.code, d.version, {
        type: 'forward',
        ...extra,
        assignee: await idOf(username),
      });
      expect(res.statusCode, username).toBe(400);
      expect(errorCode(res), username).toBe('VALIDATION_FAILED');
    }
    const assignee = await idOf('chuyenvien.05');
    const ok = await act(t.app, specialist, d.code, d.version, { type: 'forward', assignee });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().state.steps.at(-1)).toMatchObject({ unit: 'H41.05', assignee });
  });

  it('requires the CSRF token on cookie-authenticated writes', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/dossiers',
      headers: { cookie: reception.cookie },
      payload: { procedureCode: PERMIT, channel: 'counter', applicant, competentUnit: 'H41.50' },
    });
    expect(res.statusCode).toBe(403);
    expect(errorCode(res)).toBe('CSRF_FAILED');
  });

  it('lists dossiers in the officer’s units with search by code, name or ID number', async () => {
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/dossiers?limit=100',
      headers: { cookie: reception.cookie },
    });
    expect(list.statusCode).toBe(200);
    const items = list.json().items as { code: string; currentUnit: string }[];
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => i.code.startsWith('H41.50-') || i.currentUnit === 'H41.50')).toBe(true);
    const byId = await t.app.inject({
      method: 'GET',
      url: `/api/dossiers?q=${applicant.idNumber}`,
      headers: { cookie: reception.cookie },
    });
    expect(byId.json().total).toBeGreaterThan(0);
    const byName = await t.app.inject({
      method: 'GET',
      url: `/api/dossiers?q=${encodeURIComponent('nguyen van minh')}`,
      headers: { cookie: reception.cookie },
    });
    expect(byName.json().total).toBeGreaterThan(0);
  });
});
