/**
 * Result documents (văn bản kết quả giải quyết TTHC), one template per kind: a decision (Quyết định) with its
 * grounds and articles, or a certificate / licence / confirmation / other document with a title, paragraphs and
 * key–value lines. Decree 30/2020 Annex I layout; the signer's box, the seal's box and the number's box are
 * returned so the signing package can stamp the visible signatures (and the number given at signing).
 */
import { Check } from '../errors.js';
import { type DateInput, formatDocumentNumber, formatPlaceDate, upperVi } from '../format.js';
import {
  area,
  type Box,
  balanceLines,
  createDocument,
  currentPage,
  type Doc,
  drawClosing,
  drawHeader,
  drawQr,
  finish,
  heightOf,
  MM,
  outline,
  type PlacedRect,
  para,
  qrLayout,
  rich,
  SIZE,
  shortRule,
  textAt,
  toPdfRect,
  widthOf,
} from '../layout/index.js';
import type { Issuer } from '../types.js';
import { cleanIssuer } from './common.js';

export type ResultKind = 'decision' | 'certificate' | 'licence' | 'confirmation' | 'document';

export interface ResultSigner {
  /** Capacity line, e.g. "TM. Ủy ban nhân dân", "KT. Chủ tịch" (printed in capitals). */
  capacity?: string;
  /** Title, e.g. "Chủ tịch", "Phó Chủ tịch" (printed in capitals). */
  title: string;
  /** Full name, e.g. "Lê Văn Minh". */
  name: string;
}

interface ResultBase {
  issuer: Issuer;
  /**
   * Number of the document in the issuer's yearly series. Null, absent or empty leaves the number blank
   * ("Số:      /QĐ-UBND") for the clerk to fill in at signing; `number` in the result is that blank.
   * Numbers below 10 get a leading zero (Decree 30).
   */
  number?: string | number | null;
  /** Symbol after the slash: type + issuer abbreviations, e.g. "QĐ-UBND", "GCN-UBND". */
  symbol?: string;
  /** Date of the place-and-date line; defaults to `now`. */
  issuedAt?: DateInput;
  signer: ResultSigner;
  /** "Nơi nhận" list (decisions, documents), e.g. ["Như Điều 3", "Lưu: VT, TP"]. */
  recipients?: readonly string[];
  /** Where the document can be verified; encoded in the QR code at the bottom left. */
  verifyUrl: string;
  /** Dossier the document settles (PDF keywords). */
  dossierCode?: string;
  /** Rendering instant (PDF creation date); fix it for byte-identical output. */
  now?: DateInput;
  /** Draft preview: outline the signature, seal and number boxes with dashed lines (never on a document to sign). */
  showBoxes?: boolean;
}

/** An article of a decision: "Điều n." is added; `items` follow as their own lines (a), b) …). */
export interface Article {
  text: string;
  items?: readonly string[];
}

export interface DecisionInput extends ResultBase {
  kind: 'decision';
  /** Summary after "Về việc", e.g. "cấp Trích lục khai tử cho bà Nguyễn Thị Hường". */
  subject: string;
  /** The deciding authority, e.g. "Chủ tịch Ủy ban nhân dân phường Trường Vinh" (printed in capitals). */
  authority: string;
  /** Grounds, printed as given in italics, e.g. "Căn cứ Luật Hộ tịch ngày 20 tháng 11 năm 2014;". */
  bases: readonly string[];
  /** "Theo đề nghị của …" line, printed as given. */
  proposal?: string;
  articles: readonly (string | Article)[];
}

/** A paragraph, or a key–value line ("Họ, chữ đệm, tên: **NGUYỄN THỊ HƯỜNG**"). */
export type BodyBlock = string | { label: string; value: string };

export interface DocumentResultInput extends ResultBase {
  kind: 'certificate' | 'licence' | 'confirmation' | 'document';
  /** e.g. "Giấy chứng nhận đăng ký hộ kinh doanh" (printed in capitals). */
  title: string;
  /** Bold line under the title. */
  subtitle?: string;
  body: readonly BodyBlock[];
}

export type ResultInput = DecisionInput | DocumentResultInput;

export interface RenderedResult {
  pdf: Buffer;
  pageCount: number;
  /** The signer's signature box (between the title and the name), PDF user space. */
  signature: PlacedRect;
  /** Where the agency seal goes: real size, over the left third of the signature box (Decree 30 Annex I). */
  seal: PlacedRect;
  /** The slot of the number after "Số:" (blank when the number is given at signing), on the first page. */
  number: PlacedRect;
}

const SIG_W = 56 * MM;
const SIG_H = 33 * MM;
/** A round seal of 36 mm, the usual size for a commune-level People's Committee. */
const SEAL = 36 * MM;
const BODY = 14;

const KIND_SUBJECT: Record<ResultKind, string> = {
  decision: 'Quyết định',
  certificate: 'Giấy chứng nhận',
  licence: 'Giấy phép',
  confirmation: 'Văn bản xác nhận',
  document: 'Văn bản',
};

export async function renderResult(input: ResultInput): Promise<RenderedResult> {
  const kind = input?.kind;
  if (!kind || !(kind in KIND_SUBJECT)) {
    throw new Check('renderResult').fail('kind', `must be one of ${Object.keys(KIND_SUBJECT).join(', ')}`);
  }
  const check: Check = new Check(`renderResult (${kind})`);
  const issuer = cleanIssuer(check, input.issuer);
  const now = input.now === undefined ? new Date() : check.date('now', input.now);
  const issuedAt = input.issuedAt === undefined ? now : check.date('issuedAt', input.issuedAt);
  const rawNumber = input.number === undefined || input.number === null ? '' : String(input.number).trim();
  if (rawNumber && !/^[0-9A-Za-z.]{1,11}$/.test(rawNumber)) {
    check.fail('number', `must be up to 11 digits or letters (Decree 30 CodeNumber): ${rawNumber}`);
  }
  const number = rawNumber ? formatDocumentNumber(rawNumber) : null;
  const symbol = check.optText('symbol', input.symbol, 30);
  if (!input.signer) check.fail('signer', 'is required');
  const signer = {
    capacity: check.optText('signer.capacity', input.signer.capacity, 200),
    title: check.text('signer.title', input.signer.title, 200),
    name: check.text('signer.name', input.signer.name, 200),
  };
  const recipients = (input.recipients ?? [])
    .map((r, i) => check.optText(`recipients[${i}]`, r, 300))
    .filter((r): r is string => !!r);
  const verifyUrl = check.url('verifyUrl', input.verifyUrl);
  const dossierCode =
    input.dossierCode === undefined || input.dossierCode === ''
      ? undefined
      : check.dossierCode('dossierCode', input.dossierCode);

  // content, validated before drawing
  let title: string;
  let draw: (doc: Doc) => void;
  if (input.kind === 'decision') {
    const subject = check.text('subject', input.subject, 500);
    const authority = check.text('authority', input.authority, 300);
    const bases = check.nonEmptyArray('bases', input.bases).map((b, i) => check.text(`bases[${i}]`, b));
    const proposal = check.optText('proposal', input.proposal);
    const articles = check.nonEmptyArray('articles', input.articles).map((a, i) =>
      typeof a === 'string'
        ? { text: check.text(`articles[${i}]`, a, 5000), items: [] as string[] }
        : {
            text: check.text(`articles[${i}].text`, a?.text, 5000),
            items: (a.items ?? []).map((t, j) => check.text(`articles[${i}].items[${j}]`, t, 2000)),
          },
    );
    title = `Quyết định về việc ${subject}`;
    draw = (doc) => drawDecision(doc, { subject, authority, bases, proposal, articles });
  } else {
    const docTitle = check.text('title', input.title, 300);
    const subtitle = check.optText('subtitle', input.subtitle, 300);
    const body = check.nonEmptyArray('body', input.body).map((b, i) =>
      typeof b === 'string'
        ? check.text(`body[${i}]`, b, 5000)
        : {
            label: check.text(`body[${i}].label`, b?.label, 300),
            value: check.text(`body[${i}].value`, b.value, 2000),
          },
    );
    title = docTitle;
    draw = (doc) => drawDocument(doc, { title: docTitle, subtitle, body });
  }

  const fullNumber = `${number ?? ''}${symbol ? `/${symbol}` : ''}`;
  const doc = createDocument({
    title,
    author: issuer.name,
    subject: `${KIND_SUBJECT[kind]}${fullNumber && number ? ` số ${fullNumber}` : ''}`,
    ...(dossierCode ? { keywords: dossierCode } : {}),
    now,
  });
  const header = drawHeader(doc, {
    ...(issuer.parent ? { parent: issuer.parent } : {}),
    unit: issuer.name,
    number: { value: number, ...(symbol ? { symbol } : {}) },
    placeDate: formatPlaceDate(issuer.place, issuedAt),
  });
  const numberBox: PlacedRect = { page: 0, rect: toPdfRect(doc, header.numberBox!) };
  doc.y += 4;
  draw(doc);
  doc.y += 6;

  const sig = drawClosing(
    doc,
    {
      ...(signer.capacity ? { capacity: signer.capacity } : {}),
      title: signer.title,
      name: signer.name,
    },
    recipients,
    { signatureHeight: SIG_H, signatureWidth: SIG_W },
  );
  const page = currentPage(doc);
  const s = sig.signature;
  const sealBox: Box = {
    x: s.x + s.width / 3 - SEAL,
    top: s.top + s.height / 2 - SEAL / 2,
    width: SEAL,
    height: SEAL,
  };
  const signature: PlacedRect = { page, rect: toPdfRect(doc, s) };
  const seal: PlacedRect = { page, rect: toPdfRect(doc, sealBox) };

  drawVerification(doc, verifyUrl);
  if (input.showBoxes) {
    outline(doc, page, s);
    outline(doc, page, sealBox);
    outline(doc, 0, header.numberBox!);
  }
  const pageCount = doc.bufferedPageRange().count;
  const pdf = await finish(doc);
  return { pdf, pageCount, signature, seal, number: numberBox };
}

function drawDecision(
  doc: Doc,
  d: {
    subject: string;
    authority: string;
    bases: string[];
    proposal: string | undefined;
    articles: { text: string; items: string[] }[];
  },
): void {
  const a = area(doc);
  para(doc, 'QUYẾT ĐỊNH', { style: 'bold', size: SIZE.title, align: 'center', after: 0 });
  const about = balanceLines(doc, `Về việc ${d.subject}`, 'bold', SIZE.title, a.width * 0.85);
  para(doc, about, { style: 'bold', size: SIZE.title, align: 'center', after: 5 });
  shortRule(doc, 45 * MM);
  const authority = balanceLines(doc, upperVi(d.authority), 'bold', SIZE.title, a.width * 0.9);
  para(doc, authority, { style: 'bold', size: SIZE.title, align: 'center', after: 10 });
  for (const b of d.bases) para(doc, b, { style: 'italic', size: BODY, indent: 10 * MM, after: 4 });
  if (d.proposal) para(doc, d.proposal, { style: 'italic', size: BODY, indent: 10 * MM, after: 4 });
  doc.y += 4;
  para(doc, 'QUYẾT ĐỊNH:', { style: 'bold', size: SIZE.title, align: 'center', after: 8 });
  d.articles.forEach((art, i) => {
    rich(
      doc,
      [
        { text: `Điều ${i + 1}. `, style: 'bold' },
        { text: art.text, style: 'regular' },
      ],
      { size: BODY, indent: 10 * MM, align: 'justify', after: 4 },
    );
    for (const item of art.items) para(doc, item, { size: BODY, indent: 10 * MM, after: 4 });
  });
}

function drawDocument(doc: Doc, d: { title: string; subtitle: string | undefined; body: BodyBlock[] }): void {
  const a = area(doc);
  doc.y += 6;
  const title = balanceLines(doc, upperVi(d.title), 'bold', SIZE.title + 1, a.width * 0.9);
  para(doc, title, { style: 'bold', size: SIZE.title + 1, align: 'center', after: 2 });
  if (d.subtitle) {
    const sub = balanceLines(doc, d.subtitle, 'bold', SIZE.title, a.width * 0.85);
    para(doc, sub, { style: 'bold', size: SIZE.title, align: 'center', after: 2 });
  }
  doc.y += 3;
  shortRule(doc, 45 * MM);
  doc.y += 4;
  for (const b of d.body) {
    if (typeof b === 'string') para(doc, b, { size: BODY, indent: 10 * MM, after: 5 });
    else rich(doc, [{ text: `${b.label}: ` }, { text: b.value, style: 'bold' }], { size: BODY, after: 5 });
  }
}

/** QR code of the verification page at the bottom left of the last page, with a short caption at its right. */
function drawVerification(doc: Doc, url: string): void {
  const qr = qrLayout(url, 25 * MM);
  // the symbol's bottom edge sits on the bottom margin; its quiet zone is kept free of text
  if (doc.y > area(doc).bottom - qr.symbol - qr.quiet) doc.addPage();
  const a = area(doc);
  const top = a.bottom - qr.symbol - qr.quiet;
  drawQr(doc, qr, a.left - qr.quiet, top);
  const captionX = a.left + qr.symbol + qr.quiet;
  const captionW = a.right - captionX;
  const lead = 'Xác thực văn bản điện tử tại';
  const oneLine = `${lead} ${url}`;
  const caption = widthOf(doc, oneLine, 'italic', SIZE.small) <= captionW ? oneLine : `${lead}\n${url}`;
  const h = heightOf(doc, caption, captionW, { style: 'italic', size: SIZE.small });
  textAt(doc, caption, captionX, a.bottom - h, captionW, {
    style: 'italic',
    size: SIZE.small,
    align: 'left',
  });
}
