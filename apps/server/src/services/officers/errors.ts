/** The officer administration's errors (the stable codes map to HTTP in http/errors.ts). */
import { DomainError } from '@tinhso/domain';

export const officerNotFound = (id: string) =>
  new DomainError('OFFICER_NOT_FOUND', 'Không tìm thấy cán bộ.', 'Officer not found.', { id });

export const usernameTaken = (username: string) =>
  new DomainError(
    'ALREADY_EXISTS',
    `Tên đăng nhập "${username}" đã được sử dụng.`,
    `Username "${username}" is already taken.`,
    { username },
  );
