import type { EformField, EformSchema } from './procedure.js';

export interface EformIssue {
  field: string;
  code: 'required' | 'type' | 'too_long' | 'not_an_option' | 'unknown_field';
  message: string;
}

const PATTERNS: Partial<Record<EformField['type'], [RegExp, string]>> = {
  personalId: [/^[0-9]{12}$/, 'số định danh cá nhân gồm 12 chữ số'],
  phone: [/^(\+84|0)[0-9]{9,10}$/, 'số điện thoại (ví dụ 0912345678)'],
  email: [/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'địa chỉ thư điện tử'],
  date: [/^\d{4}-\d{2}-\d{2}$/, 'ngày dạng YYYY-MM-DD'],
};

function realDate(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/**
 * Checks e-form data against the procedure's e-form schema, the same rules the browser applies as the citizen
 * types: required fields, types (personal ID, phone, e-mail, date, number), lengths, select options, and no
 * fields the form does not have. Returns every issue (empty when the data is valid).
 */
export function validateEform(schema: EformSchema, data: Record<string, unknown>): EformIssue[] {
  const issues: EformIssue[] = [];
  const fields = schema.sections.flatMap((s) => s.fields);
  const known = new Set(fields.map((f) => f.name));
  for (const name of Object.keys(data)) {
    if (!known.has(name))
      issues.push({ field: name, code: 'unknown_field', message: 'Trường không có trong biểu mẫu' });
  }
  for (const f of fields) {
    const v = data[f.name];
    const empty = v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
    if (empty) {
      if (f.required) issues.push({ field: f.name, code: 'required', message: `${f.label}: bắt buộc` });
      continue;
    }
    if (f.type === 'number') {
      if (typeof v !== 'number' || !Number.isFinite(v))
        issues.push({ field: f.name, code: 'type', message: `${f.label}: phải là số` });
      continue;
    }
    if (typeof v !== 'string') {
      issues.push({ field: f.name, code: 'type', message: `${f.label}: phải là chuỗi ký tự` });
      continue;
    }
    const max = f.maxLength ?? (f.type === 'textarea' ? 5000 : 500);
    if (v.length > max)
      issues.push({ field: f.name, code: 'too_long', message: `${f.label}: tối đa ${max} ký tự` });
    const pattern = PATTERNS[f.type];
    if (pattern && (!pattern[0].test(v.trim()) || (f.type === 'date' && !realDate(v)))) {
      issues.push({ field: f.name, code: 'type', message: `${f.label}: phải là ${pattern[1]}` });
    }
    if (f.type === 'select' && f.options && !f.options.includes(v)) {
      issues.push({
        field: f.name,
        code: 'not_an_option',
        message: `${f.label}: chọn một trong ${f.options.join(', ')}`,
      });
    }
  }
  return issues;
}
