import { appendAudit, type Database } from '@tinhso/db';
import { criteriaScore, DomainError, type RatingInput, STATUS } from '@tinhso/domain';
import type { Principal } from '../auth/principal.js';
import { forbidden } from '../auth/principal.js';
import { isUniqueViolation } from './dossier-store.js';
import type { DossierRow, DossierService } from './dossiers/index.js';
import type { UnitDirectory } from './units.js';

export interface RatingView {
  level: RatingInput['level'];
  criteria: Record<string, number> | null;
  criteriaScore: number | null;
  comment: string | null;
  createdAt: string;
}

/** One rating per dossier, by its applicant, once the result has been returned (domain.md §12). */
export class RatingService {
  constructor(
    private readonly database: Database,
    private readonly dossiers: DossierService,
    private readonly units: UnitDirectory,
  ) {}

  /** The rating of a dossier the principal may see, and whether the principal may rate it now. */
  async get(code: string, principal: Principal): Promise<{ rating: RatingView | null; canRate: boolean }> {
    const d = await this.dossiers.load(code, principal);
    const rating = await this.find(d.id);
    return { rating, canRate: rating === null && this.isApplicant(d, principal) && this.isOpen(d) };
  }

  async rate(code: string, input: RatingInput, principal: Principal, ip: string): Promise<RatingView> {
    const d = await this.dossiers.load(code, principal);
    if (!this.isApplicant(d, principal)) throw forbidden();
    if (!this.isOpen(d)) {
      throw new DomainError(
        'RATING_NOT_OPEN',
        'Chỉ đánh giá được sau khi đã nhận kết quả giải quyết hồ sơ.',
        'A dossier can be rated once its result has been returned.',
      );
    }
    const score = criteriaScore(input.criteria);
    try {
      await this.database.db.transaction().execute(async (tx) => {
        // The rating is linked to the dossier, its deciding unit and the official who received it (domain.md §12).
        const receivedBy = await tx
          .selectFrom('dossier_actions')
          .select('actor_id')
          .where('dossier_id', '=', d.id)
          .where('type', '=', 'accept')
          .where('actor_type', '=', 'officer')
          .orderBy('seq', 'desc')
          .executeTakeFirst();
        await tx
          .insertInto('dossier_ratings')
          .values({
            dossier_id: d.id,
            citizen_id: principal.id,
            competent_unit_id: this.units.get(d.state.competentUnit).id,
            officer_id: receivedBy?.actor_id ?? null,
            level: input.level,
            criteria: input.criteria ? JSON.stringify(input.criteria) : null,
            criteria_score: score,
            comment: input.comment || null,
          })
          .execute();
        await appendAudit(tx, {
          actorType: 'citizen',
          actorId: principal.id,
          action: 'dossier.rate',
          entityType: 'dossier',
          entityId: d.code,
          ip,
          details: { level: input.level, criteriaScore: score },
        });
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw alreadyRated();
      throw e;
    }
    const saved = await this.find(d.id);
    if (!saved) throw alreadyRated();
    return saved;
  }

  private isApplicant(d: DossierRow, p: Principal): boolean {
    return p.kind === 'citizen' && d.applicantCitizenId === p.id;
  }

  private isOpen(d: DossierRow): boolean {
    return d.state.status === STATUS.RETURNED;
  }

  private async find(dossierId: string): Promise<RatingView | null> {
    const r = await this.database.db
      .selectFrom('dossier_ratings')
      .select(['level', 'criteria', 'criteria_score', 'comment', 'created_at'])
      .where('dossier_id', '=', dossierId)
      .executeTakeFirst();
    return r
      ? {
          level: r.level,
          criteria: r.criteria,
          criteriaScore: r.criteria_score,
          comment: r.comment,
          createdAt: r.created_at.toISOString(),
        }
      : null;
  }
}

const alreadyRated = () =>
  new DomainError('ALREADY_RATED', 'Hồ sơ này đã được đánh giá.', 'This dossier has already been rated.');
