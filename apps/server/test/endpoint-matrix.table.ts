import type { LightMyRequestResponse } from 'fastify';
import { DEMO_PASSWORD } from '../src/demo/organisation.js';
import { multipart, pdfBytes } from './file-fixtures.js';

/**
 * The table of endpoint-matrix.test.ts: for every operation of the OpenAPI document, the request sent and, for every
 * principal, the answer expected. See the rules at the top of the test file.
 */

/** Who calls. Own = the officers of H41.50, the unit every unit-scoped resource below belongs to. */
export const WHO = [
  'anonymous',
  'owner', // Nguyễn Văn Minh, the applicant of the dossiers below
  'citizen', // Trần Thị Hường, another citizen
  'reception', // tiepnhan.50
  'specialist', // tuphap.50
  'head', // chutich.50 (head and signer)
  'clerk', // vanthu.50
  'reception.51',
  'specialist.51',
  'head.51',
  'clerk.51',
  'centre', // tiepnhan: reception of the provincial service centre H41.02
  'department', // chuyenvien.xd: specialist of the Department of Construction H41.04
  'department.head', // truongphong.xd: head and signer of H41.04
  'leader', // lanhdao: leader of the province H41
  'admin', // admin: administrator of the province H41
] as const;
export type Who = (typeof WHO)[number];

export const USERNAMES: Partial<Record<Who, string>> = {
  reception: 'tiepnhan.50',
  specialist: 'tuphap.50',
  head: 'chutich.50',
  clerk: 'vanthu.50',
  'reception.51': 'tiepnhan.51',
  'specialist.51': 'tuphap.51',
  'head.51': 'chutich.51',
  'clerk.51': 'vanthu.51',
  centre: 'tiepnhan',
  department: 'chuyenvien.xd',
  'department.head': 'truongphong.xd',
  leader: 'lanhdao',
  admin: 'admin',
};
export const PEOPLE = {
  owner: { name: 'Nguyễn Văn Minh', idNumber: '040090001234', phone: '0912345678' },
  citizen: { name: 'Trần Thị Hường', idNumber: '040164005678', phone: '0987654321' },
} as const;

const OWN: Who[] = ['reception', 'specialist', 'head', 'clerk'];
export const FOREIGN: Who[] = [
  'reception.51',
  'specialist.51',
  'head.51',
  'clerk.51',
  'centre',
  'department',
  'department.head',
];
const CITIZENS: Who[] = ['owner', 'citizen'];
const OFFICERS = WHO.filter((w) => w !== 'anonymous' && !CITIZENS.includes(w));

/** An expected answer: allowed (this exact status; a 4xx here is a validation or state error), or refused. */
export type Cell = { allow: number; code?: string } | { refuse: 401 | 403 | 404; code: string };
export const UNAUTH: Cell = { refuse: 401, code: 'UNAUTHENTICATED' };
export const FORBID: Cell = { refuse: 403, code: 'FORBIDDEN' };
/** 404 where the platform hides that another unit's (or person's) resource exists. */
export const hidden = (code: string): Cell => ({ refuse: 404, code });
export const allow = (status: number, code?: string): Cell =>
  code ? { allow: status, code } : { allow: status };

export type Spec = Partial<Record<'all' | 'citizens' | 'officers' | 'own' | 'foreign' | Who, number | Cell>>;
/** Cells from groups; a principal's own key wins over own/foreign, which win over citizens/officers, then all. */
export function cells(spec: Spec): Record<Who, Cell> {
  const out = {} as Record<Who, Cell>;
  for (const who of WHO) {
    const group = OWN.includes(who) ? 'own' : FOREIGN.includes(who) ? 'foreign' : undefined;
    const kind = CITIZENS.includes(who) ? 'citizens' : OFFICERS.includes(who) ? 'officers' : undefined;
    const v = spec[who] ?? (group && spec[group]) ?? (kind && spec[kind]) ?? spec.all;
    if (v === undefined) throw new Error(`no expectation for ${who}`);
    out[who] = typeof v === 'number' ? allow(v) : v;
  }
  return out;
}
export const PUBLIC = (status: number | Cell) => cells({ all: status });
export const ADMIN_ONLY = (status: number) => cells({ all: FORBID, anonymous: UNAUTH, admin: status });
export const CITIZENS_ONLY = (status: number) => cells({ all: FORBID, anonymous: UNAUTH, citizens: status });
export const ANY_OFFICER = (status: number) =>
  cells({ anonymous: UNAUTH, citizens: FORBID, officers: status });
/** Reads of the owner's dossier of H41.50: the applicant, the officers it concerns and the province leader. */
export const DOSSIER = (status: number, code = 'DOSSIER_NOT_FOUND'): Spec => ({
  anonymous: UNAUTH,
  owner: status,
  citizen: hidden(code),
  own: status,
  foreign: hidden(code),
  leader: status,
  admin: hidden(code), // the admin role manages configuration and sees no dossier
});
export const DOSSIER_READ = (status: number, code?: string) => cells(DOSSIER(status, code));
/** Lists filtered on unit=H41.50: a role other than admin covering it. */
export const UNIT = (status: number): Spec => ({
  anonymous: UNAUTH,
  citizens: FORBID,
  own: status,
  foreign: FORBID,
  leader: status,
  admin: FORBID,
});
/** Indicators of H41.50: its head, the leader and the administrator of the province. */
export const WATCHERS = (status: number) =>
  cells({
    anonymous: UNAUTH,
    citizens: FORBID,
    officers: FORBID,
    head: status,
    leader: status,
    admin: status,
  });
/** Result documents of H41.50: only `who` of H41.50 may; others who see the dossier get 403. */
export const DOCUMENT_ACT = (who: Who, status: number) =>
  cells({
    anonymous: UNAUTH,
    citizens: FORBID,
    officers: FORBID,
    foreign: hidden('DOCUMENT_NOT_FOUND'),
    admin: hidden('DOCUMENT_NOT_FOUND'),
    [who]: status,
  });

/** What the test builds through the API before the cells run (once per engine). */
export interface Fixture {
  /** The owner's online dossier of H41.50 for `procedure`, at its head's step: a fee due online, a file attached. */
  dossier: string;
  /** The owner's dossier of H41.50 whose result was returned (status 10), not rated. */
  returned: string;
  procedure: string;
  /** The procedure's definition as the catalogue exports it (saving it again changes nothing). */
  definition: Record<string, unknown>;
  /** Components of `procedure`: one with a form template, one to upload to, one whose template is deleted. */
  components: { template: string; upload: string; remove: string };
  /** Result documents on `dossier`: a draft, a signed one, an issued one (revoked by its cell), an issued result. */
  documents: { draft: string; signed: string; issued: string; result: string };
  verifyToken: string;
  /** The issued result's PDF. */
  resultPdf: Buffer;
  /** The owner's file attached to `dossier`. */
  file: string;
  /** tuphap.50 */
  officerId: string;
  /** The officers `dossier` was assigned to (tuphap.50 by an assignment, chutich.50 by a hand-over). */
  assignees: string[];
  /** An empty commune created for the merge cell. */
  mergeUnit: string;
  version(code: string): Promise<number>;
  /** A new dossier of the owner at H41.50, waiting for a supplement (status 5). */
  waitingForSupplement(): Promise<{ code: string; version: number; component: string }>;
  /** A new file uploaded by `who` (a random id for anonymous). */
  fileOf(who: Who): Promise<string>;
  ensureTemplate(component: string): Promise<void>;
}

export interface Req {
  url: string;
  payload?: unknown;
  headers?: Record<string, string>;
  remoteAddress?: string;
  /** Send with a new session of the same principal (the request ends its session). */
  freshSession?: boolean;
}

export interface Row {
  op: string;
  request: (f: Fixture, who: Who) => Req | Promise<Req>;
  cells: Record<Who, Cell>;
  /** More assertions on an allowed answer. */
  check?: (res: LightMyRequestResponse, f: Fixture, who: Who) => void | Promise<void>;
}

export const pdfUpload = (name = 'giay-to.pdf') =>
  multipart([{ filename: name, type: 'application/pdf', content: pdfBytes() }]);
const upload = (url: string): Req => {
  const body = pdfUpload('mau-don.pdf');
  return { url, payload: body.payload, headers: body.headers };
};
export const codes = (res: LightMyRequestResponse, key = 'items') =>
  (res.json()[key] as { code: string }[]).map((d) => d.code);
export const DRAFT_RESULT = { kind: 'document', title: 'Giấy xác nhận', body: ['Xác nhận nội dung hồ sơ.'] };
const PERMIT_FORM = {
  hoTen: 'Nguyễn Văn Minh',
  soDinhDanh: '040090001234',
  ngaySinh: '1990-05-12',
  diaChi: 'Số 12 đường Lê Lợi, phường Trường Vinh, Nghệ An',
  soDienThoai: '0912345678',
  loaiCongTrinh: 'Nhà ở riêng lẻ',
  diaDiemXayDung: 'Thửa 45, tờ bản đồ 12, phường Trường Vinh',
  thuaDatToBanDo: 'Thửa 45, tờ 12',
  dienTichXayDung: 96,
  tongDienTichSan: 280,
  soTang: 3,
};
/** An online application of `who` (citizens) or a counter registration (officers) for the permit at H41.50. */
export function application(procedure: string, who: Who) {
  if (who === 'owner' || who === 'citizen') {
    const p = PEOPLE[who];
    return {
      procedureCode: procedure,
      channel: 'online',
      competentUnit: 'H41.50',
      applicant: p,
      formData: { ...PERMIT_FORM, hoTen: p.name, soDinhDanh: p.idNumber, soDienThoai: p.phone },
    };
  }
  return {
    procedureCode: procedure,
    channel: 'counter',
    competentUnit: 'H41.50',
    applicant: { name: 'Lê Văn Bình', idNumber: '040111222333' },
  };
}
/** The procedure of each citizen's saved draft (the permit's draft would go with the permit's submission). */
export const DRAFTED = '1.000656';
/** Today in Vietnam (units and merges take effect on it; the register covers it). */
export const DAY = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
export const PERIOD = 'period=2026';

export const ROWS: Row[] = [
  // System and sessions
  { op: 'GET /api/health', request: () => ({ url: '/api/health' }), cells: PUBLIC(200) },
  {
    op: 'POST /api/auth/login',
    // From another address (the 20 logins a minute of the test's own address are for the principals), with a new
    // session of the principal: a login ends the session whose cookie it came with.
    request: () => ({
      freshSession: true,
      url: '/api/auth/login',
      payload: { username: 'vanthu.52', password: DEMO_PASSWORD },
      remoteAddress: '192.0.2.10',
    }),
    cells: PUBLIC(200),
  },
  {
    op: 'POST /api/auth/logout',
    request: () => ({ url: '/api/auth/logout', freshSession: true }),
    cells: PUBLIC(204),
  },
  {
    op: 'GET /api/auth/me',
    request: () => ({ url: '/api/auth/me' }),
    cells: cells({ all: 200, anonymous: UNAUTH }),
  },
  {
    op: 'POST /api/auth/tokens',
    request: () => ({ url: '/api/auth/tokens', payload: { name: 'Tích hợp thử', expiresInDays: 1 } }),
    cells: ANY_OFFICER(201),
  },
  {
    op: 'GET /api/auth/citizen/login',
    request: () => ({ url: '/api/auth/citizen/login' }),
    cells: PUBLIC(302),
  },
  {
    op: 'GET /api/auth/citizen/callback',
    request: () => ({ url: '/api/auth/citizen/callback?code=x&state=y' }),
    cells: PUBLIC(allow(400, 'OIDC_STATE_INVALID')),
  },
  // Catalogue
  { op: 'GET /api/procedures', request: () => ({ url: '/api/procedures?q=xay+dung' }), cells: PUBLIC(200) },
  {
    op: 'GET /api/procedures/agencies',
    request: () => ({ url: '/api/procedures/agencies' }),
    cells: PUBLIC(200),
  },
  {
    op: 'GET /api/procedures/fields',
    request: () => ({ url: '/api/procedures/fields' }),
    cells: PUBLIC(200),
  },
  {
    op: 'GET /api/procedures/{code}',
    request: (f) => ({ url: `/api/procedures/${f.procedure}` }),
    cells: PUBLIC(200),
  },
  {
    op: 'PUT /api/procedures/{code}',
    request: (f) => ({ url: `/api/procedures/${f.procedure}`, payload: f.definition }),
    cells: ADMIN_ONLY(200),
  },
  {
    op: 'PUT /api/procedures/{code}/templates/{component}',
    request: (f) => upload(`/api/procedures/${f.procedure}/templates/${f.components.upload}`),
    cells: ADMIN_ONLY(200),
  },
  {
    op: 'DELETE /api/procedures/{code}/templates/{component}',
    request: async (f) => {
      await f.ensureTemplate(f.components.remove);
      return { url: `/api/procedures/${f.procedure}/templates/${f.components.remove}` };
    },
    cells: ADMIN_ONLY(204),
  },
  {
    op: 'GET /api/procedures/{code}/templates/{component}',
    request: (f) => ({ url: `/api/procedures/${f.procedure}/templates/${f.components.template}` }),
    cells: PUBLIC(200),
  },
  { op: 'GET /api/catalogue/export', request: () => ({ url: '/api/catalogue/export' }), cells: PUBLIC(200) },
  {
    op: 'POST /api/catalogue/import',
    request: (f) => ({ url: '/api/catalogue/import', payload: { procedures: [f.definition] } }),
    cells: ADMIN_ONLY(200),
  },
  // Calendar
  {
    op: 'GET /api/calendar/holidays',
    request: () => ({ url: '/api/calendar/holidays?year=2026' }),
    cells: PUBLIC(200),
  },
  {
    op: 'GET /api/calendar/lunar',
    request: () => ({ url: `/api/calendar/lunar?date=${DAY}` }),
    cells: PUBLIC(200),
  },
  {
    op: 'GET /api/calendar/due',
    request: () => ({ url: '/api/calendar/due?from=2026-11-20T09:00:00%2B07:00&workingDays=3' }),
    cells: PUBLIC(200),
  },
  {
    op: 'GET /api/calendar/settings',
    request: () => ({ url: '/api/calendar/settings' }),
    cells: PUBLIC(200),
  },
  {
    op: 'PUT /api/calendar/settings',
    request: () => ({ url: '/api/calendar/settings', payload: {} }),
    cells: ADMIN_ONLY(204),
  },
  {
    op: 'GET /api/calendar/paper-transfer',
    request: () => ({ url: '/api/calendar/paper-transfer?receivedAt=2026-11-20T16:00:00%2B07:00' }),
    cells: PUBLIC(200),
  },
  {
    op: 'PUT /api/calendar/years/{year}',
    request: () => ({
      url: '/api/calendar/years/2099',
      payload: { source: 'Kiểm thử quyền truy cập', items: [] },
    }),
    cells: ADMIN_ONLY(200),
  },
  // Organisation
  { op: 'GET /api/units', request: () => ({ url: '/api/units' }), cells: PUBLIC(200) },
  {
    op: 'POST /api/units',
    request: () => ({
      url: '/api/units',
      payload: {
        code: 'H41.70',
        name: 'Ủy ban nhân dân xã Thử Nghiệm',
        level: 'commune',
        parentCode: 'H41',
        validFrom: DAY,
      },
    }),
    cells: ADMIN_ONLY(201),
  },
  { op: 'GET /api/units/{code}', request: () => ({ url: '/api/units/H41.50' }), cells: PUBLIC(200) },
  {
    op: 'POST /api/units/merge',
    request: (f) => ({
      url: '/api/units/merge',
      payload: { sources: [f.mergeUnit], successor: 'H41.50', effectiveDate: DAY },
    }),
    cells: ADMIN_ONLY(200),
  },
  {
    op: 'PUT /api/units/{code}/working-hours',
    request: () => ({ url: '/api/units/H41.50/working-hours', payload: { workingHours: null } }),
    cells: ADMIN_ONLY(200),
  },
  // Officers and settings
  {
    op: 'GET /api/officers',
    request: () => ({ url: '/api/officers?unit=H41.50' }),
    cells: cells({ anonymous: UNAUTH, citizens: FORBID, officers: FORBID, head: 200, admin: 200 }),
  },
  {
    op: 'GET /api/officers/{id}',
    request: (f) => ({ url: `/api/officers/${f.officerId}` }),
    // Heads of other units do not learn that the officer exists.
    cells: cells({
      anonymous: UNAUTH,
      citizens: FORBID,
      officers: FORBID,
      head: 200,
      'head.51': hidden('OFFICER_NOT_FOUND'),
      'department.head': hidden('OFFICER_NOT_FOUND'),
      admin: 200,
    }),
  },
  {
    op: 'POST /api/officers',
    request: () => ({
      url: '/api/officers',
      payload: {
        username: 'hotich.50',
        name: 'Phan Thu Trang',
        password: 'Mật-khẩu-đủ-dài-2026',
        roles: [{ role: 'specialist', unit: 'H41.50' }],
      },
    }),
    cells: ADMIN_ONLY(201),
  },
  {
    op: 'PATCH /api/officers/{id}',
    request: (f) => ({
      url: `/api/officers/${f.officerId}`,
      payload: { title: 'Công chức Tư pháp - Hộ tịch' },
    }),
    cells: ADMIN_ONLY(200),
  },
  { op: 'GET /api/settings', request: () => ({ url: '/api/settings' }), cells: ADMIN_ONLY(200) },
  {
    op: 'PUT /api/settings',
    request: () => ({ url: '/api/settings', payload: { values: { paper_transfer_cutoff: '15:00' } } }),
    cells: ADMIN_ONLY(200),
  },
];
