/**
 * PostgreSQL aborts a transaction to break a deadlock (40P01) or, at higher isolation levels, a serialization
 * conflict (40001). Nothing of it was written; running it again is the documented remedy. Aggregates kept at COMMIT
 * (indicator sums, queue counts) make such cycles possible when one transaction changes many dossiers (a unit
 * merger) while others commit single ones.
 */
export function isRetryableConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
}

/**
 * Runs `transaction` (which must open, and on failure roll back, its own transaction) again when PostgreSQL aborted
 * it for a deadlock or a serialization conflict, up to `attempts` times in all, after a short random pause (so that
 * the two parties of a deadlock do not meet again). Any other error, or the last conflict, is thrown.
 */
export async function retryOnConflict<T>(transaction: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transaction();
    } catch (e) {
      if (attempt >= attempts || !isRetryableConflict(e)) throw e;
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
    }
  }
}
