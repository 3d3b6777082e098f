import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { type Session, validForm } from './helpers.js';

export { validForm };

/** A minimal valid PDF (one empty page), padded with a comment to `size` bytes when asked. */
export function pdfBytes(size = 0): Buffer {
  const body =
    '%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n' +
    '2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n' +
    '3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n';
  const trailer = 'trailer\n<< /Root 1 0 R >>\n%%EOF\n';
  const pad = Math.max(0, size - body.length - trailer.length);
  return Buffer.from(body + (pad > 0 ? `%${'x'.repeat(pad - 2)}\n` : '') + trailer, 'latin1');
}

/** A 1×1 PNG. */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

/** The start of a JFIF JPEG (SOI, APP0 JFIF header) followed by EOI. */
export const JPEG = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
  Buffer.from('JFIF\0', 'latin1'),
  Buffer.from([0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]),
  Buffer.alloc(64, 0),
  Buffer.from([0xff, 0xd9]),
]);

export const HTML = Buffer.from(
  '<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>',
);
/** A Windows executable header ("MZ", DOS stub). */
export const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);

export interface Part {
  field?: string;
  filename?: string;
  type?: string;
  content: Buffer | string;
}

/** A multipart/form-data body as a browser sends it. */
export function multipart(parts: Part[]) {
  const boundary = `----tinhso${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition =
      p.filename === undefined
        ? `form-data; name="${p.field ?? 'file'}"`
        : `form-data; name="${p.field ?? 'file'}"; filename="${p.filename}"`;
    const head =
      `--${boundary}\r\nContent-Disposition: ${disposition}\r\n` +
      (p.filename === undefined ? '' : `Content-Type: ${p.type ?? 'application/octet-stream'}\r\n`) +
      '\r\n';
    chunks.push(Buffer.from(head, 'utf8'), Buffer.from(p.content), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** Uploads one file through POST /api/files. */
export function upload(
  app: FastifyInstance,
  s: Session,
  content: Buffer,
  filename = 'giay-to.pdf',
  type = 'application/pdf',
) {
  const body = multipart([{ filename, type, content }]);
  return app.inject({
    method: 'POST',
    url: '/api/files',
    headers: { ...s.headers, ...body.headers },
    payload: body.payload,
  });
}

export const BIRTH = '1.001193'; // Đăng ký khai sinh — commune level, online, components TP01…TP08

/** Submits an online dossier as a citizen. */
export function submitOnline(
  app: FastifyInstance,
  s: Session,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  return app.inject({
    method: 'POST',
    url: '/api/dossiers',
    headers: { ...s.headers, ...headers },
    payload: {
      procedureCode: BIRTH,
      channel: 'online',
      competentUnit: 'H41.50',
      applicant: { name: 'Nguyễn Văn Minh', idNumber: '040090001234', phone: '0912345678' },
      ...body,
    },
  });
}
