/**
 * @tinhso/signing — PAdES signatures for Tỉnh Số: software (PKCS#12) and PKCS#11 signers, incremental
 * updates for closed-loop signing (signer, then the agency seal with the number), Decree 30/2020 visible
 * appearances, a demo CA, and verification.
 */
export { formatVietnamTime } from './appearance.js';
export { type CertificateSummary, parseCertificate, summarize } from './certificate.js';
export { createCadesDetached } from './cms.js';
export {
  createDemoCa,
  DEMO_CA_NAME,
  type DemoCa,
  type IssuedCertificate,
  type IssueOptions,
  issueSigningCertificate,
} from './demo-ca.js';
export { PdfParseError } from './pdf-objects.js';
export { parsePdfDate } from './pdf-scan.js';
export { type Pkcs11Options, Pkcs11Signer } from './pkcs11-signer.js';
export { corners, signPdf } from './sign-pdf.js';
export { SoftwareSigner } from './software-signer.js';
export type { Appearance, Box, Color, Rect, Signer, SignPdfOptions } from './types.js';
export { type SignatureReport, type VerificationReport, verifyPdf } from './verify.js';
