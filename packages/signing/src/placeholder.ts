import { deflateSync } from 'node:zlib';
import { DEFAULT_BYTE_RANGE_PLACEHOLDER, SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import {
  decodeTextString,
  type PdfDict,
  PdfParseError,
  type PdfRef,
  type PdfValue,
  spliceDict,
} from './pdf-objects.js';
import { PdfReader } from './pdf-reader.js';
import type { Rect } from './types.js';

/**
 * Appends an incremental update with an empty PAdES signature (ETSI.CAdES.detached) to a PDF: the signature
 * dictionary with a /ByteRange placeholder (the format @signpdf/signpdf fills in), a signature field/widget
 * on any page (optionally with an /AP appearance), extra locked annotations, the page's /Annots and the
 * AcroForm. Earlier bytes are never touched, so earlier signatures stay valid.
 *
 * Why not @signpdf/placeholder-plain as is: it always uses the first page, has no /AP, writes non-ASCII
 * /Reason strings through UTF-8 (mangling "Phê duyệt"), and finds an existing AcroForm by text search.
 */

export interface FormXObject {
  width: number;
  height: number;
  /** Content stream operators. */
  content: string;
  /** Resources dictionary body (PDF syntax), e.g. '/ExtGState << /GS0 4 0 R >>'. */
  resources?: string;
}

export interface PlaceholderOptions {
  reason: string;
  location?: string;
  contactInfo?: string;
  /** Signer name for /Name (the certificate CN). */
  name: string;
  signingTime: Date;
  /** Bytes reserved for the CMS (the hex placeholder is twice as long). */
  signatureLength: number;
  fieldName?: string;
  widget?: {
    page: number;
    rect: Rect;
    appearance: FormXObject;
    /** Further annotations drawn in the same signed revision (e.g. the number box of an agency signature). */
    extra?: { page?: number; rect: Rect; appearance: FormXObject; contents?: string }[];
  };
}

/** A PDF text string: literal for printable ASCII, else UTF-16BE with BOM as hex. */
export function pdfText(s: string): string {
  if (/^[\x20-\x7e]*$/.test(s)) return `(${s.replace(/[\\()]/g, (c) => `\\${c}`)})`;
  return `<FEFF${Buffer.from(s, 'utf16le').swap16().toString('hex').toUpperCase()}>`;
}

/** PDF date in Vietnam time (UTC+7): D:YYYYMMDDHHmmSS+07'00'. */
export function pdfDate(d: Date): string {
  const v = new Date(d.getTime() + 7 * 3_600_000);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `(D:${p(v.getUTCFullYear(), 4)}${p(v.getUTCMonth() + 1)}${p(v.getUTCDate())}${p(v.getUTCHours())}${p(v.getUTCMinutes())}${p(v.getUTCSeconds())}+07'00')`;
}

const refText = (r: { num: number; gen: number }) => `${r.num} ${r.gen} R`;
const rectText = (r: Rect) =>
  `[${[Math.min(r[0], r[2]), Math.min(r[1], r[3]), Math.max(r[0], r[2]), Math.max(r[1], r[3])].join(' ')}]`;

/** Raw text of an array without its closing bracket, so references can be appended. */
function openArray(buf: Buffer, arr: PdfValue | undefined): string {
  if (arr?.kind !== 'array') return '[';
  return buf.toString('latin1', arr.start, arr.end - 1).replace(/\s+$/, '');
}

function findPage(reader: PdfReader, root: PdfDict, index: number): { ref: PdfRef; dict: PdfDict } {
  let node = root.entries.get('Pages')?.value;
  let remaining = index;
  for (let depth = 0; depth < 64; depth++) {
    const kids = reader.get(reader.dict(node, 'page tree node'), 'Kids');
    if (kids?.kind !== 'array') break;
    let next: PdfValue | undefined;
    for (const kid of kids.items) {
      if (kid.kind !== 'ref') continue;
      const dict = reader.dict(kid, 'page');
      const count = reader.get(dict, 'Count');
      const n = dict.entries.has('Kids') ? (count?.kind === 'number' ? count.value : 0) : 1;
      if (remaining < n) {
        if (!dict.entries.has('Kids')) return { ref: kid, dict };
        next = kid;
        break;
      }
      remaining -= n;
    }
    if (!next) break;
    node = next;
  }
  throw new PdfParseError(`page ${index} does not exist in the document`);
}

function stream(dict: string, data: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(`<< ${dict} /Filter /FlateDecode /Length ${data.length} >>\nstream\n`, 'latin1'),
    data,
    Buffer.from('\nendstream', 'latin1'),
  ]);
}

function formXObject(x: FormXObject): Buffer {
  const dict = `/Type /XObject /Subtype /Form /FormType 1 /BBox [0 0 ${x.width} ${x.height}] /Resources << ${x.resources ?? ''} >>`;
  return stream(dict, deflateSync(Buffer.from(x.content, 'latin1')));
}

export function addSignaturePlaceholder(pdf: Buffer, opts: PlaceholderOptions): Buffer {
  if (!/%%EOF\s*$/.test(pdf.toString('latin1', Math.max(0, pdf.length - 32))))
    throw new PdfParseError('the PDF does not end with %%EOF (truncated?)');
  const reader = new PdfReader(pdf);
  const trailer = reader.trailer;
  if (trailer.entries.has('Encrypt')) throw new PdfParseError('encrypted PDFs cannot be signed');
  const rootRef = trailer.entries.get('Root')?.value;
  if (rootRef?.kind !== 'ref') throw new PdfParseError('trailer has no /Root reference');
  const root = reader.dict(rootRef, 'document catalog');

  let nextNum = reader.size;
  const alloc = () => ({ num: nextNum++, gen: 0 });
  const objects: { ref: { num: number; gen: number }; body: Buffer }[] = [];
  const put = (ref: { num: number; gen: number }, body: string | Buffer) =>
    objects.push({ ref, body: typeof body === 'string' ? Buffer.from(body, 'latin1') : body });

  // AcroForm: existing field names, and where the new field goes.
  const acroValue = root.entries.get('AcroForm')?.value;
  const acro = acroValue ? reader.dict(acroValue, 'AcroForm') : undefined;
  const fields = reader.get(acro, 'Fields');
  const names = new Set<string>();
  for (const f of fields?.kind === 'array' ? fields.items : []) {
    const t = reader.get(reader.dict(f, 'form field'), 'T');
    if (t?.kind === 'string') names.add(decodeTextString(t.bytes));
  }
  if (opts.fieldName && names.has(opts.fieldName))
    throw new PdfParseError(`a field named "${opts.fieldName}" already exists`);
  let fieldName = opts.fieldName ?? '';
  for (let i = names.size + 1; !fieldName || names.has(fieldName); i++) fieldName = `Signature${i}`;

  const sigRef = alloc();
  const widgetRef = alloc();
  const hex = '0'.repeat(opts.signatureLength * 2);
  const ph = `/${DEFAULT_BYTE_RANGE_PLACEHOLDER}`;
  put(
    sigRef,
    `<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /${SUBFILTER_ETSI_CADES_DETACHED} ` +
      `/ByteRange [0 ${ph} ${ph} ${ph}] /Contents <${hex}> /M ${pdfDate(opts.signingTime)} ` +
      `/Name ${pdfText(opts.name)} /Reason ${pdfText(opts.reason)}` +
      (opts.location ? ` /Location ${pdfText(opts.location)}` : '') +
      (opts.contactInfo ? ` /ContactInfo ${pdfText(opts.contactInfo)}` : '') +
      ' /Prop_Build << /App << /Name /TinhSo.Signing >> >> >>',
  );

  const w = opts.widget;
  const page = findPage(reader, root, w?.page ?? 0);
  let widget = `<< /Type /Annot /Subtype /Widget /FT /Sig /T ${pdfText(fieldName)} /V ${refText(sigRef)} /F 132 /P ${refText(page.ref)}`;
  // New annotations per page index: the widget's page, and the pages of extra stamps (e.g. the number on page 1
  // when the signature is on the last page).
  const annotsByPage = new Map<number, { page: ReturnType<typeof findPage>; refs: (typeof widgetRef)[] }>();
  const addAnnot = (index: number, ref: typeof widgetRef) => {
    let entry = annotsByPage.get(index);
    if (!entry) {
      entry = { page: index === (w?.page ?? 0) ? page : findPage(reader, root, index), refs: [] };
      annotsByPage.set(index, entry);
    }
    entry.refs.push(ref);
    return entry.page;
  };
  addAnnot(w?.page ?? 0, widgetRef);
  if (w) {
    const apRef = alloc();
    put(apRef, formXObject(w.appearance));
    widget += ` /Rect ${rectText(w.rect)} /AP << /N ${refText(apRef)} >> >>`;
    for (const extra of w.extra ?? []) {
      const annotRef = alloc();
      const xRef = alloc();
      const target = addAnnot(extra.page ?? w.page, annotRef);
      put(xRef, formXObject(extra.appearance));
      const contents = extra.contents ? ` /Contents ${pdfText(extra.contents)}` : '';
      put(
        annotRef,
        `<< /Type /Annot /Subtype /Stamp /Name /TinhSoNumber /Rect ${rectText(extra.rect)} /F 196 /P ${refText(target.ref)}${contents} /AP << /N ${refText(xRef)} >> >>`,
      );
    }
  } else widget += ' /Rect [0 0 0 0] >>';
  put(widgetRef, widget);

  for (const { page: target, refs } of annotsByPage.values()) {
    const pageAnnots = reader.get(target.dict, 'Annots');
    put(
      target.ref,
      spliceDict(pdf, target.dict, {
        Annots: `${openArray(pdf, pageAnnots)} ${refs.map(refText).join(' ')}]`,
      }),
    );
  }

  const acroChanges = { Fields: `${openArray(pdf, fields)} ${refText(widgetRef)}]`, SigFlags: '3' };
  if (acroValue?.kind === 'ref') put(acroValue, spliceDict(pdf, acro!, acroChanges));
  else {
    let acroText: string;
    if (acro) acroText = spliceDict(pdf, acro, acroChanges);
    else {
      const acroRef = alloc();
      put(acroRef, `<< /Fields [${refText(widgetRef)}] /SigFlags 3 >>`);
      acroText = refText(acroRef);
    }
    put(rootRef, spliceDict(pdf, root, { AcroForm: acroText }));
  }

  return appendRevision(pdf, reader, objects, nextNum);
}

function appendRevision(
  pdf: Buffer,
  reader: PdfReader,
  objects: { ref: { num: number; gen: number }; body: Buffer }[],
  size: number,
): Buffer {
  const parts: Buffer[] = [pdf];
  let length = pdf.length;
  const push = (b: Buffer) => {
    parts.push(b);
    length += b.length;
  };
  if (pdf[pdf.length - 1] !== 0x0a && pdf[pdf.length - 1] !== 0x0d) push(Buffer.from('\n'));
  const offsets = new Map<number, { offset: number; gen: number }>();
  for (const o of objects) {
    offsets.set(o.ref.num, { offset: length, gen: o.ref.gen });
    push(Buffer.concat([Buffer.from(`${o.ref.num} ${o.ref.gen} obj\n`), o.body, Buffer.from('\nendobj\n')]));
  }
  const xrefOffset = length;
  const nums = [...offsets.keys()].sort((a, b) => a - b);
  let xref = 'xref\n';
  for (let i = 0; i < nums.length; ) {
    let j = i;
    while (j + 1 < nums.length && nums[j + 1] === nums[j]! + 1) j++;
    xref += `${nums[i]} ${j - i + 1}\n`;
    for (let k = i; k <= j; k++) {
      const e = offsets.get(nums[k]!)!;
      xref += `${String(e.offset).padStart(10, '0')} ${String(e.gen).padStart(5, '0')} n\r\n`;
    }
    i = j + 1;
  }
  const t = reader.trailer.entries;
  const copy = (key: string) => {
    const v = t.get(key)?.value;
    return v ? ` /${key} ${pdf.toString('latin1', v.start, v.end)}` : '';
  };
  xref += `trailer\n<< /Size ${size}${copy('Root')}${copy('Info')}${copy('ID')} /Prev ${reader.xref.startxref} >>\n`;
  xref += `startxref\n${xrefOffset}\n%%EOF`;
  push(Buffer.from(xref, 'latin1'));
  return Buffer.concat(parts, length);
}
