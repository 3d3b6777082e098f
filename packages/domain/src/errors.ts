/**
 * Domain errors carry a stable code. The HTTP edge maps codes to status codes in one table
 * (apps/server/src/http/errors.ts) and the UI translates them; the domain never knows about HTTP.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    /** Vietnamese message, shown to people. */
    readonly messageVi: string,
    /** English message. */
    readonly messageEn: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(`${code}: ${messageEn}`);
    this.name = 'DomainError';
  }
}

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;
