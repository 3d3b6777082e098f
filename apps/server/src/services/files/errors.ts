import { DomainError } from '@tinhso/domain';

export const fileNotFound = (id?: string) =>
  new DomainError(
    'FILE_NOT_FOUND',
    'Không tìm thấy tệp tin.',
    'File not found.',
    id === undefined ? undefined : { fileId: id },
  );

export const fileTooLarge = (max: number) =>
  new DomainError(
    'FILE_TOO_LARGE',
    `Tệp tin vượt quá dung lượng cho phép (${formatBytes(max)}).`,
    `The file exceeds the size limit (${formatBytes(max)}).`,
    { maxBytes: max },
  );

export function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round((n / 1024 / 1024) * 10) / 10} MB` : `${Math.round(n / 1024)} KB`;
}
