import { ALL_COMMANDS, type CommandType } from '@tinhso/domain';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, errorCode, login, type Session, startTestApp, type TestApp } from './helpers.js';

/**
 * Issue 4: "An officer never sees or acts on another unit's dossiers unless the workflow routes them there: a test
 * for every action proves it." For every dossier command and every dossier-scoped read, officers of other units
 * (another commune's reception, specialist, head/signer and clerk; the provincial service centre; a department; the
 * administrator) get 404 DOSSIER_NOT_FOUND — never 200, never a 403 that would reveal the dossier exists — while
 * the right officer of H41.50, in the right state, succeeds. Dossiers are built through the API.
 */
type Own = 'reception' | 'specialist' | 'head' | 'clerk';
const OWN: Record<Own, string> = {
  reception: 'tiepnhan.50',
  specialist: 'tuphap.50',
  head: 'chutich.50',
  clerk: 'vanthu.50',
};
const FOREIGN = [
  'tiepnhan.51',
  'tuphap.51',
  'chutich.51',
  'vanthu.51',
  'tiepnhan', // provincial public-administration service centre H41.02
  'chuyenvien.xd', // a department (H41.04)
  'truongphong.xd',
  'admin', // configuration only: the admin role shows no dossier
];

/** States a dossier of H41.50 is brought to through the API before a command is tried on it. */
type State = 'new' | 'supplement' | 'received' | 'head_step' | 'payment' | 'last_step' | 'done';

interface CommandCase {
  state: State;
  who: Own;
  command: (ids: { specialist: string }) => Record<string, unknown>;
  /** Expected answer of the right officer: 200, or a state error (never a permission error). */
  expect: { status: number; code?: string };
}

const COMMANDS: Record<CommandType, CommandCase> = {
  accept: { state: 'new', who: 'reception', command: () => ({ type: 'accept' }), expect: { status: 200 } },
  refuse: {
    state: 'new',
    who: 'reception',
    command: () => ({ type: 'refuse', reason: 'Không thuộc thẩm quyền' }),
    expect: { status: 200 },
  },
  request_supplement: {
    state: 'received',
    who: 'specialist',
    command: () => ({ type: 'request_supplement', reason: 'Thiếu bản vẽ', items: ['Bản vẽ thiết kế'] }),
    expect: { status: 200 },
  },
  provide_supplement: {
    state: 'supplement',
    who: 'reception',
    command: () => ({ type: 'provide_supplement', note: 'Đã nộp bổ sung tại quầy' }),
    expect: { status: 200 },
  },
  forward: {
    state: 'received',
    who: 'specialist',
    command: () => ({ type: 'forward' }),
    expect: { status: 200 },
  },
  send_back: {
    state: 'head_step',
    who: 'head',
    command: () => ({ type: 'send_back', reason: 'Cần thẩm định lại' }),
    expect: { status: 200 },
  },
  assign: {
    state: 'received',
    who: 'head',
    command: (ids) => ({ type: 'assign', assignee: ids.specialist }),
    expect: { status: 200 },
  },
  request_payment: {
    state: 'received',
    who: 'specialist',
    command: () => ({ type: 'request_payment', reason: 'Lệ phí cấp phép', amountVnd: 75000 }),
    expect: { status: 200 },
  },
  confirm_payment: {
    state: 'payment',
    who: 'reception',
    command: () => ({ type: 'confirm_payment', reference: 'BL-0001' }),
    expect: { status: 200 },
  },
  apologize: {
    state: 'received',
    who: 'specialist',
    command: () => ({
      type: 'apologize',
      reason: 'Cần xác minh thêm',
      newDueAt: new Date(Date.now() + 40 * 86_400_000).toISOString(),
    }),
    expect: { status: 200 },
  },
  finish: {
    state: 'last_step',
    who: 'clerk',
    command: () => ({ type: 'finish', outcome: 'approved' }),
    expect: { status: 200 },
  },
  return_result: {
    state: 'done',
    who: 'reception',
    command: () => ({ type: 'return_result', method: 'counter' }),
    expect: { status: 200 },
  },
  withdraw: {
    state: 'received',
    who: 'reception',
    command: () => ({ type: 'withdraw', reason: 'Người nộp xin rút hồ sơ' }),
    expect: { status: 200 },
  },
  stop: {
    state: 'received',
    who: 'head',
    command: () => ({ type: 'stop', reason: 'Người nộp đề nghị dừng' }),
    expect: { status: 200 },
  },
  comment: {
    state: 'received',
    who: 'specialist',
    command: () => ({ type: 'comment', text: 'Ý kiến nội bộ' }),
    expect: { status: 200 },
  },
};

describe.each(ENGINES)('officers of other units on %s', (engine) => {
  let t: TestApp;
  const own = {} as Record<Own, Session>;
  const foreign: Record<string, Session> = {};
  const ids = { specialist: '' };
  let components: string[] = [];

  const inject = (s: Session, method: 'GET' | 'POST', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: s.headers, ...(payload ? { payload } : {}) });
  const act = async (s: Session, code: string, version: number, command: object) =>
    inject(s, 'POST', `/api/dossiers/${code}/actions`, { expectedVersion: version, command });
  const ok = (res: LightMyRequestResponse) => {
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    return res.json() as { code: string; version: number; status: number };
  };

  /** A dossier of H41.50 (received at its counter), brought to `state` by the officers of H41.50. */
  async function dossierIn(state: State): Promise<{ code: string; version: number }> {
    const outcome =
      state === 'new'
        ? undefined
        : state === 'supplement'
          ? { type: 'request_supplement', reason: 'Thiếu giấy tờ', items: ['Bản sao giấy chứng nhận'] }
          : { type: 'accept' };
    const res = await inject(own.reception, 'POST', '/api/dossiers', {
      procedureCode: '1.013225',
      channel: 'counter',
      competentUnit: 'H41.50',
      applicant: { name: 'Lê Văn Bình', idNumber: '040111222333' },
      // The officer ticks the paper components handed in at the counter.
      components: components.map((code) => ({ code, provided: true })),
      ...(outcome ? { outcome } : {}),
    });
    expect(res.statusCode, res.body).toBe(201);
    let d = res.json() as { code: string; version: number; status: number };
    if (state === 'head_step' || state === 'last_step' || state === 'done') {
      d = ok(await act(own.specialist, d.code, d.version, { type: 'forward' }));
    }
    if (state === 'last_step' || state === 'done') {
      d = ok(await act(own.head, d.code, d.version, { type: 'forward' })); // head → signer
      d = ok(await act(own.head, d.code, d.version, { type: 'forward' })); // signer → clerk
    }
    if (state === 'done')
      d = ok(await act(own.clerk, d.code, d.version, { type: 'finish', outcome: 'approved' }));
    if (state === 'payment') {
      d = ok(
        await act(own.specialist, d.code, d.version, {
          type: 'request_payment',
          reason: 'Lệ phí',
          amountVnd: 75000,
        }),
      );
    }
    const expected: Record<State, number> = {
      new: 1,
      supplement: 5,
      received: 2,
      head_step: 4,
      payment: 6,
      last_step: 4,
      done: 9,
    };
    expect(d.status).toBe(expected[state]);
    return { code: d.code, version: d.version };
  }

  const versionOf = async (code: string) =>
    (await inject(own.reception, 'GET', `/api/dossiers/${code}`)).json().version as number;

  const expectHidden = (res: LightMyRequestResponse, who: string) => {
    expect(res.statusCode, `${who}: ${res.body.slice(0, 200)}`).toBe(404);
    expect(errorCode(res), who).toBe('DOSSIER_NOT_FOUND');
  };

  beforeAll(async () => {
    t = await startTestApp(engine, { dossiers: 10 });
    for (const [role, username] of Object.entries(OWN)) own[role as Own] = await login(t.app, username);
    for (const username of FOREIGN) foreign[username] = await login(t.app, username);
    const row = await t.ctx.database.db
      .selectFrom('officers')
      .select('id')
      .where('username', '=', 'tuphap.50')
      .executeTakeFirstOrThrow();
    ids.specialist = row.id;
    const { definition } = await t.ctx.catalogue.get('1.013225');
    components = definition.components.filter((c) => c.required).map((c) => c.code);
    expect(components.length).toBeGreaterThan(0);
  });
  afterAll(async () => t?.close());

  it('covers every command of the state machine', () => {
    expect(Object.keys(COMMANDS).sort()).toEqual([...ALL_COMMANDS].sort());
  });

  it.each(Object.entries(COMMANDS) as [CommandType, CommandCase][])(
    'command %s: 404 for every other unit, allowed for the right officer of H41.50',
    async (type, c) => {
      const d = await dossierIn(c.state);
      for (const username of FOREIGN) {
        const res = await act(foreign[username]!, d.code, d.version, c.command(ids));
        expectHidden(res, `${username} ${type}`);
      }
      // Nothing was written by the refused attempts.
      expect(await versionOf(d.code)).toBe(d.version);
      const res = await act(own[c.who], d.code, d.version, c.command(ids));
      expect(res.statusCode, `${OWN[c.who]} ${type}: ${res.body.slice(0, 300)}`).toBe(c.expect.status);
      if (c.expect.code) expect(errorCode(res)).toBe(c.expect.code);
      if (res.statusCode === 200) expect(res.json().version).toBe(d.version + 1);
    },
  );

  interface ReadCase {
    name: string;
    method: 'GET' | 'POST';
    url: (code: string) => string;
    body?: object;
    /** The officer of H41.50 who may use it, and the answer they get. */
    who: Own;
    expect: number;
  }
  const draft = {
    kind: 'confirmation',
    title: 'Giấy xác nhận',
    body: ['Xác nhận hồ sơ đã được giải quyết.'],
  };
  const READS: ReadCase[] = [
    { name: 'dossier', method: 'GET', url: (c) => `/api/dossiers/${c}`, who: 'specialist', expect: 200 },
    ...(['receipt', 'control-sheet'] as const).map(
      (form): ReadCase => ({
        name: `form ${form}`,
        method: 'GET',
        url: (c) => `/api/dossiers/${c}/forms/${form}`,
        who: 'reception',
        expect: 200,
      }),
    ),
    ...(['supplement', 'refusal', 'apology'] as const).map(
      (form): ReadCase => ({
        name: `form ${form} (not issued for this dossier)`,
        method: 'GET',
        url: (c) => `/api/dossiers/${c}/forms/${form}`,
        who: 'reception',
        expect: 409,
      }),
    ),
    {
      name: 'control sheet as XLSX',
      method: 'GET',
      url: (c) => `/api/dossiers/${c}/forms/control-sheet?format=xlsx`,
      who: 'head',
      expect: 200,
    },
    {
      name: 'components',
      method: 'GET',
      url: (c) => `/api/dossiers/${c}/components`,
      who: 'specialist',
      expect: 200,
    },
    {
      name: 'documents',
      method: 'GET',
      url: (c) => `/api/dossiers/${c}/documents`,
      who: 'head',
      expect: 200,
    },
    {
      name: 'signers of the result',
      method: 'GET',
      url: (c) => `/api/dossiers/${c}/signers`,
      who: 'specialist',
      expect: 200,
    },
    {
      name: 'draft a result document',
      method: 'POST',
      url: (c) => `/api/dossiers/${c}/documents`,
      body: draft,
      who: 'specialist',
      expect: 201,
    },
    {
      name: 'notifications',
      method: 'GET',
      url: (c) => `/api/dossiers/${c}/notifications`,
      who: 'reception',
      expect: 200,
    },
    { name: 'fees', method: 'GET', url: (c) => `/api/dossiers/${c}/fees`, who: 'reception', expect: 200 },
    { name: 'rating', method: 'GET', url: (c) => `/api/dossiers/${c}/rating`, who: 'reception', expect: 200 },
    {
      name: 'supplement answer',
      method: 'POST',
      url: (c) => `/api/dossiers/${c}/supplement`,
      body: {
        expectedVersion: 2,
        components: [{ code: 'TP1', fileIds: ['00000000-0000-4000-8000-000000000000'] }],
      },
      who: 'reception',
      expect: 409,
    },
  ];

  it.each(READS)('$method $name: 404 for every other unit', async (c) => {
    const d = await dossierIn('received');
    for (const username of FOREIGN) {
      const res = await inject(foreign[username]!, c.method, c.url(d.code), c.body);
      expectHidden(res, `${username} ${c.name}`);
    }
    const res = await inject(own[c.who], c.method, c.url(d.code), c.body);
    expect(res.statusCode, `${OWN[c.who]} ${c.name}: ${res.body.slice(0, 300)}`).toBe(c.expect);
    if (c.expect >= 400) expect(errorCode(res)).not.toBe('FORBIDDEN');
  });

  /**
   * A document id of another unit answers exactly what an unknown id answers (404 DOCUMENT_NOT_FOUND, same body):
   * neither its existence nor its dossier's code is confirmed.
   */
  const UNKNOWN_DOCUMENT = '00000000-0000-4000-8000-000000000000';
  async function expectNoDocument(
    s: Session,
    method: 'GET' | 'POST',
    path: string,
    who: string,
    body?: object,
  ) {
    const res = await inject(s, method, `/api/documents/${path}`, body);
    const unknown = await inject(
      s,
      method,
      `/api/documents/${path.replace(/^[^/]+/, UNKNOWN_DOCUMENT)}`,
      body,
    );
    expect(unknown.statusCode, unknown.body).toBe(404);
    expect(res.statusCode, `${who}: ${res.body.slice(0, 200)}`).toBe(404);
    expect(errorCode(res), who).toBe('DOCUMENT_NOT_FOUND');
    expect(res.body, who).toBe(unknown.body);
  }

  it('a result document’s file is hidden from other units', async () => {
    const d = await dossierIn('received');
    const drafted = await inject(own.specialist, 'POST', `/api/dossiers/${d.code}/documents`, draft);
    expect(drafted.statusCode, drafted.body).toBe(201);
    const id = drafted.json().id as string;
    for (const username of FOREIGN) await expectNoDocument(foreign[username]!, 'GET', `${id}/file`, username);
    const mine = await inject(own.head, 'GET', `/api/documents/${id}/file`);
    expect(mine.statusCode).toBe(200);
    expect(mine.headers['content-type']).toBe('application/pdf');
  });

  it('signing, issuing and revoking a result: 404 for every other unit, 403 for the wrong role of H41.50', async () => {
    const d = await dossierIn('received');
    const drafted = await inject(own.specialist, 'POST', `/api/dossiers/${d.code}/documents`, draft);
    expect(drafted.statusCode, drafted.body).toBe(201);
    const id = drafted.json().id as string;
    const revoke = { reason: 'Cấp nhầm người nhận' };
    const ops = [
      ['sign', undefined],
      ['issue', undefined],
      ['revoke', revoke],
    ] as const;
    const forbidden = async (who: Own, op: string, body?: object) => {
      const res = await inject(own[who], 'POST', `/api/documents/${id}/${op}`, body);
      expect(res.statusCode, `${OWN[who]} ${op}: ${res.body.slice(0, 200)}`).toBe(403);
      expect(errorCode(res)).toBe('FORBIDDEN');
    };
    const step = async (who: Own, op: string, status: string, body?: object) => {
      // Officers of other units learn nothing, whatever the document's state …
      for (const [o, b] of ops)
        for (const username of FOREIGN)
          await expectNoDocument(foreign[username]!, 'POST', `${id}/${o}`, `${username} ${o}`, b);
      // … an officer of H41.50 without the role is told it is not theirs to do …
      await forbidden('reception', op, body);
      // … and the right one does it.
      const res = await inject(own[who], 'POST', `/api/documents/${id}/${op}`, body);
      expect(res.statusCode, `${OWN[who]} ${op}: ${res.body.slice(0, 300)}`).toBe(200);
      expect(res.json().status).toBe(status);
    };
    await step('head', 'sign', 'signed');
    await forbidden('head', 'issue');
    await step('clerk', 'issue', 'issued');
    await forbidden('specialist', 'revoke', revoke);
    await step('head', 'revoke', 'revoked', revoke);
  });

  it('lists and searches never show another unit’s dossier', async () => {
    const d = await dossierIn('received');
    for (const username of FOREIGN) {
      const list = await inject(foreign[username]!, 'GET', '/api/dossiers?limit=200&q=040111222333');
      expect(list.statusCode).toBe(200);
      expect(
        list.json().items.map((i: { code: string }) => i.code),
        username,
      ).not.toContain(d.code);
    }
    const scoped = await inject(foreign['tiepnhan.51']!, 'GET', '/api/dossiers?unit=H41.50');
    expect(scoped.statusCode).toBe(403);
    const mine = await inject(own.reception, 'GET', '/api/dossiers?limit=200&q=040111222333');
    expect(mine.json().items.map((i: { code: string }) => i.code)).toContain(d.code);
  });

  it('the workflow routes a dossier received at the provincial centre to the commune, and only there', async () => {
    const res = await inject(foreign['tiepnhan']!, 'POST', '/api/dossiers', {
      procedureCode: '1.013225',
      channel: 'counter',
      competentUnit: 'H41.50',
      applicant: { name: 'Lê Văn Bình', idNumber: '040111222333' },
      outcome: { type: 'accept' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const d = res.json() as { code: string; version: number };
    // The commune that decides sees it and acts; another commune does not.
    for (const username of ['tiepnhan.51', 'tuphap.51', 'chutich.51']) {
      expectHidden(await inject(foreign[username]!, 'GET', `/api/dossiers/${d.code}`), username);
      expectHidden(await act(foreign[username]!, d.code, d.version, { type: 'forward' }), username);
    }
    expect((await inject(own.specialist, 'GET', `/api/dossiers/${d.code}`)).statusCode).toBe(200);
    const forwarded = await act(own.specialist, d.code, d.version, { type: 'forward' });
    expect(forwarded.statusCode, forwarded.body).toBe(200);
    // The receiving centre still sees the dossier it received (it returns the result).
    expect((await inject(foreign['tiepnhan']!, 'GET', `/api/dossiers/${d.code}`)).statusCode).toBe(200);
  });
});
