import { expect } from 'vitest';
import {
  ADMIN_ONLY,
  ANY_OFFICER,
  application,
  CITIZENS_ONLY,
  cells,
  codes,
  DAY,
  DOCUMENT_ACT,
  DOSSIER,
  DOSSIER_READ,
  DRAFT_RESULT,
  DRAFTED,
  FORBID,
  hidden,
  PEOPLE,
  PERIOD,
  PUBLIC,
  pdfUpload,
  type Row,
  UNAUTH,
  UNIT,
  WATCHERS,
} from './endpoint-matrix.table.js';

const FORMULA = {
  id: 'TDGQ.timely',
  group: 'TDGQ',
  validFrom: '2099-01-01',
  label: 'Tiến độ giải quyết (phiên bản thử của bảng quyền truy cập)',
  numerator: ['inProgressWithinDeadline', 'early', 'onTime'],
  denominator: 'received',
  maxPoints: 20,
  source: 'Kiểm thử quyền truy cập',
};

/** Rows of the matrix for dossiers, everything attached to them, and the indicators counting them. */
export const ROWS: Row[] = [
  // Dossiers
  {
    op: 'POST /api/dossiers',
    request: (f, who) => ({ url: '/api/dossiers', payload: application(f.procedure, who) }),
    // Any citizen applies online; any reception officer registers at their own counter for the commune.
    cells: cells({
      anonymous: UNAUTH,
      citizens: 201,
      officers: FORBID,
      reception: 201,
      'reception.51': 201,
      centre: 201,
    }),
  },
  {
    op: 'GET /api/dossiers',
    request: () => ({ url: '/api/dossiers?unit=H41.50&limit=200' }),
    cells: cells({ ...UNIT(200), citizens: 200 }),
    check: (res, f, who) => {
      // A citizen's list is their own, whatever the unit asked for.
      if (who === 'citizen') expect(codes(res)).not.toContain(f.dossier);
      else expect(codes(res)).toContain(f.dossier);
    },
  },
  {
    op: 'GET /api/dossiers/{code}',
    request: (f) => ({ url: `/api/dossiers/${f.dossier}` }),
    cells: DOSSIER_READ(200),
    // Officers see who the dossier was assigned to; the applicant sees no officer's id.
    check: (res, f, who) => {
      for (const id of f.assignees) expect(res.body.includes(id), id).toBe(who !== 'owner');
    },
  },
  {
    op: 'POST /api/dossiers/{code}/actions',
    request: async (f) => ({
      url: `/api/dossiers/${f.dossier}/actions`,
      payload: {
        expectedVersion: await f.version(f.dossier),
        command: { type: 'comment', text: 'Ý kiến nội bộ' },
      },
    }),
    // Internal opinions: officers working on the dossier; not the applicant, not the leader.
    cells: cells({ ...DOSSIER(200), owner: FORBID, leader: FORBID }),
  },
  {
    op: 'POST /api/dossiers/{code}/supplement',
    request: async (f, who) => {
      const d = await f.waitingForSupplement();
      return {
        url: `/api/dossiers/${d.code}/supplement`,
        payload: {
          expectedVersion: d.version,
          components: [{ code: d.component, fileIds: [await f.fileOf(who)] }],
        },
      };
    },
    // The applicant online, or the reception officer at the counter.
    cells: cells({ ...DOSSIER(200), own: FORBID, reception: 200, leader: FORBID }),
  },
  {
    op: 'POST /api/dossiers/batch',
    // A stale version: the item fails, the request does not (items of dossiers not seen: DOSSIER_NOT_FOUND).
    request: (f) => ({
      url: '/api/dossiers/batch',
      payload: { command: { type: 'forward' }, items: [{ code: f.dossier, expectedVersion: 999 }] },
    }),
    cells: cells({
      anonymous: UNAUTH,
      citizens: FORBID,
      officers: FORBID,
      head: 200,
      'head.51': 200,
      'department.head': 200,
    }),
    check: (res, _f, who) => {
      const [item] = res.json().results;
      expect(item.error.code).toBe(who === 'head' ? 'VERSION_CONFLICT' : 'DOSSIER_NOT_FOUND');
    },
  },
  // Work queues
  { op: 'GET /api/queues', request: () => ({ url: '/api/queues?unit=H41.50' }), cells: cells(UNIT(200)) },
  {
    op: 'GET /api/queues/{key}',
    request: () => ({ url: '/api/queues/to_process?unit=H41.50' }),
    cells: cells(UNIT(200)),
  },
  {
    op: 'GET /api/leader/load',
    request: () => ({ url: '/api/leader/load?unit=H41.50' }),
    cells: cells({ anonymous: UNAUTH, citizens: FORBID, officers: FORBID, head: 200, leader: 200 }),
  },
  // Forms and result documents
  {
    op: 'GET /api/dossiers/{code}/forms/{form}',
    // Mẫu 05, the control sheet (the receipt and the other forms: access-matrix.test.ts).
    request: (f) => ({ url: `/api/dossiers/${f.dossier}/forms/control-sheet?format=xlsx` }),
    cells: DOSSIER_READ(200),
    check: (res) => expect(res.headers['content-type']).toContain('spreadsheetml'),
  },
  {
    op: 'GET /api/registers/dossiers',
    request: () => ({ url: `/api/registers/dossiers?unit=H41.50&from=${DAY}&to=${DAY}&format=xlsx` }),
    cells: cells(UNIT(200)),
  },
  {
    op: 'GET /api/dossiers/{code}/documents',
    request: (f) => ({ url: `/api/dossiers/${f.dossier}/documents` }),
    cells: DOSSIER_READ(200),
    check: (res, f, who) => {
      const ids = (res.json().items as { id: string }[]).map((d) => d.id);
      // The applicant sees issued results only.
      expect(ids.includes(f.documents.draft)).toBe(who !== 'owner');
      expect(ids).toContain(f.documents.result);
    },
  },
  {
    op: 'POST /api/dossiers/{code}/documents',
    request: (f) => ({ url: `/api/dossiers/${f.dossier}/documents`, payload: DRAFT_RESULT }),
    cells: cells({ ...DOSSIER(201), owner: FORBID, citizen: FORBID, reception: FORBID, leader: FORBID }),
  },
  {
    op: 'GET /api/dossiers/{code}/signers',
    request: (f) => ({ url: `/api/dossiers/${f.dossier}/signers` }),
    cells: cells({ ...DOSSIER(200), owner: FORBID, citizen: FORBID }),
  },
  {
    op: 'POST /api/documents/{id}/sign',
    request: (f) => ({ url: `/api/documents/${f.documents.draft}/sign` }),
    cells: DOCUMENT_ACT('head', 200),
  },
  {
    op: 'POST /api/documents/{id}/issue',
    request: (f) => ({ url: `/api/documents/${f.documents.signed}/issue` }),
    cells: DOCUMENT_ACT('clerk', 200),
  },
  {
    op: 'POST /api/documents/{id}/revoke',
    request: (f) => ({ url: `/api/documents/${f.documents.issued}/revoke`, payload: { reason: 'Cấp nhầm' } }),
    cells: DOCUMENT_ACT('head', 200),
  },
  {
    op: 'GET /api/documents/{id}/file',
    request: (f) => ({ url: `/api/documents/${f.documents.result}/file` }),
    cells: DOSSIER_READ(200, 'DOCUMENT_NOT_FOUND'),
  },
  { op: 'GET /api/trust-anchors', request: () => ({ url: '/api/trust-anchors' }), cells: PUBLIC(200) },
  {
    op: 'GET /api/verify/{token}',
    request: (f) => ({ url: `/api/verify/${f.verifyToken}` }),
    cells: PUBLIC(200),
  },
  {
    op: 'POST /api/verify',
    request: (f) => ({
      url: '/api/verify',
      payload: f.resultPdf,
      headers: { 'content-type': 'application/pdf' },
    }),
    cells: PUBLIC(200),
  },
  { op: 'GET /api/lookup/{code}', request: (f) => ({ url: `/api/lookup/${f.dossier}` }), cells: PUBLIC(200) },
  {
    op: 'GET /api/lookup/{code}/qr.svg',
    request: (f) => ({ url: `/api/lookup/${f.dossier}/qr.svg` }),
    cells: PUBLIC(200),
  },
  // Files
  {
    op: 'POST /api/files',
    request: () => {
      const body = pdfUpload();
      return { url: '/api/files', payload: body.payload, headers: body.headers };
    },
    cells: cells({ all: 201, anonymous: UNAUTH }),
  },
  {
    op: 'GET /api/files/{id}',
    request: (f) => ({ url: `/api/files/${f.file}` }),
    cells: DOSSIER_READ(200, 'FILE_NOT_FOUND'),
  },
  {
    op: 'DELETE /api/files/{id}',
    // A new file of the owner, attached to nothing: only the owner deletes it.
    request: async (f) => ({ url: `/api/files/${await f.fileOf('owner')}` }),
    cells: cells({ all: hidden('FILE_NOT_FOUND'), anonymous: UNAUTH, owner: 204 }),
  },
  {
    op: 'GET /api/dossiers/{code}/components',
    request: (f) => ({ url: `/api/dossiers/${f.dossier}/components` }),
    cells: DOSSIER_READ(200),
  },
  // The citizen's own space
  { op: 'GET /api/me/files', request: () => ({ url: '/api/me/files' }), cells: CITIZENS_ONLY(200) },
  {
    op: 'POST /api/me/files/from-result',
    request: (f) => ({ url: '/api/me/files/from-result', payload: { documentId: f.documents.result } }),
    cells: cells({ all: FORBID, anonymous: UNAUTH, owner: 201, citizen: hidden('DOCUMENT_NOT_FOUND') }),
  },
  { op: 'GET /api/me/drafts', request: () => ({ url: '/api/me/drafts' }), cells: CITIZENS_ONLY(200) },
  {
    op: 'GET /api/me/drafts/{procedureCode}',
    request: () => ({ url: `/api/me/drafts/${DRAFTED}` }),
    cells: CITIZENS_ONLY(200),
    // Each citizen reads their own draft.
    check: (res, _f, who) => expect(res.json().data.hoTen).toBe(PEOPLE[who as 'owner'].name),
  },
  {
    op: 'PUT /api/me/drafts/{procedureCode}',
    request: () => ({ url: '/api/me/drafts/1.001193', payload: { data: { hoTen: 'Nháp' } } }),
    cells: CITIZENS_ONLY(200),
  },
  {
    op: 'DELETE /api/me/drafts/{procedureCode}',
    request: () => ({ url: '/api/me/drafts/1.001193' }),
    cells: CITIZENS_ONLY(204),
  },
  // Payments
  {
    op: 'GET /api/dossiers/{code}/fees',
    request: (f) => ({ url: `/api/dossiers/${f.dossier}/fees` }),
    cells: DOSSIER_READ(200),
  },
  {
    op: 'POST /api/dossiers/{code}/payments',
    request: (f) => ({ url: `/api/dossiers/${f.dossier}/payments`, payload: {} }),
    // The applicant pays; officers who see the dossier are told it is not theirs to pay.
    cells: cells({ ...DOSSIER(201), own: FORBID, leader: FORBID }),
  },
  {
    op: 'GET /api/payments/vnpay/return',
    request: () => ({ url: '/api/payments/vnpay/return?vnp_TxnRef=x' }),
    cells: PUBLIC(302),
  },
  {
    op: 'GET /api/payments/vnpay/ipn',
    request: () => ({ url: '/api/payments/vnpay/ipn?vnp_TxnRef=x' }),
    cells: PUBLIC(200),
    check: (res) => expect(res.json().RspCode).not.toBe('00'),
  },
  {
    op: 'GET /api/me/profile',
    request: () => ({ url: '/api/me/profile' }),
    cells: CITIZENS_ONLY(200),
    check: (res, _f, who) => expect(res.json().personalId).toBe(PEOPLE[who as 'owner'].idNumber),
  },
  {
    op: 'PUT /api/me/profile',
    request: () => ({ url: '/api/me/profile', payload: {} }),
    cells: CITIZENS_ONLY(200),
  },
  // Ratings and notifications
  {
    op: 'GET /api/dossiers/{code}/rating',
    request: (f) => ({ url: `/api/dossiers/${f.returned}/rating` }),
    cells: DOSSIER_READ(200),
    check: (res, _f, who) => expect(res.json().canRate).toBe(who === 'owner'),
  },
  {
    op: 'POST /api/dossiers/{code}/rating',
    request: (f) => ({ url: `/api/dossiers/${f.returned}/rating`, payload: { level: 'satisfied' } }),
    cells: cells({ ...DOSSIER(201), own: FORBID, leader: FORBID }),
  },
  {
    op: 'GET /api/dossiers/{code}/notifications',
    request: (f) => ({ url: `/api/dossiers/${f.dossier}/notifications` }),
    cells: DOSSIER_READ(200),
  },
  {
    op: 'GET /api/citizens/{personalId}',
    request: () => ({ url: `/api/citizens/${PEOPLE.owner.idNumber}` }),
    // Any counter finds the person, but shows only the dossiers its officer may see.
    cells: cells({
      anonymous: UNAUTH,
      citizens: FORBID,
      officers: FORBID,
      reception: 200,
      'reception.51': 200,
      centre: 200,
    }),
    check: (res, f, who) => {
      const shown = codes(res, 'dossiers');
      if (who === 'reception') expect(shown).toContain(f.dossier);
      else expect(shown).not.toContain(f.dossier);
    },
  },
  // Indicators
  {
    op: 'GET /api/indicators',
    request: () => ({ url: `/api/indicators?unit=H41.50&${PERIOD}` }),
    cells: WATCHERS(200),
  },
  {
    op: 'GET /api/indicators/trend',
    request: () => ({ url: `/api/indicators/trend?unit=H41.50&${PERIOD}` }),
    cells: WATCHERS(200),
  },
  {
    op: 'GET /api/indicators/ranking',
    request: () => ({ url: `/api/indicators/ranking?level=commune&${PERIOD}` }),
    // The ranking of all communes: whoever watches a unit.
    cells: cells({
      anonymous: UNAUTH,
      citizens: FORBID,
      officers: FORBID,
      head: 200,
      'head.51': 200,
      'department.head': 200,
      leader: 200,
      admin: 200,
    }),
  },
  {
    op: 'GET /api/indicators/dossiers',
    request: () => ({ url: `/api/indicators/dossiers?unit=H41.50&${PERIOD}&key=received` }),
    cells: WATCHERS(200),
  },
  {
    op: 'GET /api/indicators/at-risk',
    request: () => ({ url: '/api/indicators/at-risk?unit=H41.50' }),
    cells: WATCHERS(200),
  },
  {
    op: 'GET /api/indicators/formulas',
    request: () => ({ url: '/api/indicators/formulas' }),
    cells: ANY_OFFICER(200),
  },
  {
    op: 'POST /api/indicators/formulas',
    request: () => ({ url: '/api/indicators/formulas', payload: FORMULA }),
    cells: ADMIN_ONLY(201),
  },
  {
    op: 'POST /api/indicators/rebuild',
    request: () => ({ url: '/api/indicators/rebuild' }),
    cells: ADMIN_ONLY(200),
  },
  {
    op: 'GET /api/indicators/export.xlsx',
    request: () => ({ url: `/api/indicators/export.xlsx?unit=H41.50&${PERIOD}` }),
    cells: WATCHERS(200),
  },
  {
    op: 'GET /api/indicators/export.pdf',
    request: () => ({ url: `/api/indicators/export.pdf?unit=H41.50&${PERIOD}` }),
    cells: WATCHERS(200),
  },
  // Public transparency
  {
    op: 'GET /api/public/transparency',
    request: () => ({ url: `/api/public/transparency?${PERIOD}` }),
    cells: PUBLIC(200),
  },
  {
    op: 'GET /api/public/transparency/{code}',
    request: () => ({ url: `/api/public/transparency/H41.50?${PERIOD}` }),
    cells: PUBLIC(200),
  },
  {
    op: 'GET /api/open-data/transparency.json',
    request: () => ({ url: '/api/open-data/transparency.json' }),
    cells: PUBLIC(200),
  },
  {
    op: 'GET /api/open-data/transparency.csv',
    request: () => ({ url: '/api/open-data/transparency.csv' }),
    cells: PUBLIC(200),
  },
];
