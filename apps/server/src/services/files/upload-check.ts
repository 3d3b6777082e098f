import { createHash } from 'node:crypto';
import { DomainError } from '@tinhso/domain';
import { fileTypeFromBuffer } from 'file-type';
import { fileTooLarge } from './errors.js';
import { cleanFileName } from './names.js';

/** The only kinds of file a dossier component may be: verified from the bytes, never from the name. */
export const ALLOWED_TYPES = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
} as const;
export type AllowedMime = keyof typeof ALLOWED_TYPES;

/**
 * Checks an upload before it is stored: not empty, within `maxBytes`, and its real type read from the bytes (PDF,
 * JPEG, PNG only). Returns the safe name, the verified type and the SHA-256 of the content.
 */
export async function checkUpload(
  file: { name: string | undefined; content: Buffer },
  maxBytes: number,
): Promise<{ name: string; mime: AllowedMime; sha256: string }> {
  const { content } = file;
  if (content.length === 0) {
    throw new DomainError('FILE_EMPTY', 'Tệp tin rỗng.', 'The file is empty.');
  }
  if (content.length > maxBytes) throw fileTooLarge(maxBytes);
  const detected = await fileTypeFromBuffer(content);
  const mime = detected?.mime as AllowedMime | undefined;
  if (!mime || !(mime in ALLOWED_TYPES)) {
    throw new DomainError(
      'FILE_TYPE_NOT_ALLOWED',
      'Chỉ chấp nhận tệp PDF, JPEG hoặc PNG (kiểm tra theo nội dung tệp, không theo tên).',
      'Only PDF, JPEG or PNG files are accepted (checked from the content, not the name).',
      { detected: detected?.mime ?? null },
    );
  }
  const name = cleanFileName(file.name, ALLOWED_TYPES[mime]);
  const sha256 = createHash('sha256').update(content).digest('hex');
  return { name, mime, sha256 };
}
