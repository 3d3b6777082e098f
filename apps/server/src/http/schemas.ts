import { z } from 'zod';

/** The error body every 4xx/5xx carries. */
export const ErrorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    messageEn: z.string(),
    details: z.unknown().optional(),
  }),
});

/**
 * Standard error responses for route schemas (documented in OpenAPI). Every route may also answer 503
 * DATABASE_UNAVAILABLE, with Retry-After, while the database cannot be reached (http/errors.ts).
 */
export const errors = (...codes: (400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 423 | 429)[]) =>
  Object.fromEntries([...codes, 503].map((c) => [c, ErrorResponse]));

export const Paging = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(20),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});
