import { DomainError } from '@tinhso/domain';
import {
  type ControlSheetInput,
  handOversFromSteps,
  type RegisterInput,
  renderApology,
  renderControlSheet,
  renderReceipt,
  renderRefusal,
  renderRegister,
  renderSupplementRequest,
} from '@tinhso/pdf';
import { signPdf } from '@tinhso/signing';
import type { AppContext } from '../app.js';
import { publicStatusUrl } from '../http/public-urls.js';
import { type DossierData, issuerOf, loadDossierData } from './dossier-data.js';
import type { KeyStore } from './keys.js';

export const FORMS = ['receipt', 'supplement', 'refusal', 'apology', 'control-sheet'] as const;
export type FormName = (typeof FORMS)[number];

const notApplicable = (vi: string, en: string) => new DomainError('FORM_NOT_APPLICABLE', vi, en);

function last(d: DossierData, type: string) {
  return [...d.actions].reverse().find((a) => a.type === type);
}

/**
 * Renders one of the one-stop forms of a dossier (Mẫu 01 receipt, 02 supplement request, 03 refusal, 04 apology,
 * 05 control sheet) from its stored data. The receipt carries the receiving unit's agency signature.
 */
export async function renderDossierForm(
  ctx: AppContext,
  keys: KeyStore,
  dossierId: string,
  form: FormName,
): Promise<Buffer> {
  const { units, config } = ctx;
  const d = await loadDossierData(ctx.database, dossierId);
  const s = d.state;
  const reception = units.get(s.receivingUnit);
  const competent = units.get(s.competentUnit);
  const procedure = { name: d.procedure.name, code: d.procedure.code };
  const applicant = { ...d.applicant, idNumber: d.applicant.idNumber ?? undefined };
  const statusUrl = publicStatusUrl(config.publicUrl, d.code);
  switch (form) {
    case 'receipt': {
      if (!s.receivedAt || !s.dueAt) {
        throw notApplicable(
          'Hồ sơ chưa được tiếp nhận nên chưa có giấy hẹn.',
          'The dossier has not been received yet.',
        );
      }
      const provided = d.components.filter((c) => c.provided);
      if (provided.length === 0) {
        throw notApplicable(
          'Hồ sơ chưa ghi nhận thành phần nào đã nộp nên không lập được giấy tiếp nhận.',
          'No component of the dossier is recorded as provided, so there is no receipt to issue.',
        );
      }
      const pdf = await renderReceipt({
        issuer: issuerOf(units, reception),
        dossierCode: d.code,
        applicant,
        procedure,
        components: provided.map((c) => ({
          name: c.name,
          copies: 1,
          ...(c.digitized ? { note: 'Đã số hóa' } : {}),
        })),
        processingDays: s.processingDays,
        receivedAt: s.receivedAt,
        appointmentAt: s.dueAt,
        returnAt: s.channel === 'post' ? 'Dịch vụ bưu chính' : `Bộ phận Một cửa — ${reception.name}`,
        statusUrl,
        applicantSigns: s.channel === 'counter',
        receiver: { name: last(d, 'accept')?.actorName ?? '' },
      });
      const signer = await keys.signerFor({ unitCode: reception.code });
      return signPdf(pdf, signer, { reason: `Tiếp nhận hồ sơ ${d.code}`, location: reception.name });
    }
    case 'supplement': {
      const a = last(d, 'request_supplement');
      if (!a) throw notApplicable('Hồ sơ không có yêu cầu bổ sung.', 'No supplement was requested.');
      return renderSupplementRequest({
        issuer: issuerOf(units, reception),
        dossierCode: d.code,
        applicant,
        procedure,
        receivedAt: s.receivedAt ?? s.submittedAt,
        items: (a.payload['items'] as string[] | undefined) ?? [],
        ...(a.reason ? { reason: a.reason } : {}),
        issuedAt: a.at,
      });
    }
    case 'refusal': {
      const a = last(d, 'refuse');
      if (!a) throw notApplicable('Hồ sơ không bị từ chối tiếp nhận.', 'The dossier was not refused.');
      return renderRefusal({
        issuer: issuerOf(units, reception),
        dossierCode: d.code,
        applicant,
        procedure,
        submittedAt: s.submittedAt,
        reasons: [a.reason ?? ''],
        officer: { name: a.actorName },
        issuedAt: a.at,
      });
    }
    case 'apology': {
      const apology = s.apologies.at(-1);
      if (!apology || !s.receivedAt)
        throw notApplicable('Hồ sơ không có phiếu xin lỗi.', 'No apology was issued.');
      return renderApology({
        issuer: issuerOf(units, competent),
        dossierCode: d.code,
        applicant,
        procedure,
        receivedAt: s.receivedAt,
        previousDueAt: apology.previousDueAt,
        newDueAt: apology.newDueAt,
        reason: apology.reason,
        issuedAt: apology.at,
      });
    }
    case 'control-sheet':
      return renderControlSheet(controlSheetInput(ctx, d));
  }
}

/** The data of Mẫu 05 (control sheet) of a loaded dossier: one loader for the PDF and the XLSX. */
export function controlSheetInput(ctx: AppContext, d: DossierData): ControlSheetInput {
  const { units } = ctx;
  const s = d.state;
  if (!s.receivedAt || !s.legalDueAt) {
    throw notApplicable('Hồ sơ chưa được tiếp nhận.', 'The dossier has not been received yet.');
  }
  const reception = units.get(s.receivingUnit);
  const competent = units.get(s.competentUnit);
  const unitName = (code: string) => units.find(code)?.name ?? code;
  return {
    issuer: issuerOf(units, reception),
    dossierCode: d.code,
    applicant: { ...d.applicant, idNumber: d.applicant.idNumber ?? undefined },
    procedure: { name: d.procedure.name, code: d.procedure.code },
    leadAgency: competent.name,
    coordinatingAgencies: [...new Set(s.steps.filter((x) => x.interAgency).map((x) => unitName(x.unit)))],
    receivedAt: s.receivedAt,
    dueAt: s.legalDueAt,
    handOvers: handOversFromSteps(s.steps, {
      reception: { unit: `Bộ phận Một cửa — ${reception.name}` },
      unitName,
      personName: (id) => d.officerNames.get(id) ?? '',
    }),
  };
}

/** Mẫu 06: the register of dossiers received by a unit over a period (at most 5,000 rows per file). */
export async function renderUnitRegister(
  ctx: AppContext,
  unitCode: string,
  from: string,
  to: string,
): Promise<Buffer> {
  return renderRegister(await unitRegisterInput(ctx, unitCode, from, to));
}

/** The data of Mẫu 06 for a unit and a period (dates YYYY-MM-DD, Vietnam time): one loader for the PDF and the XLSX. */
export async function unitRegisterInput(
  ctx: AppContext,
  unitCode: string,
  from: string,
  to: string,
): Promise<RegisterInput> {
  const unit = ctx.units.get(unitCode);
  const start = new Date(`${from}T00:00:00+07:00`);
  const end = new Date(Date.parse(`${to}T00:00:00+07:00`) + 86_400_000);
  const rows = await ctx.database.db
    .selectFrom('dossiers as d')
    .innerJoin('procedures as p', 'p.id', 'd.procedure_id')
    .select(['d.code', 'd.state', 'd.applicant_name', 'p.name'])
    .where('d.receiving_unit_id', '=', unit.id)
    .where('d.submitted_at', '>=', start)
    .where('d.submitted_at', '<', end)
    .orderBy('d.submitted_at')
    .limit(5000)
    .execute();
  return {
    issuer: issuerOf(ctx.units, unit),
    period: { from: start, to: new Date(end.getTime() - 1) },
    rows: rows.map((r) => {
      const s = r.state as import('@tinhso/domain').DossierState;
      const transfer = s.steps.find((x) => x.unit !== s.receivingUnit);
      return {
        dossierCode: r.code,
        procedure: r.name,
        applicant: r.applicant_name,
        receivedAt: s.receivedAt ?? s.submittedAt,
        dueAt: s.legalDueAt ?? s.dueAt ?? s.submittedAt,
        transferredAt: transfer?.startedAt ?? null,
        finishedAt: s.finishedAt,
        returnedAt: s.returnedAt,
        timing: s.timing,
        note:
          s.status === 3
            ? 'Từ chối tiếp nhận'
            : s.status === 7
              ? 'Rút hồ sơ'
              : s.status === 8
                ? 'Dừng xử lý'
                : null,
      };
    }),
  };
}
