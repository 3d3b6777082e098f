import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROWS as DOSSIER_ROWS } from './endpoint-matrix.dossiers.js';
import {
  application,
  type Cell,
  DRAFTED,
  type Fixture,
  FOREIGN,
  ROWS as OTHER_ROWS,
  PEOPLE,
  type Req,
  type Row,
  USERNAMES,
  WHO,
  type Who,
} from './endpoint-matrix.table.js';
import { multipart, pdfBytes } from './file-fixtures.js';
import {
  citizenSession,
  ENGINES,
  errorCode,
  login,
  type Session,
  startTestApp,
  type TestApp,
} from './helpers.js';

/**
 * Issue 7, "Access": every endpoint × every principal, each cell asserting allowed or refused.
 *
 * Rows: every operation of the OpenAPI document the app serves (a test fails when one is missing from the table, so a
 * new endpoint must be classified). Columns: anonymous; the citizen who owns the resources and another citizen; the
 * reception, specialist, head/signer and clerk of H41.50 (the unit every unit-scoped resource belongs to); the same
 * four of another commune (H41.51), the provincial service centre's reception and two officers of a department
 * (foreign units); the province leader; the province administrator.
 *
 * Rules of a cell:
 * - Refused: 401 UNAUTHENTICATED (anonymous), 403 FORBIDDEN (wrong kind of principal or wrong role), or 404 with the
 *   resource's own not-found code where the platform hides that another unit's (or person's) resource exists. The
 *   code is asserted, and a refused request leaves no audit record (every write is audited, so nothing was written).
 * - Allowed: the exact status in the table. Requests are real (a dossier of H41.50 and its result documents, files,
 *   a payment, a returned dossier, a unit, form templates, drafts, all built through the API in beforeAll), so most
 *   allowed cells succeed. A write may use a body that is only valid enough to pass authorisation: an allowed cell
 *   may end in a validation or state 4xx (listed with its code), never in 401, 403 or a hiding 404.
 * - Writes are arranged so that the cells of a row do not depend on each other's order: a row whose request changes
 *   its resource has one allowed principal (sign, issue, revoke, rate…), reads the version it needs at the time of
 *   the request (comment), or gets a new resource per cell (supplement, deleting a file or a template).
 * - What an answer shows: a citizen never reads an officer's id; outside the public pages, the other citizen and the
 *   officers of other units never read the owner's dossier codes or personal ID number (unless their request named
 *   them), and no refused answer does. Some rows check more (lists, the counter lookup, each citizen's own draft…).
 * Sessions: each officer logs in once per engine; citizens get a session as after the OpenID Connect login; the login
 * and logout cells use a new session of the principal (both end the session they come with).
 */
const ROWS: Row[] = [...OTHER_ROWS, ...DOSSIER_ROWS];
/** Principals who may not see the owner's dossiers of H41.50 (the administrator's indicators list their codes). */
const BLIND = new Set<Who>(['citizen', ...FOREIGN]);

const pattern = (op: string) =>
  new RegExp(
    `^${op
      .split(' ')[1]!
      .replace(/\{\w+\}/g, '[^/]+')
      .replace(/\./g, '\\.')}$`,
  );

describe.each(ENGINES)('endpoint × principal matrix on %s', (engine) => {
  let t: TestApp;
  let f: Fixture;
  const sessions = {} as Record<Who, Session | null>;
  const subjects = {} as Record<Who, { type: 'officer' | 'citizen'; id: string } | null>;

  const inject = (s: Session | null, method: string, url: string, payload?: unknown, extra = {}) =>
    t.app.inject({
      method: method as 'GET',
      url,
      headers: { ...(s?.headers ?? {}), ...extra },
      ...(payload === undefined ? {} : { payload: payload as string }),
    });
  const ok = (res: LightMyRequestResponse, status = 200) => {
    expect(res.statusCode, res.body.slice(0, 300)).toBe(status);
    return res.json();
  };
  const version = async (code: string) =>
    (
      await t.ctx.database.db
        .selectFrom('dossiers')
        .select('version')
        .where('code', '=', code)
        .executeTakeFirstOrThrow()
    ).version;
  const act = async (who: Who, code: string, command: object) =>
    ok(
      await inject(sessions[who], 'POST', `/api/dossiers/${code}/actions`, {
        expectedVersion: await version(code),
        command,
      }),
    );
  /** A new session of the principal, created as the login would create it. */
  async function freshSession(who: Who): Promise<Session | null> {
    const subject = subjects[who];
    if (!subject) return null;
    const token = randomBytes(32).toString('base64url');
    const csrf = randomBytes(24).toString('base64url');
    await t.ctx.database.db
      .insertInto('sessions')
      .values({
        id: createHash('sha256').update(token).digest('hex'),
        subject_type: subject.type,
        subject_id: subject.id,
        csrf_token: csrf,
        expires_at: new Date(Date.now() + 3600_000),
        ip: null,
        user_agent: 'test',
      })
      .execute();
    const cookie = `tinhso_session=${token}`;
    return { cookie, csrf, headers: { cookie, 'x-csrf-token': csrf } };
  }
  const auditCount = async () =>
    Number(
      (
        await t.ctx.database.db
          .selectFrom('audit_log')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    t = await startTestApp(engine, { dossiers: 10 });
    const db = t.ctx.database.db;
    sessions.anonymous = null;
    subjects.anonymous = null;
    for (const who of ['owner', 'citizen'] as const) {
      sessions[who] = await citizenSession(t, PEOPLE[who].idNumber);
      const c = await db
        .selectFrom('citizens')
        .select('id')
        .where('personal_id', '=', PEOPLE[who].idNumber)
        .executeTakeFirstOrThrow();
      subjects[who] = { type: 'citizen', id: c.id };
    }
    for (const [who, username] of Object.entries(USERNAMES) as [Who, string][]) {
      sessions[who] = await login(t.app, username);
      const o = await db
        .selectFrom('officers')
        .select('id')
        .where('username', '=', username)
        .executeTakeFirstOrThrow();
      subjects[who] = { type: 'officer', id: o.id };
    }
    const procedure = '1.013225';
    const { definition } = await t.ctx.catalogue.get(procedure);
    const [first, second, third] = definition.components.map((c) => c.code);
    expect(third).toBeDefined();

    const fileOf = async (who: Who) => {
      if (!sessions[who]) return randomUUID();
      const body = multipart([{ filename: 'giay-to.pdf', type: 'application/pdf', content: pdfBytes() }]);
      return ok(await inject(sessions[who], 'POST', '/api/files', body.payload, body.headers), 201)
        .id as string;
    };
    const templateUrl = (component: string) => `/api/procedures/${procedure}/templates/${component}`;
    const ensureTemplate = async (component: string) => {
      if ((await inject(null, 'GET', templateUrl(component))).statusCode === 200) return;
      const body = multipart([{ filename: 'mau-don.pdf', type: 'application/pdf', content: pdfBytes() }]);
      ok(await inject(sessions.admin, 'PUT', templateUrl(component), body.payload, body.headers));
    };
    /** A counter registration of the owner at H41.50 with the reception's outcome. */
    const register = async (outcome: object) =>
      ok(
        await inject(sessions.reception, 'POST', '/api/dossiers', {
          ...application(procedure, 'reception'),
          applicant: PEOPLE.owner,
          outcome,
        }),
        201,
      ) as { code: string; version: number };

    // The owner's online dossier with a file, received at H41.50.
    const file = await fileOf('owner');
    const online = ok(
      await inject(sessions.owner, 'POST', '/api/dossiers', {
        ...application(procedure, 'owner'),
        components: [{ code: first, fileIds: [file] }],
      }),
      201,
    );
    const dossier = online.code as string;
    await act('reception', dossier, { type: 'accept' });
    await act('head', dossier, { type: 'assign', assignee: subjects.specialist!.id });
    // Result documents: a draft, a signed one, and two issued ones (of different kinds: one does not supersede the other).
    const draft = async (kind: string) =>
      ok(
        await inject(sessions.specialist, 'POST', `/api/dossiers/${dossier}/documents`, {
          kind,
          title: 'Giấy xác nhận',
          body: ['Xác nhận nội dung hồ sơ.'],
        }),
        201,
      ).id as string;
    const docAct = async (who: Who, id: string, op: string) =>
      ok(await inject(sessions[who], 'POST', `/api/documents/${id}/${op}`));
    const documents = {
      draft: await draft('document'),
      signed: await draft('certificate'),
      issued: await draft('licence'),
      result: await draft('confirmation'),
    };
    for (const id of [documents.signed, documents.issued, documents.result]) await docAct('head', id, 'sign');
    for (const id of [documents.issued, documents.result]) await docAct('clerk', id, 'issue');
    // Handed over to the head, named (the hand-over's payload carries the officer's id).
    await act('specialist', dossier, { type: 'forward', assignee: subjects.head!.id });
    const verifyToken = (
      await db
        .selectFrom('documents')
        .select('verify_token')
        .where('id', '=', documents.result)
        .executeTakeFirstOrThrow()
    ).verify_token!;
    const resultPdf = (await inject(sessions.head, 'GET', `/api/documents/${documents.result}/file`))
      .rawPayload;
    expect(resultPdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    // The owner's dossier whose result was returned.
    const returned = (await register({ type: 'accept' })).code;
    await act('specialist', returned, { type: 'forward' });
    await act('head', returned, { type: 'forward' }); // head → signer
    await act('head', returned, { type: 'forward' }); // signer → clerk
    await act('clerk', returned, { type: 'finish', outcome: 'approved' });
    expect((await act('reception', returned, { type: 'return_result', method: 'counter' })).status).toBe(10);

    // Each citizen's own draft of the procedure; a form template; an empty commune to merge.
    for (const who of ['owner', 'citizen'] as const) {
      ok(
        await inject(sessions[who], 'PUT', `/api/me/drafts/${DRAFTED}`, {
          data: { hoTen: PEOPLE[who].name },
        }),
      );
    }
    await ensureTemplate(first!);
    ok(
      await inject(sessions.admin, 'POST', '/api/units', {
        code: 'H41.71',
        name: 'Ủy ban nhân dân xã Sáp Nhập Thử',
        level: 'commune',
        parentCode: 'H41',
        validFrom: '2020-01-01',
      }),
      201,
    );

    f = {
      dossier,
      returned,
      procedure,
      definition: (await inject(null, 'GET', `/api/procedures/${procedure}`)).json().definition,
      components: { template: first!, upload: second!, remove: third! },
      documents,
      verifyToken,
      resultPdf,
      file,
      officerId: subjects.specialist!.id,
      assignees: [subjects.specialist!.id, subjects.head!.id],
      mergeUnit: 'H41.71',
      version,
      waitingForSupplement: async () => {
        const d = await register({
          type: 'request_supplement',
          reason: 'Thiếu giấy tờ',
          items: ['Bản vẽ thiết kế'],
        });
        return { code: d.code, version: d.version, component: first! };
      },
      fileOf,
      ensureTemplate,
    };
  });
  afterAll(async () => t?.close());

  it('classifies every operation of the OpenAPI document, once', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const ops = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`),
    );
    const table = ROWS.map((r) => r.op);
    expect(ops.length).toBeGreaterThan(80);
    expect(
      ops.filter((op) => !table.includes(op)),
      'operations without a row in the matrix',
    ).toEqual([]);
    expect(
      table.filter((op) => !ops.includes(op)),
      'rows for operations the app does not have',
    ).toEqual([]);
    expect(new Set(table).size).toBe(table.length);
  });

  /** The owner's dossier codes and personal ID number are not in the answer, unless the request named them. */
  function expectNotShown(res: LightMyRequestResponse, req: Req, who: Who) {
    for (const secret of [f.dossier, f.returned, PEOPLE.owner.idNumber]) {
      if (!JSON.stringify(req).includes(secret))
        expect(res.body.includes(secret), `${who} reads ${secret}`).toBe(false);
    }
  }

  describe.each(ROWS)('$op', (row) => {
    const method = row.op.split(' ')[0]!;
    it.each(WHO)('%s', async (who) => {
      const cell: Cell = row.cells[who];
      const req: Req = await row.request(f, who);
      expect(req.url.split('?')[0]).toMatch(pattern(row.op));
      const session = req.freshSession ? await freshSession(who) : sessions[who];
      const audits = 'refuse' in cell ? await auditCount() : 0;
      const res = await t.app.inject({
        method: method as 'GET',
        url: req.url,
        headers: { ...(session?.headers ?? {}), ...req.headers },
        ...(req.payload === undefined ? {} : { payload: req.payload as string }),
        ...(req.remoteAddress ? { remoteAddress: req.remoteAddress } : {}),
      });
      const seen = `${who}: ${res.statusCode} ${res.body.slice(0, 300)}`;
      if ('refuse' in cell) {
        expect([res.statusCode, errorCode(res)], seen).toEqual([cell.refuse, cell.code]);
        expect(await auditCount(), `${who}: a refused request wrote an audit record`).toBe(audits);
        expectNotShown(res, req, who);
        return;
      }
      expect(res.statusCode, seen).toBe(cell.allow);
      if (res.statusCode >= 400) {
        expect(errorCode(res), seen).toBe(cell.code);
        expect(['UNAUTHENTICATED', 'FORBIDDEN', 'CSRF_FAILED']).not.toContain(errorCode(res));
      }
      // Whatever a citizen reads names no officer's id (the back office's internal identifiers).
      if (who === 'owner' || who === 'citizen') {
        for (const [o, subject] of Object.entries(subjects)) {
          if (subject?.type === 'officer')
            expect(res.body.includes(subject.id), `${who} sees ${o}'s id`).toBe(false);
        }
      }
      // Beyond the public pages, whoever may not see the owner's dossiers never reads what identifies them.
      if (BLIND.has(who) && 'refuse' in row.cells.anonymous) expectNotShown(res, req, who);
      await row.check?.(res, f, who);
    });
  });
});
