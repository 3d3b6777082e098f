import { SignPdf } from '@signpdf/signpdf';
import { Signer as SignPdfSigner } from '@signpdf/utils';
import { buildAppearance } from './appearance.js';
import { parseCertificate, summarize } from './certificate.js';
import { createCadesDetached } from './cms.js';
import { addSignaturePlaceholder } from './placeholder.js';
import type { Box, PlacedAppearance, Rect, Signer, SignPdfOptions } from './types.js';

/** [x1, y1, x2, y2] from either rectangle form. */
export function corners(r: Rect | Box): Rect {
  if (Array.isArray(r)) return r;
  return [r.x, r.y, r.x + r.width, r.y + r.height];
}

/** Bridges our {@link Signer} to @signpdf/signpdf, which computes the ByteRange and embeds the CMS. */
class CadesSigner extends SignPdfSigner {
  constructor(private readonly signer: Signer) {
    super();
  }
  override async sign(content: Buffer): Promise<Buffer> {
    const { der } = await createCadesDetached(content, this.signer);
    return Buffer.from(der);
  }
}

/**
 * Signs a PDF (PAdES B-B, ETSI.CAdES.detached) as an incremental update: an already signed PDF keeps its
 * earlier signatures valid (closed-loop signing: the signer signs, then the clerk adds the agency signature
 * with the number). The visible appearance, if any, is part of the signed revision.
 */
export async function signPdf(pdf: Buffer, signer: Signer, opts: SignPdfOptions): Promise<Buffer> {
  const [certDer, chain] = await Promise.all([signer.certificate(), signer.chain()]);
  const cert = summarize(parseCertificate(certDer));
  const signingTime = opts.signingTime ?? new Date();
  if (signingTime < cert.notBefore || signingTime > cert.notAfter)
    throw new Error(
      `certificate ${cert.serialNumber} is not valid at ${signingTime.toISOString()} ` +
        `(valid ${cert.notBefore.toISOString()} – ${cert.notAfter.toISOString()})`,
    );
  const signerName = cert.commonName ?? signer.name;
  // CMS = certificates + ~1.5 KB of structure and attributes + the signature (≤ 512 bytes for RSA-4096).
  const certBytes = [certDer, ...chain].reduce((n, c) => n + c.length, 0);
  const signatureLength = Math.max(8192, Math.ceil((certBytes + 4096) / 1024) * 1024);

  let widget: Parameters<typeof addSignaturePlaceholder>[1]['widget'];
  if (opts.appearance) {
    const a = opts.appearance;
    const placed: PlacedAppearance = {
      ...a,
      rect: corners(a.rect),
      textRect: a.textRect && corners(a.textRect),
      stamps: a.stamps?.map((st) => ({ ...st, rect: corners(st.rect) })),
    };
    const built = buildAppearance(placed, { signerName, organization: cert.organization });
    widget = { page: a.page, rect: placed.rect, appearance: built.widget, extra: built.extra };
  }
  const prepared = addSignaturePlaceholder(pdf, {
    reason: opts.reason,
    location: opts.location,
    contactInfo: opts.contactInfo,
    name: signerName,
    signingTime,
    signatureLength,
    fieldName: opts.fieldName,
    widget,
  });
  return new SignPdf().sign(prepared, new CadesSigner(signer));
}
