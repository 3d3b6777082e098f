import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  citizenSession,
  ENGINES,
  errorCode,
  login,
  type Session,
  startTestApp,
  type TestApp,
} from './helpers.js';

type Who =
  | 'anonymous'
  | 'citizen'
  | 'otherCitizen'
  | 'reception'
  | 'specialist'
  | 'foreign'
  | 'leader'
  | 'admin';

interface Case {
  name: string;
  method: 'GET' | 'POST' | 'PUT';
  url: string | (() => string);
  body?: unknown | (() => unknown);
  /** Expected status for each caller; callers not listed are not checked for this endpoint. */
  expect: Partial<Record<Who, number>>;
}

/**
 * Every endpoint × caller: anonymous, a citizen (the applicant or not), an officer of the dossier's own unit with
 * the right or a wrong role, an officer of a foreign unit, the provincial leader (viewer) and the administrator.
 */
describe.each(ENGINES)('access matrix on %s', (engine) => {
  let t: TestApp;
  const s: Partial<Record<Who, Session>> = {};
  let code = '';
  let version = 0;
  beforeAll(async () => {
    t = await startTestApp(engine);
    s.reception = await login(t.app, 'tiepnhan.50');
    s.specialist = await login(t.app, 'tuphap.50');
    s.foreign = await login(t.app, 'tiepnhan.51');
    s.leader = await login(t.app, 'lanhdao');
    s.admin = await login(t.app, 'admin');
    s.citizen = await citizenSession(t, '040090001234');
    s.otherCitizen = await citizenSession(t, '040164005678');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/dossiers',
      headers: s.reception.headers,
      payload: {
        procedureCode: '1.013225',
        channel: 'counter',
        competentUnit: 'H41.50',
        applicant: { name: 'Nguyễn Văn Minh', idNumber: '040090001234' },
        outcome: { type: 'accept' },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    ({ code, version } = res.json());
  });
  afterAll(async () => t?.close());

  const dossier = {
    procedureCode: '1.013225',
    channel: 'counter',
    competentUnit: 'H41.50',
    applicant: { name: 'Lê Văn B', idNumber: '040111222333' },
  };
  const cases: Case[] = [
    { name: 'health', method: 'GET', url: '/api/health', expect: { anonymous: 200 } },
    { name: 'openapi', method: 'GET', url: '/api/openapi.json', expect: { anonymous: 200 } },
    {
      name: 'search',
      method: 'GET',
      url: '/api/procedures?q=khai%20sinh',
      expect: { anonymous: 200, citizen: 200 },
    },
    { name: 'fields', method: 'GET', url: '/api/procedures/fields', expect: { anonymous: 200 } },
    { name: 'procedure', method: 'GET', url: '/api/procedures/1.001193', expect: { anonymous: 200 } },
    { name: 'export', method: 'GET', url: '/api/catalogue/export', expect: { anonymous: 200 } },
    { name: 'holidays', method: 'GET', url: '/api/calendar/holidays?year=2026', expect: { anonymous: 200 } },
    { name: 'lunar', method: 'GET', url: '/api/calendar/lunar?date=2026-02-17', expect: { anonymous: 200 } },
    {
      name: 'due',
      method: 'GET',
      url: '/api/calendar/due?from=2026-04-24T09:00:00%2B07:00&workingDays=1',
      expect: { anonymous: 200 },
    },
    { name: 'units', method: 'GET', url: '/api/units', expect: { anonymous: 200 } },
    { name: 'calendar settings', method: 'GET', url: '/api/calendar/settings', expect: { anonymous: 200 } },
    { name: 'trust anchors', method: 'GET', url: '/api/trust-anchors', expect: { anonymous: 200 } },
    {
      name: 'paper transfer deadline',
      method: 'GET',
      url: '/api/calendar/paper-transfer?receivedAt=2026-11-24T10:00:00%2B07:00',
      expect: { anonymous: 200 },
    },
    {
      name: 'change calendar settings',
      method: 'PUT',
      url: '/api/calendar/settings',
      body: { paperTransferCutoff: '15:00' },
      expect: { anonymous: 401, citizen: 403, reception: 403, leader: 403, admin: 204 },
    },
    {
      name: 'unit working hours',
      method: 'PUT',
      url: '/api/units/H41.52/working-hours',
      body: { workingHours: null },
      expect: { anonymous: 401, citizen: 403, reception: 403, leader: 403, admin: 200 },
    },
    { name: 'unit', method: 'GET', url: '/api/units/000.00.50.H41', expect: { anonymous: 200 } },
    { name: 'lookup', method: 'GET', url: () => `/api/lookup/${code}`, expect: { anonymous: 200 } },
    {
      name: 'me',
      method: 'GET',
      url: '/api/auth/me',
      expect: { anonymous: 401, citizen: 200, reception: 200 },
    },
    {
      name: 'create token',
      method: 'POST',
      url: '/api/auth/tokens',
      body: { name: 'Tích hợp thử', expiresInDays: 30 },
      expect: { anonymous: 401, citizen: 403, specialist: 201 },
    },
    {
      name: 'create unit',
      method: 'POST',
      url: '/api/units',
      body: {
        code: 'H41.56',
        name: 'UBND xã Thử Nghiệm',
        level: 'commune',
        parentCode: 'H41',
        validFrom: '2026-01-01',
      },
      expect: { anonymous: 401, citizen: 403, reception: 403, leader: 403, admin: 201 },
    },
    {
      name: 'merge units',
      method: 'POST',
      url: '/api/units/merge',
      body: { sources: ['H41.56'], successor: 'H41.55', effectiveDate: '2026-12-01' },
      expect: { anonymous: 401, citizen: 403, reception: 403, leader: 403 },
    },
    {
      name: 'replace calendar year',
      method: 'PUT',
      url: '/api/calendar/years/2027',
      body: {
        source: 'Thử nghiệm',
        items: [{ date: '2027-01-01', kind: 'holiday', name: 'Tết Dương lịch' }],
      },
      expect: { anonymous: 401, citizen: 403, reception: 403, leader: 403, admin: 200 },
    },
    {
      name: 'import catalogue',
      method: 'POST',
      url: '/api/catalogue/import',
      body: { procedures: [{ code: '1.001193' }] },
      expect: { anonymous: 401, citizen: 403, specialist: 403, leader: 403 },
    },
    {
      name: 'save procedure version',
      method: 'PUT',
      url: '/api/procedures/1.001193',
      body: { code: '1.001193' },
      expect: { anonymous: 401, citizen: 403, specialist: 403, leader: 403, admin: 400 },
    },
    {
      name: 'register dossier',
      method: 'POST',
      url: '/api/dossiers',
      body: dossier,
      expect: { anonymous: 401, citizen: 403, specialist: 403, leader: 403, admin: 403, reception: 201 },
    },
    {
      name: 'register for a foreign unit',
      method: 'POST',
      url: '/api/dossiers',
      body: { ...dossier, receivingUnit: 'H41.50' },
      expect: { foreign: 403 },
    },
    {
      name: 'list dossiers',
      method: 'GET',
      url: '/api/dossiers',
      expect: { anonymous: 401, citizen: 200, reception: 200, foreign: 200, leader: 200, admin: 200 },
    },
    {
      name: 'list a foreign unit',
      method: 'GET',
      url: '/api/dossiers?unit=H41.50',
      expect: { foreign: 403, reception: 200 },
    },
    {
      name: 'read dossier',
      method: 'GET',
      url: () => `/api/dossiers/${code}`,
      expect: {
        anonymous: 401,
        citizen: 200,
        otherCitizen: 404,
        reception: 200,
        specialist: 200,
        foreign: 404,
        leader: 200,
        admin: 404,
      },
    },
    {
      name: 'act on dossier',
      method: 'POST',
      url: () => `/api/dossiers/${code}/actions`,
      body: () => ({ expectedVersion: version, command: { type: 'forward' } }),
      expect: {
        anonymous: 401,
        citizen: 403,
        otherCitizen: 404,
        reception: 403,
        foreign: 404,
        leader: 403,
        admin: 404,
      },
    },
  ];

  it.each(cases)('$method $name', async (c) => {
    for (const [who, status] of Object.entries(c.expect) as [Who, number][]) {
      const session = s[who];
      const res = await t.app.inject({
        method: c.method,
        url: typeof c.url === 'function' ? c.url() : c.url,
        headers: session?.headers ?? {},
        ...(c.body
          ? { payload: (typeof c.body === 'function' ? (c.body as () => unknown)() : c.body) as object }
          : {}),
      });
      expect(res.statusCode, `${who} → ${res.body.slice(0, 200)}`).toBe(status);
      if (status === 401) expect(errorCode(res)).toBe('UNAUTHENTICATED');
      if (status === 403) expect(errorCode(res)).toBe('FORBIDDEN');
    }
  });

  it('hides internal opinions from the applicant', async () => {
    const current = (
      await t.app.inject({ method: 'GET', url: `/api/dossiers/${code}`, headers: s.specialist!.headers })
    ).json();
    const noted = await t.app.inject({
      method: 'POST',
      url: `/api/dossiers/${code}/actions`,
      headers: s.specialist!.headers,
      payload: {
        expectedVersion: current.version,
        command: { type: 'comment', text: 'Ý kiến nội bộ: cần xác minh thực địa' },
      },
    });
    expect(noted.statusCode, noted.body).toBe(200);
    version = noted.json().version;
    const officerView = (
      await t.app.inject({ method: 'GET', url: `/api/dossiers/${code}`, headers: s.specialist!.headers })
    ).json();
    expect(officerView.actions.map((a: { type: string }) => a.type)).toContain('comment');
    const citizenView = await t.app.inject({
      method: 'GET',
      url: `/api/dossiers/${code}`,
      headers: s.citizen!.headers,
    });
    expect(citizenView.json().actions.map((a: { type: string }) => a.type)).not.toContain('comment');
    expect(citizenView.body).not.toContain('xác minh thực địa');
  });

  it('shows an administrator no dossiers, and links a counter dossier to a citizen only when ID and name agree', async () => {
    const adminList = await t.app.inject({ method: 'GET', url: '/api/dossiers', headers: s.admin!.headers });
    expect(adminList.json()).toEqual({ items: [], total: 0 });
    const typo = await t.app.inject({
      method: 'POST',
      url: '/api/dossiers',
      headers: s.reception!.headers,
      payload: { ...dossier, applicant: { name: 'Trần Văn Khác', idNumber: '040090001234' } },
    });
    expect(typo.statusCode).toBe(201);
    const mine = await t.app.inject({
      method: 'GET',
      url: '/api/dossiers?limit=200',
      headers: s.citizen!.headers,
    });
    expect(mine.json().items.map((i: { code: string }) => i.code)).not.toContain(typo.json().code);
  });

  it('lists only the citizen’s own dossiers and only the officer’s units', async () => {
    const mine = await t.app.inject({
      method: 'GET',
      url: '/api/dossiers?limit=200',
      headers: s.citizen!.headers,
    });
    const codes = mine.json().items.map((i: { code: string }) => i.code);
    expect(codes).toContain(code);
    const theirs = await t.app.inject({
      method: 'GET',
      url: '/api/dossiers?limit=200',
      headers: s.otherCitizen!.headers,
    });
    expect(theirs.json().items.map((i: { code: string }) => i.code)).not.toContain(code);
    const foreign = await t.app.inject({
      method: 'GET',
      url: '/api/dossiers?limit=200',
      headers: s.foreign!.headers,
    });
    expect(foreign.json().items.map((i: { code: string }) => i.code)).not.toContain(code);
  });
});
