/**
 * What citizens did around the generated demo dossiers, so that the operations dashboard starts with the figures a
 * province reports (online payment around 80 %, most returned dossiers rated): the payments the sandbox bank
 * would have recorded for fee-charging dossiers, and the ratings left after return. Deterministic for a seed.
 * Written with plain INSERTs: the indicator facts follow by themselves (deferred triggers of migration 0012).
 */
import type { Database, DB } from '@tinhso/db';
import { type Insertable, sql } from 'kysely';

interface Candidate {
  id: string;
  code: string;
  channel: string;
  status: number;
  submitted_at: Date;
  returned_at: Date | null;
  applicant_citizen_id: string | null;
  competent_unit_id: string;
  fees:
    | { name: string; amountVnd: number | null; kind?: string; channels: string[]; payableOnline?: boolean }[]
    | null;
}

const LEVELS = ['very_satisfied', 'satisfied', 'unsatisfied'] as const;

export async function seedActivity(
  database: Database,
  rng: () => number,
): Promise<{ payments: number; ratings: number }> {
  const rows = await sql<Candidate>`
    SELECT d.id, d.code, d.channel, d.status, d.submitted_at, d.returned_at, d.applicant_citizen_id,
           d.competent_unit_id, pv.definition -> 'fees' AS fees
    FROM dossiers d
    JOIN procedure_versions pv ON pv.procedure_id = d.procedure_id AND pv.version = d.procedure_version
    WHERE d.received_at IS NOT NULL
    ORDER BY d.code`.execute(database.db);
  const payments: Insertable<DB['payments']>[] = [];
  const ratings: Insertable<DB['dossier_ratings']>[] = [];
  for (const d of rows.rows) {
    const lines = (d.fees ?? []).filter(
      (f) => f.channels.includes(d.channel) && f.payableOnline && f.amountVnd !== null && f.amountVnd > 0,
    );
    // Online applicants mostly pay through the gateway when they submit; at the counter, some pay by QR.
    const payShare = d.channel === 'online' ? 0.85 : 0.35;
    if (lines.length > 0 && rng() < payShare) {
      const amount = lines.reduce((a, f) => a + (f.amountVnd ?? 0), 0);
      const paidAt = new Date(d.submitted_at.getTime() + Math.floor(rng() * 3_600_000));
      payments.push({
        dossier_id: d.id,
        purpose: 'fees',
        amount_vnd: amount,
        items: JSON.stringify(
          lines.map((f) => ({ name: f.name, amountVnd: f.amountVnd, kind: f.kind ?? 'fee' })),
        ),
        provider: 'sandbox',
        status: 'paid',
        txn_ref: `DEMO${d.code.replace(/[^0-9A-Z]/gi, '')}`,
        pay_url: 'about:blank',
        expires_at: new Date(d.submitted_at.getTime() + 900_000),
        provider_txn_no: String(10_000_000 + payments.length),
        bank_code: 'NCB',
        response_code: '00',
        created_at: d.submitted_at,
        completed_at: paidAt,
        paid_at: paidAt,
      });
    }
    if (d.status === 10 && d.applicant_citizen_id && d.returned_at && rng() < 0.7) {
      const x = rng();
      const level = LEVELS[x < 0.62 ? 0 : x < 0.95 ? 1 : 2]!;
      ratings.push({
        dossier_id: d.id,
        citizen_id: d.applicant_citizen_id,
        competent_unit_id: d.competent_unit_id,
        level,
        created_at: new Date(d.returned_at.getTime() + Math.floor(rng() * 86_400_000)),
      });
    }
  }
  await database.db.transaction().execute(async (tx) => {
    for (let i = 0; i < payments.length; i += 500) {
      await tx
        .insertInto('payments')
        .values(payments.slice(i, i + 500))
        .execute();
    }
    for (let i = 0; i < ratings.length; i += 500) {
      await tx
        .insertInto('dossier_ratings')
        .values(ratings.slice(i, i + 500))
        .execute();
    }
  });
  return { payments: payments.length, ratings: ratings.length };
}
