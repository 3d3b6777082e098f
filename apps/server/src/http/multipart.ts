import { DomainError } from '@tinhso/domain';
import type { FastifyRequest } from 'fastify';
import { fileTooLarge } from '../services/files/index.js';

/** The one file of an upload request: its client-given name and its bytes (the type is checked by the caller). */
export interface UploadedFile {
  name: string;
  content: Buffer;
}

const onlyOneFile = () =>
  new DomainError(
    'VALIDATION_FAILED',
    'Mỗi lần chỉ tải lên một tệp, trong trường "file".',
    'Upload exactly one file per request, in the part named "file".',
  );

export const fileMissing = () =>
  new DomainError(
    'FILE_MISSING',
    'Chưa chọn tệp (gửi multipart/form-data với trường "file").',
    'No file (send multipart/form-data with a part named "file").',
  );

/**
 * Reads exactly one file, in the part named "file", from a multipart/form-data request whose plugin limits
 * (@fastify/multipart, registered by the route's plugin) cap its size and parts. Every client mistake — no file, two
 * files, too large, a malformed or truncated body — becomes a 4xx with a stable code, never a 500.
 */
export async function readSingleFile(req: FastifyRequest, maxBytes: number): Promise<UploadedFile> {
  if (!req.isMultipart()) throw fileMissing();
  let file: UploadedFile | null = null;
  let extra = false;
  try {
    for await (const part of req.parts()) {
      if (part.type !== 'file') continue;
      if (part.fieldname !== 'file' || file) {
        extra = true;
        part.file.resume(); // drain: the request is refused after the loop
        continue;
      }
      file = { name: part.filename, content: await part.toBuffer() };
    }
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw fileTooLarge(maxBytes);
    if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') {
      throw onlyOneFile();
    }
    throw new DomainError(
      'VALIDATION_FAILED',
      'Dữ liệu tải lên không hợp lệ hoặc bị gián đoạn (multipart/form-data).',
      'Malformed or truncated multipart/form-data body.',
    );
  }
  if (extra) throw onlyOneFile();
  if (!file) throw fileMissing();
  return file;
}
