import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  citizenSession,
  ENGINES,
  login,
  registerAtCounter,
  type Session,
  startTestApp,
  type TestApp,
} from './helpers.js';

const MINH = '040090001234';

// The officer's dossier workspace shows who applied, for which procedure, with which form data and delivery;
// the applicant's own view does not carry this block (they know it, and it is not theirs to see for others).
describe.each(ENGINES)('dossier details for the back office on %s', (engine) => {
  let t: TestApp;
  let reception: Session;
  let code = '';

  beforeAll(async () => {
    t = await startTestApp(engine, { dossiers: 0 });
    reception = await login(t.app, 'tiepnhan.50');
    const res = await registerAtCounter(
      t.app,
      reception,
      'H41.50',
      { name: 'Nguyễn Văn Minh', idNumber: MINH },
      {
        applicant: { name: 'Nguyễn Văn Minh', idNumber: MINH, phone: '0912345678', address: 'Số 12 Lê Lợi' },
        formData: { ghiChu: 'Nhà 3 tầng' },
        delivery: { method: 'post', address: 'Số 12 Lê Lợi, Trường Vinh' },
        outcome: { type: 'accept' },
      },
    );
    expect(res.statusCode, res.body).toBe(201);
    code = res.json().code;
  });
  afterAll(() => t?.close());

  it('gives officers the applicant, the procedure, the form data and the delivery', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/dossiers/${code}`,
      headers: reception.headers,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().details).toEqual({
      applicant: {
        kind: 1,
        name: 'Nguyễn Văn Minh',
        idNumber: MINH,
        phone: '0912345678',
        address: 'Số 12 Lê Lợi',
      },
      procedure: { code: '1.013225', name: expect.stringContaining('xây dựng'), version: expect.any(Number) },
      formData: { ghiChu: 'Nhà 3 tầng' },
      delivery: { method: 'post', address: 'Số 12 Lê Lợi, Trường Vinh' },
    });
  });

  it('does not add the block to the applicant’s own view', async () => {
    const minh = await citizenSession(t, MINH);
    const res = await t.app.inject({ method: 'GET', url: `/api/dossiers/${code}`, headers: minh.headers });
    expect(res.statusCode).toBe(200);
    expect(res.json().details).toBeUndefined();
  });
});
