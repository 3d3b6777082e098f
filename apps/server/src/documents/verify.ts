import { createHash } from 'node:crypto';
import { verifyPdf } from '@tinhso/signing';
import type { AppContext } from '../app.js';
import type { KeyStore } from './keys.js';

export interface PublicSignature {
  signer: string | null;
  organization: string | null;
  signingTime: string | null;
  integrity: boolean;
  signatureValid: boolean;
  chainTrusted: boolean;
  coversWholeDocument: boolean;
}

export interface PublicVerification {
  valid: boolean;
  reason: string | null;
  /** null: not checked (nothing to compare with). */
  registryMatch: boolean | null;
  document: {
    title: string;
    numberSymbol: string | null;
    issuingUnit: string;
    issuedAt: string | null;
    status: string;
    revokedReason: string | null;
    dossierCode: string | null;
    sha256: string | null;
  } | null;
  signatures: PublicSignature[];
}

const REASONS = {
  notIssued: 'Văn bản chưa được ban hành.',
  revoked: 'Văn bản đã bị thu hồi.',
  superseded: 'Văn bản đã được thay thế bằng văn bản khác.',
  notRegistered: 'Tệp không có trong sổ đăng ký văn bản của tỉnh.',
  signatures: 'Chữ ký số không hợp lệ, chứng thư không tin cậy hoặc tệp đã bị sửa đổi sau khi ký.',
  unsigned: 'Tệp không có chữ ký số.',
};

async function documentRow(ctx: AppContext, where: { token: string } | { sha256: string }) {
  let q = ctx.database.db
    .selectFrom('documents as doc')
    .innerJoin('units as u', 'u.id', 'doc.unit_id')
    .leftJoin('dossiers as d', 'd.id', 'doc.dossier_id')
    .select([
      'doc.title',
      'doc.number',
      'doc.symbol',
      'doc.issued_at',
      'doc.status',
      'doc.revoked_reason',
      'doc.sha256',
      'doc.file',
      'u.name as unit',
      'd.code as dossier',
    ]);
  q =
    'token' in where
      ? q.where('doc.verify_token', '=', where.token)
      : q.where('doc.sha256', '=', where.sha256);
  return q.executeTakeFirst();
}

/**
 * What the public verification page shows: every signature (valid, who, when, trusted), whether the file is the one
 * registered for the dossier, and whether the document was revoked or superseded. No personal data.
 */
export async function verifyDocument(
  ctx: AppContext,
  keys: KeyStore,
  input: { token: string } | { pdf: Buffer },
): Promise<PublicVerification | null> {
  const sha256 = 'pdf' in input ? createHash('sha256').update(input.pdf).digest('hex') : null;
  const row = await documentRow(ctx, 'token' in input ? { token: input.token } : { sha256: sha256! });
  if ('token' in input && !row) return null;
  if (row && (row.status === 'draft' || row.status === 'signed')) {
    // Drafts are internal: say only that the document is not issued.
    return { valid: false, reason: REASONS.notIssued, registryMatch: null, document: null, signatures: [] };
  }
  const file = 'pdf' in input ? input.pdf : row?.file;
  const report = file ? await verifyPdf(file, { trustAnchors: await keys.trustAnchors() }) : null;
  const document = row
    ? {
        title: row.title,
        numberSymbol: row.number
          ? `${String(row.number).padStart(2, '0')}${row.symbol ? `/${row.symbol}` : ''}`
          : null,
        issuingUnit: row.unit,
        issuedAt: row.issued_at?.toISOString() ?? null,
        status: row.status,
        revokedReason: row.revoked_reason,
        dossierCode: row.dossier,
        sha256: row.sha256,
      }
    : null;
  const registryMatch = 'pdf' in input ? row !== undefined : row ? row.sha256 !== null : null;
  const signatures = (report?.signatures ?? []).map((s) => ({
    signer: s.signerCommonName,
    organization: s.signerOrganization,
    signingTime: s.signingTime?.toISOString() ?? null,
    integrity: s.integrity,
    signatureValid: s.signatureValid,
    chainTrusted: s.chainTrusted,
    coversWholeDocument: s.coversWholeDocument,
  }));
  let reason: string | null = null;
  if (!report || report.signatures.length === 0) reason = REASONS.unsigned;
  else if (!report.valid) reason = REASONS.signatures;
  else if (!row) reason = REASONS.notRegistered;
  else if (row.status === 'revoked')
    reason = `${REASONS.revoked}${row.revoked_reason ? ` ${row.revoked_reason}` : ''}`;
  else if (row.status === 'superseded') reason = REASONS.superseded;
  else if (row.status !== 'issued') reason = REASONS.notIssued;
  return { valid: reason === null, reason, registryMatch, document, signatures };
}
