import { describe, expect, it } from 'vitest';
import { type EformSchema, validateEform } from '../src/index.js';

const schema: EformSchema = {
  sections: [
    {
      title: 'Thông tin người nộp',
      fields: [
        { name: 'hoTen', label: 'Họ và tên', type: 'text', required: true, prefill: 'fullName' },
        { name: 'soDinhDanh', label: 'Số định danh cá nhân', type: 'personalId', required: true },
        { name: 'ngaySinh', label: 'Ngày sinh', type: 'date', required: false },
        { name: 'email', label: 'Thư điện tử', type: 'email', required: false },
      ],
    },
    {
      title: 'Thông tin khai sinh',
      fields: [
        { name: 'gioiTinh', label: 'Giới tính', type: 'select', required: true, options: ['Nam', 'Nữ'] },
        { name: 'soTang', label: 'Số tầng', type: 'number', required: false },
      ],
    },
  ],
};

describe('e-form validation', () => {
  it('accepts valid data', () => {
    expect(
      validateEform(schema, {
        hoTen: 'Nguyễn Văn Minh',
        soDinhDanh: '040090001234',
        ngaySinh: '1992-03-14',
        gioiTinh: 'Nam',
        soTang: 3,
      }),
    ).toEqual([]);
  });

  it('names every problem: missing, wrong type, impossible date, not an option, unknown field', () => {
    const issues = validateEform(schema, {
      soDinhDanh: '12345',
      ngaySinh: '2026-02-30',
      email: 'không-phải-email',
      gioiTinh: 'Khác',
      soTang: 'ba',
      hack: 'x',
    });
    expect(issues.map((i) => [i.field, i.code])).toEqual([
      ['hack', 'unknown_field'],
      ['hoTen', 'required'],
      ['soDinhDanh', 'type'],
      ['ngaySinh', 'type'],
      ['email', 'type'],
      ['gioiTinh', 'not_an_option'],
      ['soTang', 'type'],
    ]);
    expect(issues.every((i) => i.message.length > 3)).toBe(true);
  });
});
