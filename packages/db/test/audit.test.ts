import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appendAudit,
  auditAnchor,
  checkAuditAnchor,
  type Database,
  parseAuditAnchor,
  sealAllAudit,
  sealAudit,
  verifyAuditChain,
} from '../src/index.js';
import { ENGINES, openTestDatabase } from './engines.js';

/**
 * The audit log (ADR 0007): writes insert their records without a lock; the sealer chains the committed ones in id
 * order; the verifier walks the chain and names the first broken record. On PGlite always, on PostgreSQL when
 * TEST_DATABASE_URL is set (a fresh database, dropped afterwards).
 */
describe.each(ENGINES)('audit chain on %s', (engine) => {
  let database: Database;
  let drop = async () => {};

  beforeAll(async () => {
    ({ database, drop } = await openTestDatabase(engine, 'audit'));
  });
  afterAll(() => drop());

  const write = (i: number) =>
    database.db.transaction().execute((tx) =>
      appendAudit(tx, {
        actorType: 'officer',
        actorId: `officer-${i % 3}`,
        action: 'dossier.comment',
        entityType: 'dossier',
        entityId: `H41.50-261202-${String(i).padStart(4, '0')}`,
        ip: '10.0.0.1',
        details: { text: `Ghi chú số ${i}`, nested: { b: 2, a: [1, 'hai'] } },
      }),
    );

  it('writes concurrently without waiting; the sealer chains every committed record exactly once', async () => {
    await Promise.all(Array.from({ length: 40 }, (_, i) => write(i)));
    // A rolled-back write leaves no record (and a gap in the ids, never in the chain).
    await expect(
      database.db.transaction().execute(async (tx) => {
        await appendAudit(tx, {
          actorType: 'system',
          actorId: null,
          action: 'x',
          entityType: 'y',
          entityId: null,
        });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(await verifyAuditChain(database.db)).toEqual({
      checked: 0,
      firstBrokenId: null,
      missingAfter: null,
      unsealed: 40,
    });
    // Two sealers at once (two app nodes): one works, the other finds the lock taken; nothing is sealed twice.
    const [a, b] = await Promise.all([sealAudit(database.db), sealAudit(database.db)]);
    expect(a + b).toBe(40);
    expect(await sealAllAudit(database.db)).toBe(0);
    const rows = await database.db
      .selectFrom('audit_log')
      .select(['seq', 'prev_hash', 'hash'])
      .orderBy('seq')
      .execute();
    expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
    expect(await verifyAuditChain(database.db)).toEqual({
      checked: 40,
      firstBrokenId: null,
      missingAfter: null,
      unsealed: 0,
    });
    // Records written later continue the same chain.
    await write(100);
    await write(101);
    expect(await sealAllAudit(database.db)).toBe(2);
    expect(await verifyAuditChain(database.db)).toEqual({
      checked: 42,
      firstBrokenId: null,
      missingAfter: null,
      unsealed: 0,
    });
  });

  it('shows a deleted last record, and the sealer does not paper over it', async () => {
    const last = await database.db
      .selectFrom('audit_log')
      .select(['id', 'seq'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    await database.db.deleteFrom('audit_log').where('id', '=', last.id).execute();
    expect(await verifyAuditChain(database.db)).toEqual({
      checked: Number(last.seq) - 1,
      firstBrokenId: null,
      missingAfter: Number(last.seq) - 1,
      unsealed: 0,
    });
    // A new record continues from the recorded head: the deleted one stays a hole, named by the record after it.
    await write(201);
    await sealAllAudit(database.db);
    const next = await database.db
      .selectFrom('audit_log')
      .select(['id', 'seq'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(Number(next.seq)).toBe(Number(last.seq) + 1);
    expect((await verifyAuditChain(database.db)).firstBrokenId).toBe(next.id);
  });

  it('exposes a chain recomputed after an edit through an anchor recorded before', async () => {
    // A fresh chain in this test: the earlier tests broke the shared one on purpose.
    await database.db.deleteFrom('audit_log').execute();
    await database.db.deleteFrom('audit_chain_head').execute();
    for (let i = 0; i < 12; i++) await write(300 + i);
    await sealAllAudit(database.db);
    const anchor = await auditAnchor(database.db);
    expect(anchor.seq).toBe(12);
    expect(parseAuditAnchor(`${anchor.seq}:${anchor.hash}`)).toEqual(anchor);
    expect(parseAuditAnchor('12:not-a-hash')).toBeNull();
    expect(await checkAuditAnchor(database.db, anchor)).toBe('holds');
    // Someone with write access edits record 3 and recomputes the chain from the start: it verifies again…
    const third = await database.db
      .selectFrom('audit_log')
      .select('id')
      .where('seq', '=', 3)
      .executeTakeFirstOrThrow();
    await database.db
      .updateTable('audit_log')
      .set({ details: JSON.stringify({ text: 'sửa lén rồi tính lại chuỗi' }) })
      .where('id', '=', third.id)
      .execute();
    await database.db.updateTable('audit_log').set({ seq: null, prev_hash: null, hash: null }).execute();
    await database.db.deleteFrom('audit_chain_head').execute();
    await sealAllAudit(database.db);
    expect(await verifyAuditChain(database.db)).toMatchObject({ checked: 12, firstBrokenId: null });
    // …but no longer matches the anchor recorded outside the database.
    expect(await checkAuditAnchor(database.db, anchor)).toBe('rewritten');
    expect(await checkAuditAnchor(database.db, { seq: 99, hash: anchor.hash })).toBe('missing');
  });

  it('names the first broken record: an edited record, then a deleted one', async () => {
    const sealed = await database.db
      .selectFrom('audit_log')
      .select(['id', 'seq'])
      .where('seq', 'is not', null)
      .orderBy('seq')
      .execute();
    const victim = sealed[10]!;
    await database.db
      .updateTable('audit_log')
      .set({ details: JSON.stringify({ text: 'sửa lén' }) })
      .where('id', '=', victim.id)
      .execute();
    expect((await verifyAuditChain(database.db)).firstBrokenId).toBe(victim.id);
    // Put it back by hand is impossible without the original text; delete an earlier record instead: the chain
    // breaks at the record after it (its seq no longer follows).
    const earlier = sealed[4]!;
    await database.db.deleteFrom('audit_log').where('id', '=', earlier.id).execute();
    expect((await verifyAuditChain(database.db)).firstBrokenId).toBe(sealed[5]!.id);
  });
});
