/**
 * A signing key with its certificate: a PKCS#12 file in memory, a PKCS#11 token or HSM, later a remote signer.
 * `sign` receives the DER of the CMS signed attributes and returns an RSA PKCS#1 v1.5 signature with SHA-256
 * (the signer hashes; callers never pass a pre-computed digest).
 */
export interface Signer {
  /** A human-readable label (token label, file name…), not the certificate subject. */
  name: string;
  /** The signer certificate, DER. */
  certificate(): Promise<Uint8Array>;
  /** Intermediate (and optionally root) certificates, DER, nearest issuer first; may be empty. */
  chain(): Promise<Uint8Array[]>;
  sign(data: Uint8Array): Promise<Uint8Array>;
}

/** [x1, y1, x2, y2] in PDF user-space points, origin bottom-left of the page. */
export type Rect = [number, number, number, number];
/** The same as a box, as @tinhso/pdf returns it (`PlacedRect.rect`): lower-left corner and size, PDF user space. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
/** RGB components 0–1, or '#rrggbb'. */
export type Color = [number, number, number] | string;

/**
 * Visible signature (Decree 30/2020, Annex I).
 * - `signer`: a blue handwriting-like signature image (vector strokes) and the signer's name, centred in `rect`.
 * - `agency`: the red round seal drawn in `rect` (put it over the left third of the signer's box), with `lines`
 *   (e.g. `['Số: 15/QĐ-UBND', 'Thời gian ký: 24/11/2026 10:15:03 +07:00']`) in black Times-like 10 pt text,
 *   either in `textRect` (e.g. the document's number box, as a separate locked annotation in the same signed
 *   revision) or, without `textRect`, under the seal inside `rect`.
 */
export interface Appearance {
  /** Zero-based page index. */
  page: number;
  rect: Rect | Box;
  kind: 'signer' | 'agency';
  lines?: string[];
  /** Ink colour of the image (default blue for `signer`, red for `agency`). */
  color?: Color;
  /** Where to write `lines` for an agency signature (the number box). */
  textRect?: Rect | Box;
  /** Text lines size in points (default 10, Times New Roman 10 per Annex I). */
  fontSize?: number;
  /** Signer signature: write the certificate's name under the image (default true; false when the document
   * template already prints the name, as @tinhso/pdf does). */
  showName?: boolean;
  /** Agency signature without the seal image (attachments, copies: only the text lines). Default true. */
  image?: boolean;
  /** Organisation name written around the seal (default: the certificate's O, else its CN). */
  sealText?: string;
  /**
   * Further text written in the same signed revision, each on its page (default: the signature's page), e.g. the
   * number in the "Số:" slot of page 1 and the "number/symbol; signing time" block of an agency signature.
   */
  stamps?: { page?: number; rect: Rect | Box; lines: string[]; fontSize?: number }[];
}

/** An appearance with both rectangles as corners. */
export type PlacedAppearance = Omit<Appearance, 'rect' | 'textRect' | 'stamps'> & {
  rect: Rect;
  textRect?: Rect;
  stamps?: { page?: number; rect: Rect; lines: string[]; fontSize?: number }[];
};

export interface SignPdfOptions {
  reason: string;
  location?: string;
  contactInfo?: string;
  /** Goes into /M of the signature dictionary (PAdES: no signingTime attribute in the CMS). Default now. */
  signingTime?: Date;
  /** Visible appearance; invisible signature when absent. */
  appearance?: Appearance;
  /** Field name (default Signature1, Signature2, … unique in the document). */
  fieldName?: string;
}
