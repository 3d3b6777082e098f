import { beforeAll, describe, expect, it } from 'vitest';
import { type PlacedRect, type RenderedResult, renderReceipt, renderResult } from '../src/index.js';
import * as fx from './fixtures.js';
import { decode, flat, fonts, info, png, save, type Word, words } from './tools.js';

const PAGE_H = 841.89;

/**
 * Does a word box (top-left origin) overlap a PDF user-space rect (bottom-left origin) by more than `eps` points?
 * (Rects are rounded to 0.01 pt, so a word touching an edge may "overlap" by a rounding error.)
 */
const overlaps = (w: Word, r: PlacedRect['rect'], eps = 0.5) => {
  const top = PAGE_H - (r.y + r.height);
  const bottom = PAGE_H - r.y;
  return w.xMax > r.x + eps && w.xMin < r.x + r.width - eps && w.yMax > top + eps && w.yMin < bottom - eps;
};

describe('result document: decision (Quyết định)', () => {
  let r: RenderedResult;
  let file: string;
  beforeAll(async () => {
    r = await renderResult(fx.decision);
    file = save('result-decision', r.pdf);
  });

  it('reads back as a decision: heading, number, title, grounds, articles, signer', () => {
    const t = flat(file);
    for (const s of [
      'ỦY BAN NHÂN DÂN',
      'PHƯỜNG TRƯỜNG VINH',
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'Số: 15/QĐ-UBND',
      'Vinh, ngày 24 tháng 11 năm 2026',
      'QUYẾT ĐỊNH',
      'Về việc công nhận việc khai tử cho ông Nguyễn Văn Thành',
      'CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG TRƯỜNG VINH',
      'Căn cứ Luật Hộ tịch ngày 20 tháng 11 năm 2014;',
      'QUYẾT ĐỊNH:',
      'Điều 1. Ghi vào Sổ đăng ký khai tử',
      'Điều 2. Quyết định này có hiệu lực kể từ ngày ký.',
      'Điều 3.',
      'Nơi nhận:',
      'TM. ỦY BAN NHÂN DÂN',
      'CHỦ TỊCH',
      'Lê Văn Minh',
      'Xác thực văn bản điện tử tại',
    ]) {
      expect(t).toContain(s);
    }
    expect(t.replace(/\s+/g, '')).toContain(fx.VERIFY_URL);
    for (const f of fonts(file)) expect(f.name).toMatch(/^Tinos/);
    const i = info(file);
    expect(i['Page size']).toContain('(A4)');
    expect(i['Author']).toBe('Ủy ban nhân dân phường Trường Vinh');
    expect(i['Producer']).toBe('Tỉnh Số');
    expect(i['Keywords']).toBe(fx.CODE);
  });

  it('has a QR code at the bottom left that decodes to the verification URL', () => {
    const image = png(file, 'result-decision', r.pageCount);
    expect(decode(image)).toEqual([fx.VERIFY_URL]);
  });

  it('reserves an empty signature box between the signer title and the name, and the seal over its left third', () => {
    const page = words(file)[r.signature.page]!;
    const sig = r.signature.rect;
    const seal = r.seal.rect;
    // nothing is printed inside the signature box
    expect(page.filter((w) => overlaps(w, sig))).toEqual([]);
    // below "CHỦ TỊCH" (the signer's title) and above the name
    const title = page.filter((w) => w.text === 'TỊCH').at(-1)!;
    const name = page.find((w) => w.text === 'Minh')!;
    expect(PAGE_H - (sig.y + sig.height)).toBeGreaterThanOrEqual(title.yMax - 0.5);
    expect(PAGE_H - sig.y).toBeLessThanOrEqual(name.yMin + 0.5);
    // the name is centred under the box
    expect(Math.abs((name.xMin + name.xMax) / 2 - (sig.x + sig.width / 2))).toBeLessThan(40);
    // seal: real size (36 mm), its right edge on the first third of the signature box, centred vertically on it
    expect(seal.width).toBeCloseTo((36 * 72) / 25.4, 1);
    expect(seal.x + seal.width).toBeCloseTo(sig.x + sig.width / 3, 1);
    expect(seal.y + seal.height / 2).toBeCloseTo(sig.y + sig.height / 2, 1);
    expect(r.seal.page).toBe(r.signature.page);
    expect(sig.x + sig.width).toBeLessThanOrEqual(595.28);
  });

  it('returns the number box between "Số:" and "/QĐ-UBND" on page 1', () => {
    expect(r.number.page).toBe(0);
    const page = words(file)[0]!;
    const so = page.find((w) => w.text === 'Số:')!;
    const n = r.number.rect;
    expect(n.x).toBeGreaterThanOrEqual(so.xMax - 0.5);
    expect(page.filter((w) => overlaps(w, n)).map((w) => w.text)).toEqual(['15/QĐ-UBND']);
  });

  it('is byte-identical for the same input and `now`', async () => {
    const again = await renderResult(fx.decision);
    expect(again.pdf.equals(r.pdf)).toBe(true);
    expect(again.signature).toEqual(r.signature);
  });
});

describe('result document: certificate with the number left blank', () => {
  let r: RenderedResult;
  let file: string;
  beforeAll(async () => {
    // a receipt first: glyphs shared between documents must not lose their text (U of "UBND" after Ủ)
    await renderReceipt(fx.receipt);
    r = await renderResult(fx.certificate);
    file = save('result-certificate', r.pdf);
  });

  it('prints "Số:" with a blank before the symbol, and the key–value lines', () => {
    const t = flat(file);
    expect(t).toMatch(/Số: \/TLKT-UBND/);
    expect(t).toContain('TRÍCH LỤC KHAI TỬ');
    expect(t).toContain('Họ, chữ đệm, tên người chết: NGUYỄN VĂN THÀNH');
    expect(t).toContain('Nơi chết: Bệnh viện Hữu nghị Đa khoa Nghệ An');
    expect(t).toContain('Quyết định số 15/QĐ-UBND');
    expect(t).toContain('Lê Văn Minh');
    expect(t).not.toContain('Nơi nhận');
  });

  it('returns a blank number box wide enough for the number, on page 1, left of the symbol', () => {
    const page = words(file)[0]!;
    const sym = page.find((w) => w.text.startsWith('/TLKT'))!;
    const so = page.find((w) => w.text === 'Số:')!;
    const n = r.number.rect;
    expect(n.width).toBeGreaterThan(40);
    expect(n.x).toBeGreaterThanOrEqual(so.xMax - 0.5);
    expect(n.x + n.width).toBeLessThanOrEqual(sym.xMin + 0.5);
    expect(page.filter((w) => overlaps(w, n))).toEqual([]);
  });

  it('decodes the verification QR code', () => {
    expect(decode(png(file, 'result-certificate', r.pageCount))).toEqual([fx.VERIFY_URL]);
  });

  it('outlines the boxes in a draft preview', async () => {
    const draft = await renderResult({ ...fx.certificate, showBoxes: true });
    png(save('result-certificate-draft', draft.pdf), 'result-certificate-draft', 1, 100);
    expect(draft.signature).toEqual(r.signature);
    expect(draft.pdf.equals(r.pdf)).toBe(false);
  });
});

describe('result documents: long content and bad input', () => {
  it('flows onto a second page and puts signature, seal and QR on the last page', async () => {
    const articles = Array.from(
      { length: 14 },
      (_, i) =>
        `Nội dung điều ${i + 1}: giao công chức Tư pháp - Hộ tịch phối hợp với Công an phường Trường Vinh và các cơ quan, đơn vị có liên quan tổ chức thực hiện, báo cáo kết quả về Ủy ban nhân dân phường.`,
    );
    const r = await renderResult({ ...fx.decision, articles });
    const file = save('result-decision-long', r.pdf);
    expect(r.pageCount).toBeGreaterThanOrEqual(2);
    expect(Number(info(file)['Pages'])).toBe(r.pageCount);
    expect(r.signature.page).toBe(r.pageCount - 1);
    expect(r.number.page).toBe(0);
    expect(flat(file, 2)).toMatch(/^\s*2\s*$/m);
    expect(decode(png(file, 'result-decision-long', r.pageCount))).toEqual([fx.VERIFY_URL]);
  });

  it('throws clear errors', async () => {
    await expect(
      renderResult({ ...fx.decision, signer: { ...fx.decision.signer, name: '' } }),
    ).rejects.toThrow(/signer\.name must not be empty/);
    await expect(renderResult({ ...fx.decision, articles: [] })).rejects.toThrow(/articles must list/);
    await expect(renderResult({ ...fx.decision, verifyUrl: 'javascript:alert(1)' })).rejects.toThrow(
      /verifyUrl/,
    );
    await expect(renderResult({ ...fx.decision, number: '15/QĐ' })).rejects.toThrow(/number must be/);
    await expect(renderResult({ ...fx.certificate, kind: 'permit' as never })).rejects.toThrow(
      /kind must be one of/,
    );
    await expect(renderResult({ ...fx.certificate, body: [] })).rejects.toThrow(/body must list/);
  });
});
