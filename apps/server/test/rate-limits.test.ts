import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, login, registerAtCounter, startTestApp, type TestApp } from './helpers.js';

/** Submissions are limited per account (officers of one service centre share a public address), 429 with a code. */
describe('submission rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('pglite', { dossiers: 5, env: { RATE_LIMIT_SUBMIT_PER_MIN: '2' } });
  });
  afterAll(async () => t?.close());

  it('counts each account on its own and answers 429 RATE_LIMITED beyond the limit', async () => {
    const a = await login(t.app, 'tiepnhan.50');
    const b = await login(t.app, 'tiepnhan.51');
    const person = (i: number) => ({ name: 'Nguyễn Văn Giới Hạn', idNumber: `04009000${7300 + i}` });
    expect((await registerAtCounter(t.app, a, 'H41.50', person(1))).statusCode).toBe(201);
    expect((await registerAtCounter(t.app, a, 'H41.50', person(2))).statusCode).toBe(201);
    const third = await registerAtCounter(t.app, a, 'H41.50', person(3));
    expect([third.statusCode, errorCode(third)]).toEqual([429, 'RATE_LIMITED']);
    // Another officer at the same address is not held back by the first one's requests.
    expect((await registerAtCounter(t.app, b, 'H41.51', person(4))).statusCode).toBe(201);
  });
});
