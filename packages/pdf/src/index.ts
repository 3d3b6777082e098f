/**
 * @tinhso/pdf — the printed documents of the one-stop mechanism (Mẫu 01–06) and the result documents, in
 * Vietnamese, A4, Tinos (Times New Roman metrics). Plain data in, PDF bytes out; no database, no network.
 */
export { PdfInputError } from './errors.js';
export { FONT_FILES, fontData, fontPath } from './fonts.js';
export * from './format.js';
export { type ApologyInput, renderApology } from './forms/apology.js';
export {
  type ControlSheetInput,
  type HandOver,
  handOversFromSteps,
  type Party,
  renderControlSheet,
  type StepLike,
} from './forms/control-sheet.js';
export { type ReceiptInput, type ReceivedComponent, renderReceipt } from './forms/receipt.js';
export { type RefusalInput, renderRefusal } from './forms/refusal.js';
export { type RegisterInput, type RegisterRow, renderRegister } from './forms/register.js';
export {
  type Article,
  type BodyBlock,
  type DecisionInput,
  type DocumentResultInput,
  type RenderedResult,
  type ResultInput,
  type ResultKind,
  type ResultSigner,
  renderResult,
} from './forms/result.js';
export { renderSupplementRequest, type SupplementRequestInput } from './forms/supplement-request.js';
export { renderTableReport, type TableReportInput, type TableReportSection } from './forms/table-report.js';
export type { PlacedRect, Rect } from './layout/index.js';
export type { Applicant, FormBase, Issuer, Officer, ProcedureRef } from './types.js';
