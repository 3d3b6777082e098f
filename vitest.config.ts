import { defineConfig } from 'vitest/config';

// Test tiers: `domain` = pure unit tests; `api` = HTTP tests through fastify.inject() on a real database
// (PGlite always; PostgreSQL too when TEST_DATABASE_URL is set, see apps/server/test/helpers.ts).
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'domain', include: ['packages/domain/test/**/*.test.ts'] } },
      {
        test: {
          name: 'documents',
          include: ['packages/pdf/test/**/*.test.ts', 'packages/signing/test/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'db',
          include: ['packages/db/test/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'api',
          include: ['apps/server/test/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        // Journeys in Debian's Chromium through playwright-core, against a listening app (apps/web/test/browser.ts).
        test: {
          name: 'browser',
          include: ['apps/web/test/**/*.test.ts'],
          // A page may take seconds on a loaded 2-core machine: polls wait up to 15 s (the default is 1 s).
          expect: { poll: { timeout: 15_000, interval: 100 } },
          testTimeout: 300_000, // a whole journey: ~35 s on a quiet machine
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
