import { beforeAll, describe, expect, it } from 'vitest';
import {
  handOversFromSteps,
  PdfInputError,
  renderApology,
  renderControlSheet,
  renderReceipt,
  renderRefusal,
  renderSupplementRequest,
} from '../src/index.js';
import * as fx from './fixtures.js';
import { decode, flat, fonts, info, png, save } from './tools.js';

const MOTTO = ['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc'];

/** What every one-stop form must show and be: A4, Tinos only and embedded, metadata, the heading. */
function expectCommon(file: string, title: string) {
  const t = flat(file);
  for (const m of MOTTO) expect(t).toContain(m);
  expect(t).toContain(title.toLocaleUpperCase('vi-VN'));
  expect(t).toContain('Vinh, ngày 24 tháng 11 năm 2026');
  expect(t).toContain('Số:');
  const f = fonts(file);
  expect(f.length).toBeGreaterThan(0);
  for (const x of f) {
    expect(x.name).toMatch(/^Tinos-(Regular|Bold|Italic|BoldItalic)$/);
    expect(x.embedded).toBe(true);
  }
  const i = info(file);
  expect(i['Page size']).toMatch(/^595\.2\d x 841\.8\d pts \(A4\)$/);
  expect(i['Title']).toBe(title);
  expect(i['Producer']).toBe('Tỉnh Số');
  expect(i['CreationDate']).toBe('2026-11-24T02:15:00Z');
  return t;
}

describe('Mẫu 01 — Giấy tiếp nhận hồ sơ và hẹn trả kết quả', () => {
  let file: string;
  let pdf: Buffer;
  beforeAll(async () => {
    pdf = await renderReceipt(fx.receipt);
    file = save('mau-01-receipt', pdf);
  });

  it('reads back with the heading, code, applicant, procedure, components, dates and the URL', () => {
    const t = expectCommon(file, 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả');
    expect(Number(info(file)['Pages'])).toBe(1);
    expect(info(file)['Author']).toBe('Trung tâm Phục vụ hành chính công');
    expect(t).toContain('ỦY BAN NHÂN DÂN');
    expect(t).toContain('TRUNG TÂM PHỤC VỤ');
    expect(t).toContain('Số: 0007/TNHS');
    expect(t).toContain('Mã hồ sơ: H41.50-261124-0007');
    expect(t).toContain('Nguyễn Thị Hường');
    expect(t).toContain('Thủ tục đăng ký khai tử');
    expect(t).toContain('Tờ khai đăng ký khai tử (theo mẫu)');
    expect(t).toContain('Giấy tờ tùy thân của người đi khai tử');
    expect(t).toContain('08 giờ 30 phút, ngày 24/11/2026');
    expect(t).toContain('16 giờ 00 phút, ngày 25/11/2026');
    expect(t).toContain(fx.STATUS_URL);
    expect(t).toContain('NGƯỜI TIẾP NHẬN HỒ SƠ');
    expect(t).toContain('(Ký, ghi rõ họ tên)');
    expect(t).toContain('Trần Văn Đức');
  });

  it('carries a QR code that decodes to the status URL', () => {
    expect(decode(png(file, 'mau-01-receipt'))).toEqual([fx.STATUS_URL]);
  });

  it('is byte-identical for the same input and `now`', async () => {
    expect((await renderReceipt(fx.receipt)).equals(pdf)).toBe(true);
    expect(pdf.subarray(0, 8).toString('latin1')).toBe('%PDF-1.7');
  });

  it('refuses impossible inputs with a clear error', async () => {
    await expect(
      renderReceipt({ ...fx.receipt, applicant: { ...fx.applicant, name: '  ' } }),
    ).rejects.toThrow(/applicant\.name must not be empty/);
    await expect(renderReceipt({ ...fx.receipt, dossierCode: '' })).rejects.toThrow(/dossierCode/);
    const { dossierCode: _omit, ...noCode } = fx.receipt;
    await expect(renderReceipt(noCode as typeof fx.receipt)).rejects.toThrow(PdfInputError);
    await expect(renderReceipt({ ...fx.receipt, dossierCode: 'hồ sơ 7' })).rejects.toThrow(
      /not a dossier code/,
    );
    await expect(renderReceipt({ ...fx.receipt, components: [] })).rejects.toThrow(/components must list/);
    await expect(renderReceipt({ ...fx.receipt, statusUrl: 'tra-cuu/abc' })).rejects.toThrow(/statusUrl/);
    await expect(
      renderReceipt({ ...fx.receipt, appointmentAt: '2026-11-20T08:00:00+07:00' }),
    ).rejects.toThrow(/appointmentAt is before receivedAt/);
    await expect(renderReceipt({ ...fx.receipt, receivedAt: 'hôm qua' })).rejects.toThrow(
      /receivedAt is not a valid date/,
    );
  });

  it('states a time limit in half days ("0,5 ngày làm việc") and refuses other fractions', async () => {
    const half = save('mau-01-half-day.pdf', await renderReceipt({ ...fx.receipt, processingDays: 0.5 }));
    expect(flat(half)).toContain('0,5 ngày làm việc');
    await expect(renderReceipt({ ...fx.receipt, processingDays: 0.3 })).rejects.toThrow(/processingDays/);
  });

  it('stays on one page without the applicant block for an online dossier with many components', async () => {
    const components = Array.from({ length: 8 }, (_, i) => ({
      name: `Thành phần hồ sơ số ${i + 1}`,
      copies: 1,
    }));
    const f = save(
      'mau-01-online',
      await renderReceipt({ ...fx.receipt, components, applicantSigns: false }),
    );
    const t = flat(f);
    expect(t).not.toContain('NGƯỜI NỘP HỒ SƠ');
    expect(t).toContain('Thành phần hồ sơ số 8');
  });
});

describe('Mẫu 02 — Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ', () => {
  it('lists every missing item once, with the reason and the contact', async () => {
    const file = save('mau-02-supplement', await renderSupplementRequest(fx.supplement));
    png(file, 'mau-02-supplement', 1, 100);
    const t = expectCommon(file, 'Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ');
    expect(t).toContain('Mã hồ sơ: H41.50-261124-0007');
    expect(t).toContain('Nguyễn Thị Hường');
    expect(t).toContain('1. Bản chính Giấy báo tử do Bệnh viện Hữu nghị Đa khoa Nghệ An cấp');
    expect(t).toContain('2. Tờ khai đăng ký khai tử còn thiếu chữ ký của người đi khai tử');
    expect(t).not.toContain('3. ');
    expect(t.match(/Giấy báo tử do Bệnh viện/gi)).toHaveLength(1);
    expect(t).toContain('Lý do: Hồ sơ chưa đầy đủ thành phần');
    expect(t).toContain('0238 3844 123');
    expect(t).toContain('NGƯỜI HƯỚNG DẪN');
  });

  it('needs at least one non-blank item', async () => {
    await expect(renderSupplementRequest({ ...fx.supplement, items: [' ', ''] })).rejects.toThrow(
      /items must list at least one non-blank item/,
    );
    await expect(renderSupplementRequest({ ...fx.supplement, items: [] })).rejects.toThrow(PdfInputError);
  });
});

describe('Mẫu 03 — Phiếu từ chối tiếp nhận giải quyết hồ sơ', () => {
  it('states the reasons', async () => {
    const file = save('mau-03-refusal', await renderRefusal(fx.refusal));
    png(file, 'mau-03-refusal', 1, 100);
    const t = expectCommon(file, 'Phiếu từ chối tiếp nhận giải quyết hồ sơ');
    expect(t).toContain('Nguyễn Thị Hường');
    expect(t).toContain('Ngày 24/11/2026');
    expect(t).toContain('không thuộc thẩm quyền');
    expect(t).toContain('Việc khai tử đã được đăng ký tại Ủy ban nhân dân xã Nghi Lộc ngày 20/11/2026.');
    expect(t).toContain('Xin thông báo cho ông/bà được biết và thực hiện./.');
  });

  it('needs a reason', async () => {
    await expect(renderRefusal({ ...fx.refusal, reasons: [] })).rejects.toThrow(/reasons must list/);
  });
});

describe('Mẫu 04 — Phiếu xin lỗi và hẹn lại ngày trả kết quả', () => {
  it('apologises with the reason and the new date, signed by the head of the agency', async () => {
    const file = save('mau-04-apology', await renderApology(fx.apology));
    png(file, 'mau-04-apology', 1, 100);
    const t = expectCommon(file, 'Phiếu xin lỗi và hẹn lại ngày trả kết quả');
    expect(t).toContain('Số: 05/PXL-UBND');
    expect(t).toContain('Kính gửi: Nguyễn Thị Hường.');
    expect(t).toContain('16 giờ 00 phút, ngày 25/11/2026');
    expect(t.replace(/\s+/g, ' ')).toContain('vào 16 giờ 00 phút, ngày 27/11/2026.');
    expect(t).toContain('Lý do: Cần xác minh thông tin về nơi cư trú cuối cùng');
    expect(t).toContain('KT. CHỦ TỊCH');
    expect(t).toContain('PHÓ CHỦ TỊCH');
    expect(t).toContain('Lê Văn Minh');
    expect(t).toContain('Nơi nhận:');
    expect(t).toContain('- Lưu: VT.');
  });

  it('needs a new date after the previous one', async () => {
    await expect(renderApology({ ...fx.apology, newDueAt: '2026-11-25T08:00:00+07:00' })).rejects.toThrow(
      /newDueAt must be later than previousDueAt/,
    );
    await expect(renderApology({ ...fx.apology, reason: '' })).rejects.toThrow(/reason/);
  });
});

describe('Mẫu 05 — Phiếu kiểm soát quá trình giải quyết hồ sơ', () => {
  it('tabulates every hand-over with units, people, times, due dates and results', async () => {
    const file = save('mau-05-control', await renderControlSheet(fx.controlSheet));
    png(file, 'mau-05-control', 1, 100);
    const t = expectCommon(file, 'Phiếu kiểm soát quá trình giải quyết hồ sơ');
    expect(t).toContain('Mã hồ sơ: H41.50-261124-0007');
    expect(t).toContain('0007/TNHS');
    for (const s of [
      'Bên giao',
      'Bên nhận',
      'Thời gian',
      'Hạn xử lý',
      'Phạm Thị Lan',
      'Lê Văn Minh',
      'Hoàng Thị Yến',
      '24/11/2026',
      '15:10',
      'Trước hạn',
      'Đúng hạn',
      'Quá hạn',
      'Chờ xác minh',
    ]) {
      expect(t).toContain(s);
    }
  });

  it('builds the rows from the step log', () => {
    const rows = handOversFromSteps(
      [
        {
          name: 'Thẩm định',
          unit: 'H41.50.1',
          assignee: 'u1',
          startedAt: '2026-11-24T01:45:00Z',
          dueAt: '2026-11-24T09:00:00Z',
          completedAt: '2026-11-24T08:10:00Z',
          timing: 'on_time',
        },
        {
          name: 'Ký duyệt',
          unit: 'H41.50',
          assignee: null,
          startedAt: '2026-11-24T08:10:00Z',
          dueAt: '2026-11-25T04:00:00Z',
          completedAt: '2026-11-25T03:00:00Z',
          timing: 'early',
        },
      ],
      {
        reception: { unit: 'Bộ phận Một cửa', person: 'Trần Văn Đức' },
        unitName: (c) =>
          ({ 'H41.50.1': 'Công chức Tư pháp - Hộ tịch', 'H41.50': 'Lãnh đạo UBND phường' })[c] ?? c,
        personName: (id) => (id === 'u1' ? 'Phạm Thị Lan' : id),
      },
    );
    expect(rows.map((r) => [r.step, r.from.unit, r.to.unit, r.to.person ?? null, r.timing ?? null])).toEqual([
      ['Thẩm định', 'Bộ phận Một cửa', 'Công chức Tư pháp - Hộ tịch', 'Phạm Thị Lan', 'on_time'],
      ['Ký duyệt', 'Công chức Tư pháp - Hộ tịch', 'Lãnh đạo UBND phường', null, 'early'],
      ['Trả kết quả cho Bộ phận Một cửa', 'Lãnh đạo UBND phường', 'Bộ phận Một cửa', 'Trần Văn Đức', null],
    ]);
  });

  it('rejects an unknown result', async () => {
    const bad = { ...fx.controlSheet.handOvers[0]!, timing: 'sớm' as never };
    await expect(renderControlSheet({ ...fx.controlSheet, handOvers: [bad] })).rejects.toThrow(
      /handOvers\[0\]\.timing must be early, on_time or late/,
    );
  });
});
