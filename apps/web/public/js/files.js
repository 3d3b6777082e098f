// Files a citizen attaches: the same limits as the server (PDF, JPEG or PNG; 10 MB), checked before sending.
import { fmtSize } from './format.js';
import { t } from './i18n.js';

export const MAX_BYTES = 10 * 1024 * 1024;
export const ACCEPT = '.pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png';
const OK_TYPES = ['application/pdf', 'image/jpeg', 'image/png'];
const OK_EXT = /\.(pdf|jpe?g|png)$/i;

/** Client-side check of a chosen file: size and type, before anything is sent. Returns a message or null. */
export function checkFile(file) {
  if (file.size > MAX_BYTES) return t('errFileTooLarge', { name: file.name, size: fmtSize(file.size) });
  if (file.size === 0) return t('errFileEmpty', { name: file.name });
  if (!OK_TYPES.includes(file.type) && !OK_EXT.test(file.name)) return t('errFileType', { name: file.name });
  return null;
}

/** The message for an upload the server refused. */
export function uploadErrorMessage(err, name) {
  if (err.code === 'FILE_TYPE_NOT_ALLOWED') return t('errFileType', { name });
  if (err.code === 'FILE_TOO_LARGE') return t('errFileTooLargeServer', { name });
  if (err.code === 'FILE_EMPTY') return t('errFileEmpty', { name });
  if (err.code === 'FILE_QUOTA_EXCEEDED') return t('errFileQuota');
  if (err.status === 401) return t('sessionExpired');
  if (err.code === 'NOT_FOUND') return t('uploadUnavailable');
  return `${name}: ${err.message}`;
}
