import { isRetryableConflict } from '@tinhso/db';
import { DomainError, isDomainError } from '@tinhso/domain';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';

/** Stable error codes → HTTP status. The one place where domain errors meet HTTP. */
const STATUS_BY_CODE: Record<string, number> = {
  VALIDATION_FAILED: 400,
  AGENCY_CODE_INVALID: 400,
  DOSSIER_CODE_INVALID: 400,
  DATE_INVALID: 400,
  REASON_REQUIRED: 400,
  TRACKING_NUMBER_REQUIRED: 400,
  APOLOGY_DATE_INVALID: 400,
  IMPORT_INVALID: 400,
  OIDC_STATE_INVALID: 400,
  UNAUTHENTICATED: 401,
  LOGIN_FAILED: 401,
  OIDC_LOGIN_FAILED: 401,
  OIDC_CLAIMS_INVALID: 401,
  CSRF_FAILED: 403,
  FORBIDDEN: 403,
  ACCOUNT_LOCKED: 423,
  NOT_FOUND: 404,
  DOSSIER_NOT_FOUND: 404,
  DOCUMENT_NOT_FOUND: 404,
  FORM_NOT_APPLICABLE: 409,
  SIGNING_NOT_CONFIGURED: 503,
  PROCEDURE_NOT_FOUND: 404,
  COMPONENT_NOT_FOUND: 404,
  TEMPLATE_NOT_FOUND: 404,
  UNIT_NOT_FOUND: 404,
  CHANNEL_NOT_OFFERED: 422,
  UNIT_NOT_COMPETENT: 422,
  UNIT_INACTIVE: 422,
  PROCEDURE_NOT_EFFECTIVE: 422,
  TRANSITION_NOT_ALLOWED: 409,
  VERSION_CONFLICT: 409,
  SUPPLEMENT_ALREADY_REQUESTED: 409,
  APOLOGY_TOO_EARLY: 409,
  APOLOGY_REQUIRED: 409,
  IDEMPOTENCY_CONFLICT: 409,
  ALREADY_RATED: 409,
  RATING_NOT_OPEN: 409,
  ALREADY_EXISTS: 409,
  LAST_ADMIN: 409,
  OFFICER_NOT_FOUND: 404,
  PASSWORD_TOO_WEAK: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  FILE_MISSING: 400,
  FILE_EMPTY: 400,
  FILE_NOT_FOUND: 404,
  DRAFT_NOT_FOUND: 404,
  DRAFT_QUOTA_EXCEEDED: 409,
  FILE_IN_USE: 409,
  FILE_QUOTA_EXCEEDED: 409,
  FILE_TOO_LARGE: 413,
  FILE_TYPE_NOT_ALLOWED: 415,
  OIDC_UNAVAILABLE: 503,
  NOTHING_TO_PAY: 409,
  PAYMENT_NOT_CONFIGURED: 503,
  DATABASE_UNAVAILABLE: 503,
  DATABASE_BUSY: 503,
};

export function httpStatusOf(code: string): number {
  return STATUS_BY_CODE[code] ?? 400;
}

export interface ErrorBody {
  error: { code: string; message: string; messageEn: string; details?: unknown };
}

export function errorBody(e: DomainError): ErrorBody {
  return { error: { code: e.code, message: e.messageVi, messageEn: e.messageEn, details: e.details } };
}

/** Builds the error for a request validation failure with the path of every bad field. */
function validationError(issues: unknown): DomainError {
  return new DomainError('VALIDATION_FAILED', 'Dữ liệu gửi lên không hợp lệ.', 'The request is invalid.', {
    issues,
  });
}

const FASTIFY_CODES: Record<string, DomainError> = {
  FST_ERR_CTP_BODY_TOO_LARGE: new DomainError(
    'PAYLOAD_TOO_LARGE',
    'Dữ liệu gửi lên quá lớn.',
    'Request body too large.',
  ),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: new DomainError(
    'UNSUPPORTED_MEDIA_TYPE',
    'Kiểu dữ liệu không được hỗ trợ.',
    'Unsupported media type.',
  ),
  FST_ERR_CTP_EMPTY_JSON_BODY: new DomainError(
    'VALIDATION_FAILED',
    'Thiếu dữ liệu JSON.',
    'Empty JSON body.',
  ),
  FST_ERR_BAD_URL: new DomainError(
    'VALIDATION_FAILED',
    'Địa chỉ (URL) không hợp lệ (mã hoá phần trăm sai).',
    'Malformed URL (invalid percent-encoding).',
  ),
  FST_ERR_CTP_INVALID_JSON_BODY: new DomainError(
    'VALIDATION_FAILED',
    'JSON không hợp lệ.',
    'Malformed JSON.',
  ),
};

/**
 * PostgreSQL (or PGlite) refusing text the user sent: a NUL or invalid UTF-8, a value too long or malformed for its
 * column, a structure too deep to process. A safety net behind request validation: the user's mistake, not a bug.
 */
const PG_BAD_TEXT = new Set(['22P05', '22021', '54001', '22001', '22P02']);

function pgBadText(error: FastifyError): DomainError | undefined {
  const e = error as FastifyError & { severity?: unknown };
  if (typeof e.severity !== 'string' || !e.code || !PG_BAD_TEXT.has(e.code)) return undefined;
  return new DomainError(
    'VALIDATION_FAILED',
    'Dữ liệu gửi lên chứa ký tự hoặc giá trị không thể lưu (ví dụ ký tự NUL, văn bản quá dài hoặc lồng nhau quá sâu).',
    'The request contains text or a value that cannot be stored (e.g. a NUL character, text too long or nested too deeply).',
    { sqlState: e.code },
  );
}

/** SQLSTATEs of a lost or refused connection: class 08, admin/crash shutdown, starting up, too many connections. */
const PG_UNAVAILABLE = /^(08...|57P0[1-3]|53300)$/;
/** Socket errors of the driver (Node's own codes). */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/** What node-postgres says, without a code, about a connection it lost or could not open in time. */
const PG_LOST =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable)/;

/**
 * The database cannot be reached or dropped the connection (a restart, a failover, a killed backend): the request's
 * transaction rolled back — unless the connection dropped during COMMIT, which a retry settles (a submission's
 * idempotency key returns the dossier, an action's expected version answers VERSION_CONFLICT). Any FATAL or PANIC
 * from the server ends the session too. AggregateError: one connect error per address tried.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { code?: unknown; severity?: unknown; message?: unknown; errors?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  if (typeof e.severity === 'string') return PG_UNAVAILABLE.test(code) || /^(FATAL|PANIC)$/.test(e.severity);
  if (SOCKET_CODES.has(code)) return true;
  if (typeof e.message === 'string' && PG_LOST.test(e.message)) return true;
  return Array.isArray(e.errors) && e.errors.length > 0 && e.errors.every(isDatabaseUnavailable);
}

const DATABASE_UNAVAILABLE = new DomainError(
  'DATABASE_UNAVAILABLE',
  'Cơ sở dữ liệu tạm thời không truy cập được, vui lòng thử lại sau ít giây.',
  'The database is temporarily unavailable; please retry in a few seconds.',
);
const DATABASE_BUSY = new DomainError(
  'DATABASE_BUSY',
  'Hệ thống đang bận xử lý một thao tác trùng thời điểm nên chưa thực hiện được yêu cầu; vui lòng thử lại.',
  'The database aborted the request to resolve a conflict with another one; it was not carried out, please retry.',
);
/** Seconds a client should wait before retrying (a PostgreSQL restart takes a few seconds). */
const DATABASE_RETRY_AFTER_S = 5;

/** Fastify error handler: domain errors and client mistakes become 4xx with a stable code; only bugs are 500. */
export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (isDomainError(error)) return reply.status(httpStatusOf(error.code)).send(errorBody(error));
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issues = error.validation.map((v) => ({ path: v.instancePath, message: v.message }));
    return reply.status(400).send(errorBody(validationError(issues)));
  }
  const known = error.code ? FASTIFY_CODES[error.code] : undefined;
  if (known) return reply.status(httpStatusOf(known.code)).send(errorBody(known));
  const badText = pgBadText(error);
  if (badText) {
    request.log.warn({ err: error }, 'database refused user text');
    return reply.status(400).send(errorBody(badText));
  }
  if (isDatabaseUnavailable(error)) {
    request.log.warn({ err: error }, 'database unavailable');
    return reply
      .status(503)
      .header('retry-after', String(DATABASE_RETRY_AFTER_S))
      .send(errorBody(DATABASE_UNAVAILABLE));
  }
  if (isRetryableConflict(error)) {
    // Retried on the server where it is safe (dossier writes); elsewhere the client may simply try again.
    request.log.warn({ err: error }, 'transaction aborted by a conflict');
    return reply.status(503).header('retry-after', '1').send(errorBody(DATABASE_BUSY));
  }
  if (error.statusCode === 429) {
    return reply
      .status(429)
      .send(
        errorBody(
          new DomainError('RATE_LIMITED', 'Quá nhiều yêu cầu, vui lòng thử lại sau.', 'Too many requests.'),
        ),
      );
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return reply
      .status(error.statusCode)
      .send(errorBody(new DomainError('BAD_REQUEST', 'Yêu cầu không hợp lệ.', error.message)));
  }
  request.log.error({ err: error }, 'unhandled error');
  return reply.status(500).send({
    error: { code: 'INTERNAL', message: 'Lỗi hệ thống, vui lòng thử lại.', messageEn: 'Internal error.' },
  });
}

export const notFound = (what: string, vi: string, key: string) =>
  new DomainError(
    `${what}_NOT_FOUND`,
    `Không tìm thấy ${vi} "${key}".`,
    `${what.toLowerCase()} "${key}" not found.`,
    {
      key,
    },
  );
