import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, errorCode, login, type Session, startTestApp, type TestApp } from './helpers.js';

const PASSWORD = 'Mật-khẩu-mới-2026';

describe.each(ENGINES)('officers and roles on %s', (engine) => {
  let t: TestApp;
  let admin: Session;
  beforeAll(async () => {
    t = await startTestApp(engine, { dossiers: 5 });
    admin = await login(t.app, 'admin');
  });
  afterAll(async () => t?.close());

  const req = (s: Session | null, method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: s?.headers ?? {}, ...(payload ? { payload } : {}) });
  const audits = (action: string, entityId: string) =>
    t.ctx.database.db
      .selectFrom('audit_log')
      .select(['actor_id', 'details'])
      .where('action', '=', action)
      .where('entity_id', '=', entityId)
      .orderBy('id')
      .execute();
  const create = (s: Session, body: Record<string, unknown>) => req(s, 'POST', '/api/officers', body);

  it('lists officers with their roles, never a password hash', async () => {
    const all = await req(admin, 'GET', '/api/officers');
    expect(all.statusCode, all.body).toBe(200);
    const items = all.json().items as { username: string; roles: { role: string; unit: string }[] }[];
    expect(items.length).toBeGreaterThan(30);
    expect(items.find((o) => o.username === 'chutich.50')?.roles).toEqual([
      { role: 'head', unit: 'H41.50' },
      { role: 'signer', unit: 'H41.50' },
    ]);
    expect(all.body).not.toMatch(/argon2|password/i);
    const unit = await req(admin, 'GET', '/api/officers?unit=H41.50');
    expect(
      unit
        .json()
        .items.map((o: { username: string }) => o.username)
        .sort(),
    ).toEqual(['chutich.50', 'tiepnhan.50', 'tuphap.50', 'vanthu.50']);
    const search = await req(admin, 'GET', `/api/officers?q=${encodeURIComponent('quan tri')}`);
    expect(search.json().items.map((o: { username: string }) => o.username)).toContain('admin');
  });

  it('lets a head list the officers of their own unit only; others are refused', async () => {
    const head = await login(t.app, 'chutich.50');
    const mine = await req(head, 'GET', '/api/officers');
    expect(mine.statusCode).toBe(200);
    const names = mine.json().items.map((o: { username: string }) => o.username);
    expect(names).toContain('tuphap.50');
    expect(names).not.toContain('tuphap.51');
    expect(errorCode(await req(head, 'GET', '/api/officers?unit=H41.51'))).toBe('FORBIDDEN');
    expect(
      errorCode(await create(head, { username: 'x.50', name: 'Không Được', password: PASSWORD, roles: [] })),
    ).toBe('FORBIDDEN');
    const reception = await login(t.app, 'tiepnhan.50');
    expect((await req(reception, 'GET', '/api/officers')).statusCode).toBe(403);
    expect((await req(null, 'GET', '/api/officers')).statusCode).toBe(401);
    expect(errorCode(await req(admin, 'GET', '/api/officers?unit=H41.99'))).toBe('UNIT_NOT_FOUND');
  });

  it('creates an officer who can log in with the new roles; audited without the password', async () => {
    const res = await create(admin, {
      username: 'TiepNhan2.50',
      name: 'Phạm Thị Hoa',
      title: 'Công chức Bộ phận Một cửa',
      password: PASSWORD,
      roles: [
        { role: 'reception', unit: 'H41.50' },
        { role: 'reception', unit: '000.00.50.H41' }, // the same unit in the other QCVN 102 form: one role
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    const o = res.json();
    expect(o).toMatchObject({
      username: 'tiepnhan2.50',
      name: 'Phạm Thị Hoa',
      active: true,
      lockedUntil: null,
      roles: [{ role: 'reception', unit: 'H41.50' }],
    });
    expect(res.body).not.toMatch(/argon2|password/i);
    const s = await login(t.app, 'tiepnhan2.50', PASSWORD);
    const me = await req(s, 'GET', '/api/auth/me');
    expect(me.json().roles).toEqual([{ role: 'reception', unit: 'H41.50' }]);
    const [audit] = await audits('officer.create', o.id);
    expect(audit?.details).toMatchObject({
      username: 'tiepnhan2.50',
      roles: [{ role: 'reception', unit: 'H41.50' }],
    });
    expect(JSON.stringify(audit?.details)).not.toContain(PASSWORD);
    const stored = await t.ctx.database.db
      .selectFrom('officers')
      .select('password_hash')
      .where('id', '=', o.id)
      .executeTakeFirstOrThrow();
    expect(stored.password_hash).toMatch(/^\$argon2/);
  });

  it('refuses bad input with stable codes', async () => {
    const base = {
      username: 'moi.50',
      name: 'Cán Bộ Mới',
      password: PASSWORD,
      roles: [{ role: 'specialist', unit: 'H41.50' }],
    };
    const cases: [Record<string, unknown>, number, string][] = [
      [{ username: 'tuphap.50' }, 409, 'ALREADY_EXISTS'],
      [{ username: 'TUPHAP.50' }, 409, 'ALREADY_EXISTS'],
      [{ password: 'ngan123' }, 400, 'PASSWORD_TOO_WEAK'],
      [{ password: 'moi.50-mat-khau' }, 400, 'PASSWORD_TOO_WEAK'],
      [{ roles: [{ role: 'emperor', unit: 'H41.50' }] }, 400, 'VALIDATION_FAILED'],
      [{ roles: [{ role: 'specialist', unit: 'H41.99' }] }, 404, 'UNIT_NOT_FOUND'],
      [{ username: 'a b' }, 400, 'VALIDATION_FAILED'],
      [{ name: '' }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [patch, status, code] of cases) {
      const res = await create(admin, { ...base, ...patch });
      expect(res.statusCode, `${JSON.stringify(patch)} → ${res.body}`).toBe(status);
      expect(errorCode(res)).toBe(code);
    }
    // A unit that is not yet (or no longer) active takes no new role.
    const future = await req(admin, 'POST', '/api/units', {
      code: 'H41.58',
      name: 'UBND xã Tương Lai',
      level: 'commune',
      parentCode: 'H41',
      validFrom: '2099-01-01',
    });
    expect(future.statusCode, future.body).toBe(201);
    const inactive = await create(admin, { ...base, roles: [{ role: 'specialist', unit: 'H41.58' }] });
    expect(inactive.statusCode).toBe(422);
    expect(errorCode(inactive)).toBe('UNIT_INACTIVE');
    expect((await req(admin, 'GET', '/api/officers?q=moi.50')).json().items).toEqual([]);
  });

  it('keeps a unit administrator inside their units', async () => {
    const created = await create(admin, {
      username: 'quantri.50',
      name: 'Quản Trị Xã',
      password: PASSWORD,
      roles: [{ role: 'admin', unit: 'H41.50' }],
    });
    expect(created.statusCode, created.body).toBe(201);
    const local = await login(t.app, 'quantri.50', PASSWORD);
    const own = await create(local, {
      username: 'chuyenvien2.50',
      name: 'Đỗ Văn Tài',
      password: PASSWORD,
      roles: [{ role: 'specialist', unit: 'H41.50' }],
    });
    expect(own.statusCode, own.body).toBe(201);
    const other = await create(local, {
      username: 'chuyenvien2.51',
      name: 'Đỗ Văn Tài',
      password: PASSWORD,
      roles: [{ role: 'specialist', unit: 'H41.51' }],
    });
    expect(other.statusCode).toBe(403);
    expect(errorCode(other)).toBe('FORBIDDEN');
    const listed = (await req(local, 'GET', '/api/officers'))
      .json()
      .items.map((o: { username: string }) => o.username);
    expect(listed).toContain('chuyenvien2.50');
    expect(listed).not.toContain('tuphap.51');
    expect(errorCode(await req(local, 'GET', '/api/officers?unit=H41.51'))).toBe('FORBIDDEN');
    // An officer of another unit is not even revealed; granting a role outside the unit is refused.
    const foreignId = (await req(admin, 'GET', '/api/officers?q=tuphap.51')).json().items[0].id;
    const foreign = await req(local, 'PATCH', `/api/officers/${foreignId}`, { name: 'Đổi Tên' });
    expect(foreign.statusCode).toBe(404);
    expect(errorCode(foreign)).toBe('OFFICER_NOT_FOUND');
    const widen = await req(local, 'PATCH', `/api/officers/${own.json().id}`, {
      roles: [
        { role: 'specialist', unit: 'H41.50' },
        { role: 'specialist', unit: 'H41.51' },
      ],
    });
    expect(widen.statusCode).toBe(403);
    // An officer with roles in two communes is changed only by an administrator covering both.
    const both = await create(admin, {
      username: 'lienxa',
      name: 'Cán Bộ Liên Xã',
      password: PASSWORD,
      roles: [
        { role: 'specialist', unit: 'H41.50' },
        { role: 'specialist', unit: 'H41.51' },
      ],
    });
    expect(errorCode(await req(local, 'PATCH', `/api/officers/${both.json().id}`, { active: false }))).toBe(
      'FORBIDDEN',
    );
    expect((await req(admin, 'GET', `/api/officers/${both.json().id}`)).json().active).toBe(true);
  });

  it('changes roles with immediate effect and audits what was added and removed', async () => {
    const res = await create(admin, {
      username: 'doivaitro',
      name: 'Ngô Thị Mai',
      password: PASSWORD,
      roles: [{ role: 'specialist', unit: 'H41.52' }],
    });
    const id = res.json().id as string;
    const s = await login(t.app, 'doivaitro', PASSWORD);
    const before = await req(s, 'GET', '/api/dossiers?unit=H41.53');
    expect(before.statusCode).toBe(403);
    const changed = await req(admin, 'PATCH', `/api/officers/${id}`, {
      name: 'Ngô Thị Mai Anh',
      roles: [{ role: 'head', unit: 'H41.53' }],
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({
      name: 'Ngô Thị Mai Anh',
      roles: [{ role: 'head', unit: 'H41.53' }],
    });
    expect((await req(s, 'GET', '/api/dossiers?unit=H41.53')).statusCode).toBe(200);
    const [audit] = await audits('officer.update', id);
    expect(audit?.details).toMatchObject({
      username: 'doivaitro',
      name: { from: 'Ngô Thị Mai', to: 'Ngô Thị Mai Anh' },
      roles: { added: [{ role: 'head', unit: 'H41.53' }], removed: [{ role: 'specialist', unit: 'H41.52' }] },
    });
    // No change, no write.
    const same = await req(admin, 'PATCH', `/api/officers/${id}`, { name: 'Ngô Thị Mai Anh' });
    expect(same.statusCode).toBe(200);
    expect(await audits('officer.update', id)).toHaveLength(1);
  });

  it('deactivating ends the sessions and blocks login; a new password replaces the old one', async () => {
    const res = await create(admin, {
      username: 'nghiviec',
      name: 'Vũ Văn Long',
      password: PASSWORD,
      roles: [{ role: 'reception', unit: 'H41.54' }],
    });
    const id = res.json().id as string;
    const s = await login(t.app, 'nghiviec', PASSWORD);
    expect((await req(s, 'GET', '/api/auth/me')).statusCode).toBe(200);
    const off = await req(admin, 'PATCH', `/api/officers/${id}`, { active: false });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json().active).toBe(false);
    expect((await req(s, 'GET', '/api/auth/me')).statusCode).toBe(401);
    const sessions = await t.ctx.database.db
      .selectFrom('sessions')
      .select('id')
      .where('subject_id', '=', id)
      .execute();
    expect(sessions).toEqual([]);
    const denied = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'nghiviec', password: PASSWORD },
    });
    expect(errorCode(denied)).toBe('LOGIN_FAILED');
    const [audit] = await audits('officer.update', id);
    expect(audit?.details).toMatchObject({ active: { from: true, to: false }, sessionsEnded: 1 });

    const NEW = 'Mật-khẩu-khác-2027';
    const back = await req(admin, 'PATCH', `/api/officers/${id}`, { active: true, password: NEW });
    expect(back.statusCode, back.body).toBe(200);
    const old = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'nghiviec', password: PASSWORD },
    });
    expect(errorCode(old)).toBe('LOGIN_FAILED');
    await login(t.app, 'nghiviec', NEW);
    const last = (await audits('officer.update', id)).at(-1);
    expect(last?.details).toMatchObject({ active: { from: false, to: true }, password: 'changed' });
    expect(JSON.stringify(last?.details)).not.toContain(NEW);
    expect(errorCode(await req(admin, 'PATCH', `/api/officers/${id}`, { password: 'ngan' }))).toBe(
      'PASSWORD_TOO_WEAK',
    );
  });

  it('unlocks a locked account; keeps the last province administrator', async () => {
    const res = await create(admin, {
      username: 'bikhoa',
      name: 'Hồ Thị Yến',
      password: PASSWORD,
      roles: [{ role: 'clerk', unit: 'H41.55' }],
    });
    const id = res.json().id as string;
    for (let i = 0; i < t.ctx.config.LOGIN_MAX_FAILURES; i++) {
      await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'bikhoa', password: 'sai-mat-khau' },
      });
    }
    const locked = (await req(admin, 'GET', `/api/officers/${id}`)).json();
    expect(locked.lockedUntil).not.toBeNull();
    const unlocked = await req(admin, 'PATCH', `/api/officers/${id}`, { unlock: true });
    expect(unlocked.json().lockedUntil).toBeNull();
    await login(t.app, 'bikhoa', PASSWORD);

    const self = (await req(admin, 'GET', '/api/officers?q=admin'))
      .json()
      .items.find((o: { username: string }) => o.username === 'admin');
    const lockout = await req(admin, 'PATCH', `/api/officers/${self.id}`, { active: false });
    expect(lockout.statusCode).toBe(409);
    expect(errorCode(lockout)).toBe('LAST_ADMIN');
    const demote = await req(admin, 'PATCH', `/api/officers/${self.id}`, {
      roles: [{ role: 'leader', unit: 'H41' }],
    });
    expect(errorCode(demote)).toBe('LAST_ADMIN');
    expect((await req(admin, 'GET', '/api/auth/me')).statusCode).toBe(200);
    expect(errorCode(await req(admin, 'PATCH', `/api/officers/${self.id}`, { extra: 1 }))).toBe(
      'VALIDATION_FAILED',
    );
    expect(
      errorCode(
        await req(admin, 'PATCH', '/api/officers/00000000-0000-4000-8000-000000000000', { name: 'Không Có' }),
      ),
    ).toBe('OFFICER_NOT_FOUND');
  });
  it('reads and changes the province settings (province administrator only, audited, applied at once)', async () => {
    const read = await req(admin, 'GET', '/api/settings');
    expect(read.statusCode, read.body).toBe(200);
    const byKey = Object.fromEntries(
      read.json().items.map((i: { key: string; value: unknown }) => [i.key, i.value]),
    );
    expect(byKey).toEqual({
      paper_transfer_cutoff: '15:00',
      default_working_hours: { sessions: t.ctx.calendar.defaultHours.sessions },
    });
    const hours = {
      sessions: [
        ['07:00', '11:30'],
        ['13:30', '17:00'],
      ],
    };
    const put = await req(admin, 'PUT', '/api/settings', {
      values: { paper_transfer_cutoff: '16:00', default_working_hours: hours },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(t.ctx.calendar.paperCutoff).toBe('16:00');
    expect(t.ctx.calendar.defaultHours.sessions).toEqual(hours.sessions);
    const calendar = await t.app.inject({ method: 'GET', url: '/api/calendar/settings' });
    expect(calendar.json().paperTransferCutoff).toBe('16:00');
    const audit = await audits('settings.update', 'paper_transfer_cutoff');
    expect(audit.at(-1)?.details).toEqual({ from: '15:00', to: '16:00' });
    // All or nothing: one bad value refuses the whole request.
    const bad = await req(admin, 'PUT', '/api/settings', {
      values: { paper_transfer_cutoff: '17:00', default_working_hours: { sessions: [['12:00', '08:00']] } },
    });
    expect(bad.statusCode).toBe(400);
    expect(errorCode(bad)).toBe('VALIDATION_FAILED');
    expect(t.ctx.calendar.paperCutoff).toBe('16:00');
    expect(errorCode(await req(admin, 'PUT', '/api/settings', { values: { theme: 'dark' } }))).toBe(
      'VALIDATION_FAILED',
    );
    expect(errorCode(await req(admin, 'PUT', '/api/settings', { values: {} }))).toBe('VALIDATION_FAILED');
    const local = await login(t.app, 'chutich.50');
    expect((await req(local, 'GET', '/api/settings')).statusCode).toBe(403);
    expect(
      (await req(local, 'PUT', '/api/settings', { values: { paper_transfer_cutoff: '15:00' } })).statusCode,
    ).toBe(403);
    expect((await req(null, 'GET', '/api/settings')).statusCode).toBe(401);
    const restored = await req(admin, 'PUT', '/api/settings', {
      values: {
        paper_transfer_cutoff: '15:00',
        default_working_hours: { sessions: byKey.default_working_hours.sessions },
      },
    });
    expect(restored.statusCode).toBe(200);
  });
});
