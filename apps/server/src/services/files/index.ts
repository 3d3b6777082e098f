export { type ComponentFiles, MAX_FILES_PER_COMPONENT, MAX_FILES_PER_DOSSIER } from './attach.js';
export { fileNotFound, fileTooLarge } from './errors.js';
export { cleanFileName, encodeRfc5987 } from './names.js';
export { FileService } from './service.js';
export type { StoreItem } from './store.js';
export type { StoredFile } from './stored-file.js';
export { ALLOWED_TYPES, type AllowedMime } from './upload-check.js';
