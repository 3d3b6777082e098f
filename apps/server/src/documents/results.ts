import { createHash, randomBytes } from 'node:crypto';
import { appendAudit, type DB } from '@tinhso/db';
import { DomainError, foldVietnamese, isDomainError, STATUS, vietnamDate } from '@tinhso/domain';
import { type PlacedRect, type ResultInput, renderResult } from '@tinhso/pdf';
import { formatVietnamTime, signPdf } from '@tinhso/signing';

const A4_WIDTH = 595.28;
const A4_HEIGHT = 841.89;

import type { Updateable } from 'kysely';
import type { AppContext } from '../app.js';
import { forbidden, type OfficerPrincipal, type Principal } from '../auth/principal.js';
import type { Unit } from '../services/units.js';
import { issuerOf } from './dossier-data.js';
import type { KeyStore } from './keys.js';
import type { DraftResult } from './result-input.js';

const TYPE_ABBREV: Record<DraftResult['kind'], string> = {
  decision: 'QĐ',
  certificate: 'GCN',
  licence: 'GP',
  confirmation: 'XN',
  document: '',
};

/** Issuer abbreviation of the symbol: UBND for People's Committees, initials for departments (Sở Xây dựng → SXD). */
export function issuerAbbrev(unit: Unit): string {
  if (unit.level === 'commune' || unit.level === 'province') return 'UBND';
  return foldVietnamese(unit.name)
    .split(' ')
    .map((w) => w[0]?.toUpperCase() ?? '')
    .join('');
}

interface StoredContent {
  input: ResultInput;
  layout: { signature: PlacedRect; seal: PlacedRect; number: PlacedRect };
  signerId: string;
}

const documentNotFound = () =>
  new DomainError('DOCUMENT_NOT_FOUND', 'Không tìm thấy văn bản.', 'Document not found.');
const wrongStatus = (vi: string, en: string) => new DomainError('TRANSITION_NOT_ALLOWED', vi, en);

function holds(ctx: AppContext, o: OfficerPrincipal, roles: string[], unit: string): boolean {
  return o.roles.some((r) => roles.includes(r.role) && ctx.units.covers(r.unit, unit));
}

/** Signing and numbering are acts of the issuing unit itself: a role on a unit above it does not count. */
function holdsExactly(o: OfficerPrincipal, role: string, unitCode: string): boolean {
  return o.roles.some((r) => r.role === role && r.unit === unitCode);
}

/**
 * The result document of a dossier, from draft to issued (closed-loop signing): a specialist drafts it from the
 * result template, the signer signs it (visible signature), the clerk gives it its number and adds the agency
 * signature with the seal in an incremental update; the issued file's SHA-256 goes into the registry, and the QR
 * code on it opens the public verification page.
 */
export class ResultDocuments {
  constructor(
    private readonly ctx: AppContext,
    private readonly keys: KeyStore,
  ) {}

  async draft(dossierCode: string, input: DraftResult, officer: OfficerPrincipal) {
    const { ctx } = this;
    const d = await ctx.dossiers.load(dossierCode, officer);
    const s = d.state;
    if (s.status !== STATUS.RECEIVED && s.status !== STATUS.PROCESSING) {
      throw wrongStatus('Chỉ dự thảo kết quả khi hồ sơ đang xử lý.', 'Draft a result only while processing.');
    }
    const stepUnit = s.steps.at(-1)?.unit ?? s.competentUnit;
    if (!holds(ctx, officer, ['specialist', 'head', 'signer', 'clerk'], stepUnit)) throw forbidden();
    const unit = ctx.units.get(s.competentUnit);
    const signers = await this.signersOf(unit.id);
    const signer = input.signerId ? signers.find((x) => x.id === input.signerId) : signers[0];
    if (!signer) {
      const [vi, en] = input.signerId
        ? ['Người này không phải người ký của đơn vị giải quyết.', 'Not a signer of the competent unit.']
        : ['Đơn vị chưa có người ký.', 'No signer for the competent unit.'];
      throw new DomainError('VALIDATION_FAILED', vi, en, {
        issues: [{ path: '/signerId', message: en }],
      });
    }
    const token = randomBytes(18).toString('base64url');
    const verifyUrl = `${ctx.config.publicUrl}/verify/${token}`;
    const symbol = [TYPE_ABBREV[input.kind], issuerAbbrev(unit)].filter(Boolean).join('-');
    const common = {
      issuer: issuerOf(ctx.units, unit),
      symbol,
      verifyUrl,
      dossierCode: d.code,
      signer: {
        ...(unit.level === 'commune' ? { capacity: 'TM. Ủy ban nhân dân' } : {}),
        title: input.signerTitle ?? signer.title ?? 'Thủ trưởng cơ quan',
        name: signer.name,
      },
      ...(input.recipients ? { recipients: input.recipients } : {}),
    };
    const resultInput: ResultInput =
      input.kind === 'decision'
        ? {
            ...common,
            kind: 'decision',
            subject: input.subject,
            authority: input.authority ?? `Chủ tịch ${unit.name}`,
            bases: input.bases,
            ...(input.proposal ? { proposal: input.proposal } : {}),
            articles: input.articles,
          }
        : {
            ...common,
            kind: input.kind,
            title: input.title,
            ...(input.subtitle ? { subtitle: input.subtitle } : {}),
            body: input.body,
          };
    const rendered = await renderResult(resultInput);
    const content: StoredContent = {
      input: resultInput,
      layout: { signature: rendered.signature, seal: rendered.seal, number: rendered.number },
      signerId: signer.id,
    };
    const title = input.kind === 'decision' ? `Quyết định ${input.subject}` : input.title;
    return ctx.database.db.transaction().execute(async (tx) => {
      const row = await tx
        .insertInto('documents')
        .values({
          dossier_id: d.id,
          unit_id: unit.id,
          result_code: input.resultCode ?? null,
          kind: input.kind,
          type_abbrev: TYPE_ABBREV[input.kind],
          title,
          content: JSON.stringify(content),
          status: 'draft',
          symbol,
          file: rendered.pdf,
          verify_token: token,
          created_by: officer.id,
        })
        .returning(['id', 'status', 'version'])
        .executeTakeFirstOrThrow();
      await appendAudit(tx, {
        actorType: 'officer',
        actorId: officer.id,
        action: 'document.draft',
        entityType: 'document',
        entityId: row.id,
        details: { dossier: d.code, kind: input.kind },
      });
      return row;
    });
  }

  /** The active signers of a unit (the first is the default signer of a draft). */
  private async signersOf(unitId: string) {
    const rows = await this.ctx.database.db
      .selectFrom('officers as o')
      .innerJoin('officer_roles as r', 'r.officer_id', 'o.id')
      .select(['o.id', 'o.full_name', 'o.title'])
      .where('r.role', '=', 'signer')
      .where('r.unit_id', '=', unitId)
      .where('o.active', '=', true)
      .orderBy('o.username')
      .execute();
    return rows.map((r) => ({ id: r.id, name: r.full_name, title: r.title }));
  }

  /** Who may sign the result of a dossier the officer sees: the signers of its competent unit. */
  async signers(dossierCode: string, officer: OfficerPrincipal) {
    const d = await this.ctx.dossiers.load(dossierCode, officer);
    return this.signersOf(this.ctx.units.get(d.state.competentUnit).id);
  }

  /**
   * The document, when the principal may see the dossier it settles; otherwise DOCUMENT_NOT_FOUND, exactly as for
   * an id that does not exist, so that another unit's documents (and their dossiers' codes) are not confirmed.
   * Permission errors (403) come after this, for officers who see the dossier but lack the role.
   */
  private async get(id: string, principal: Principal) {
    const row = await this.ctx.database.db
      .selectFrom('documents as doc')
      .leftJoin('dossiers as d', 'd.id', 'doc.dossier_id')
      .selectAll('doc')
      .select('d.code as dossier_code')
      .where('doc.id', '=', id)
      .executeTakeFirst();
    if (!row) throw documentNotFound();
    const { dossier_code: dossierCode, ...doc } = row;
    if (dossierCode) {
      try {
        await this.ctx.dossiers.load(dossierCode, principal);
      } catch (e) {
        if (isDomainError(e) && e.code === 'DOSSIER_NOT_FOUND') throw documentNotFound();
        throw e;
      }
    } else {
      // A document outside any dossier: officers working in (or above) its unit.
      const unit = this.ctx.units.getById(doc.unit_id).code;
      const inUnit =
        principal.kind === 'officer' &&
        principal.roles.some((r) => r.role !== 'admin' && this.ctx.units.covers(r.unit, unit));
      if (!inUnit) throw documentNotFound();
    }
    return { ...doc, dossierCode };
  }

  /** The signer signs the draft (visible signature in the signer's box). */
  async sign(id: string, officer: OfficerPrincipal) {
    const doc = await this.get(id, officer);
    const unit = this.ctx.units.getById(doc.unit_id);
    const content = doc.content as unknown as StoredContent;
    // The person named in the signer block signs, in that capacity.
    if (!holdsExactly(officer, 'signer', unit.code) || officer.id !== content.signerId) throw forbidden();
    if (doc.status !== 'draft') {
      throw wrongStatus('Văn bản không ở trạng thái dự thảo.', 'The document is not a draft.');
    }
    await this.requireOpenDossier(doc.dossier_id);
    const officerRow = await this.ctx.database.db
      .selectFrom('officers')
      .select(['full_name', 'title'])
      .where('id', '=', officer.id)
      .executeTakeFirstOrThrow();
    const signer = await this.keys.signerFor({
      officerId: officer.id,
      name: officerRow.full_name,
      title: officerRow.title,
      unitCode: unit.code,
    });
    const signed = await signPdf(doc.file!, signer, {
      reason: `Ký duyệt: ${doc.title}`.slice(0, 200),
      location: unit.name,
      appearance: {
        kind: 'signer',
        page: content.layout.signature.page,
        rect: content.layout.signature.rect,
        showName: false, // the template prints the signer's name under the box
      },
    });
    return this.update(doc.id, doc.version, officer, 'document.sign', {
      status: 'signed',
      file: signed,
      signed_by: officer.id,
      signed_at: new Date(),
    });
  }

  /**
   * The clerk numbers the signed document (per agency, per calendar year) and adds the agency signature with the
   * seal and "Số: n/symbol; signing time" as an incremental update. The issued file is registered by its hash.
   */
  async issue(id: string, officer: OfficerPrincipal) {
    const { ctx } = this;
    const doc = await this.get(id, officer);
    const unit = ctx.units.getById(doc.unit_id);
    if (!holdsExactly(officer, 'clerk', unit.code)) throw forbidden();
    if (doc.status !== 'signed')
      throw wrongStatus('Văn bản chưa được ký.', 'The document is not signed yet.');
    await this.requireOpenDossier(doc.dossier_id);
    const content = doc.content as unknown as StoredContent;
    const now = new Date();
    const year = Number(vietnamDate(now).slice(0, 4)); // the calendar year in Vietnam
    const agency = await this.keys.signerFor({ unitCode: unit.code });
    return ctx.database.db.transaction().execute(async (tx) => {
      const counter = await tx
        .insertInto('document_counters')
        .values({ unit_id: unit.id, year, series: 'normal', last_number: 1 })
        .onConflict((oc) =>
          oc.columns(['unit_id', 'year', 'series']).doUpdateSet((eb) => ({
            last_number: eb('document_counters.last_number', '+', 1),
          })),
        )
        .returning('last_number')
        .executeTakeFirstOrThrow();
      const number = counter.last_number;
      const numberSymbol = `${String(number).padStart(2, '0')}${doc.symbol ? `/${doc.symbol}` : ''}`;
      const issued = await signPdf(doc.file!, agency, {
        reason: `Ban hành văn bản số ${numberSymbol}`,
        location: unit.name,
        signingTime: now,
        appearance: {
          kind: 'agency',
          page: content.layout.seal.page,
          rect: content.layout.seal.rect,
          stamps: [
            // The clerk's number in the "Số:" slot of page 1 …
            {
              page: content.layout.number.page,
              rect: content.layout.number.rect,
              lines: [String(number).padStart(2, '0')],
            },
            // … and the agency signature's text block (Decree 30/2020 Annex I): number/symbol and signing time,
            // at the top right of page 1.
            {
              page: 0,
              rect: [A4_WIDTH - 250, A4_HEIGHT - 44, A4_WIDTH - 20, A4_HEIGHT - 14],
              lines: [`Số: ${numberSymbol}`, `Thời gian ký: ${formatVietnamTime(now)}`],
              fontSize: 9,
            },
          ],
        },
      });
      const sha256 = createHash('sha256').update(issued).digest('hex');
      const updated = await tx
        .updateTable('documents')
        .set({
          status: 'issued',
          file: issued,
          number,
          issued_year: year,
          sha256,
          issued_by: officer.id,
          issued_at: now,
          version: doc.version + 1,
        })
        .where('id', '=', doc.id)
        .where('version', '=', doc.version)
        .returning(['id', 'status', 'version'])
        .executeTakeFirst();
      if (!updated)
        throw new DomainError('VERSION_CONFLICT', 'Văn bản vừa được cập nhật.', 'The document changed.');
      await tx
        .updateTable('documents')
        .set((eb) => ({ status: 'superseded', superseded_by: doc.id, version: eb('version', '+', 1) }))
        .where('dossier_id', '=', doc.dossier_id)
        .where('status', '=', 'issued')
        .where('id', '!=', doc.id)
        .where('kind', '=', doc.kind)
        .execute();
      await appendAudit(tx, {
        actorType: 'officer',
        actorId: officer.id,
        action: 'document.issue',
        entityType: 'document',
        entityId: doc.id,
        details: { number: numberSymbol, sha256 },
      });
      return updated;
    });
  }

  /** A result is signed and issued only while its dossier is being processed (not stopped, withdrawn…). */
  private async requireOpenDossier(dossierId: string | null) {
    if (!dossierId) return;
    const d = await this.ctx.database.db
      .selectFrom('dossiers')
      .select('status')
      .where('id', '=', dossierId)
      .executeTakeFirstOrThrow();
    if (d.status !== STATUS.RECEIVED && d.status !== STATUS.PROCESSING) {
      throw wrongStatus(
        'Hồ sơ không còn ở trạng thái đang xử lý: không thể ký, ban hành kết quả.',
        'The dossier is no longer being processed: its result cannot be signed or issued.',
      );
    }
  }

  async revoke(id: string, reason: string, officer: OfficerPrincipal) {
    const doc = await this.get(id, officer);
    const unit = this.ctx.units.getById(doc.unit_id);
    if (!holds(this.ctx, officer, ['signer', 'head'], unit.code)) throw forbidden();
    if (doc.status !== 'issued')
      throw wrongStatus('Chỉ thu hồi văn bản đã ban hành.', 'Only issued documents can be revoked.');
    return this.update(doc.id, doc.version, officer, 'document.revoke', {
      status: 'revoked',
      revoked_at: new Date(),
      revoked_reason: reason,
    });
  }

  private async update(
    id: string,
    version: number,
    officer: OfficerPrincipal,
    action: string,
    set: Updateable<DB['documents']>,
  ) {
    return this.ctx.database.db.transaction().execute(async (tx) => {
      const row = await tx
        .updateTable('documents')
        .set({ ...set, version: version + 1 })
        .where('id', '=', id)
        .where('version', '=', version)
        .returning(['id', 'status', 'version'])
        .executeTakeFirst();
      if (!row)
        throw new DomainError('VERSION_CONFLICT', 'Văn bản vừa được cập nhật.', 'The document changed.');
      await appendAudit(tx, {
        actorType: 'officer',
        actorId: officer.id,
        action,
        entityType: 'document',
        entityId: id,
      });
      return row;
    });
  }

  /** Documents of a dossier the principal may see (the applicant sees only issued ones). */
  async list(dossierId: string, applicantView: boolean) {
    const rows = await this.ctx.database.db
      .selectFrom('documents')
      .select([
        'id',
        'kind',
        'title',
        'status',
        'number',
        'symbol',
        'issued_at',
        'signed_at',
        'created_at',
        'sha256',
        'verify_token',
      ])
      .where('dossier_id', '=', dossierId)
      .$if(applicantView, (q) => q.where('status', 'in', ['issued', 'revoked', 'superseded']))
      .orderBy('created_at')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      title: r.title,
      status: r.status,
      numberSymbol: r.number ? `${String(r.number).padStart(2, '0')}${r.symbol ? `/${r.symbol}` : ''}` : null,
      createdAt: r.created_at.toISOString(),
      signedAt: r.signed_at?.toISOString() ?? null,
      issuedAt: r.issued_at?.toISOString() ?? null,
      sha256: r.sha256,
      verifyUrl: r.verify_token ? `${this.ctx.config.publicUrl}/verify/${r.verify_token}` : null,
    }));
  }

  /**
   * The file of a document whose dossier the principal may see (the applicant: once issued); DOCUMENT_NOT_FOUND
   * otherwise, as for an unknown id.
   */
  async file(id: string, principal: Principal) {
    const doc = await this.get(id, principal);
    if (!doc.file) throw documentNotFound();
    if (principal.kind === 'citizen' && (doc.status === 'draft' || doc.status === 'signed')) {
      throw documentNotFound();
    }
    return { file: doc.file, dossierCode: doc.dossierCode };
  }
}
