// The one way the portal talks to the API: JSON, same-origin cookies, the CSRF token on writes, stable error codes.
import { lang, t } from './i18n.js';

let csrf = null;
export const setCsrf = (token) => {
  csrf = token ?? null;
};
export const csrfToken = () => csrf;

/** An API error with its stable code (e.g. VALIDATION_FAILED), HTTP status and the message in the current language. */
export class ApiError extends Error {
  constructor(status, body) {
    const e = body?.error;
    super(e ? (lang() === 'en' ? e.messageEn || e.message : e.message) : `HTTP ${status}`);
    this.status = status;
    this.code = e?.code ?? (status === 0 ? 'NETWORK' : `HTTP_${status}`);
    this.details = e?.details;
  }
}

/** fetch + JSON. `body` objects are sent as JSON; writes carry x-csrf-token. Throws ApiError. */
export async function api(path, { method = 'GET', body, headers = {}, signal } = {}) {
  const h = { accept: 'application/json', ...headers };
  if (body !== undefined) h['content-type'] = 'application/json';
  if (csrf && method !== 'GET') h['x-csrf-token'] = csrf;
  let res;
  try {
    res = await fetch(path, {
      method,
      headers: h,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal,
    });
  } catch (err) {
    if (err?.name === 'AbortError') throw err;
    throw new ApiError(0, {
      error: { code: 'NETWORK', message: t('networkError'), messageEn: t('networkError') },
    });
  }
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

/**
 * Uploads one file (multipart, part `file`) with progress: POST /api/files → {id, name, mime, size, …}.
 * onProgress(fraction 0..1). Returns {promise, abort}.
 */
export function uploadFile(file, onProgress) {
  const xhr = new XMLHttpRequest();
  const promise = new Promise((resolve, reject) => {
    xhr.open('POST', '/api/files');
    xhr.setRequestHeader('accept', 'application/json');
    if (csrf) xhr.setRequestHeader('x-csrf-token', csrf);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress?.(e.loaded / e.total);
    };
    xhr.onload = () => {
      let data = null;
      try {
        data = JSON.parse(xhr.responseText);
      } catch {}
      if (xhr.status >= 200 && xhr.status < 300) resolve(data);
      else reject(new ApiError(xhr.status, data));
    };
    xhr.onerror = () =>
      reject(
        new ApiError(0, {
          error: { code: 'NETWORK', message: t('networkError'), messageEn: t('networkError') },
        }),
      );
    xhr.onabort = () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
  return { promise, abort: () => xhr.abort() };
}
