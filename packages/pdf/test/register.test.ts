import { beforeAll, describe, expect, it } from 'vitest';
import { renderRegister } from '../src/index.js';
import * as fx from './fixtures.js';
import { flat, fonts, info, png, save } from './tools.js';

describe('Mẫu 06 — Sổ theo dõi hồ sơ with 120 dossiers', () => {
  let file: string;
  let pages: number;
  beforeAll(async () => {
    file = save('mau-06-register', await renderRegister(fx.register));
    pages = Number(info(file)['Pages']);
    png(file, 'mau-06-register', 1, 100);
    png(file, 'mau-06-register', 2, 100);
    png(file, 'mau-06-register', pages, 100);
  });

  it('is landscape A4 in Tinos', () => {
    expect(info(file)['Page size']).toMatch(/^841\.8\d x 595\.2\d pts \(A4\)$/);
    for (const f of fonts(file)) expect(f.name).toMatch(/^Tinos/);
  });

  it('spans several pages, each starting with the header row', () => {
    expect(pages).toBeGreaterThanOrEqual(4);
    for (let p = 1; p <= pages; p++) {
      const t = flat(file, p);
      expect(t, `page ${p}`).toContain('Mã hồ sơ');
      expect(t, `page ${p}`).toContain('Tên thủ tục hành chính');
      expect(t, `page ${p}`).toContain('Ngày, tháng, năm');
      expect(t, `page ${p}`).toContain('Ghi chú');
    }
    const first = flat(file, 1);
    expect(first).toContain('SỔ THEO DÕI HỒ SƠ');
    expect(first).toContain('Lĩnh vực Hộ tịch');
    expect(first).toContain('(Từ ngày 01/11/2026 đến ngày 30/11/2026)');
  });

  it('lists every dossier exactly once, numbered 1–120, with names, dates and results', () => {
    const t = flat(file);
    for (const r of fx.register.rows) {
      const hits = t.split(r.dossierCode).length - 1;
      expect(hits, r.dossierCode).toBe(1);
    }
    expect(t).toMatch(/^\s*120 H41\.50-/m);
    expect(t).toContain('Nguyễn Thị Hường');
    expect(t).toContain('Võ Thị Mỹ Duyên');
    expect(t).toContain('Thủ tục đăng ký khai tử');
    expect(t).toContain('01/11/2026');
    for (const s of ['Trước hạn', 'Đúng hạn', 'Quá hạn', 'Trả qua dịch vụ']) expect(t).toContain(s);
  });

  it('renders an empty register with its header row', async () => {
    const f = save('mau-06-empty', await renderRegister({ ...fx.register, rows: [] }));
    expect(Number(info(f)['Pages'])).toBe(1);
    expect(flat(f)).toContain('Mã hồ sơ');
  });

  it('rejects a row without a code', async () => {
    const rows = [...fx.register.rows.slice(0, 3), { ...fx.register.rows[3]!, dossierCode: ' ' }];
    await expect(renderRegister({ ...fx.register, rows })).rejects.toThrow(
      /rows\[3\]\.dossierCode must not be empty/,
    );
  });
});
