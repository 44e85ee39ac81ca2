import fs from 'node:fs';
import { defineConfig } from 'vitest/config';

const dbTests = ['src/**/*.db.test.ts', 'src/**/*.api.test.ts', 'test/**/*.db.test.ts', 'test/**/*.api.test.ts'];
const e2eRequired = process.env.E2E === '1';
const e2e = e2eRequired || (process.env.E2E !== '0' && fs.existsSync('/usr/bin/chromium'));

/**
 * Test layers as projects: pure unit tests; DB and API tests on PGlite, and again on PostgreSQL
 * when DATABASE_URL is set; browser tests against the built app (required with E2E=1).
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/unit/**/*.test.ts'],
          exclude: [...dbTests, 'node_modules/**'],
        },
      },
      {
        test: {
          name: 'pglite',
          include: dbTests,
          env: { TEST_DB: 'pglite' },
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      ...(process.env.DATABASE_URL
        ? [{
            test: {
              name: 'postgres',
              include: dbTests,
              env: { TEST_DB: 'postgres' },
              testTimeout: 60_000,
              hookTimeout: 120_000,
            },
          }]
        : []),
      ...(e2e
        ? [{
            test: {
              name: 'e2e',
              include: ['test/e2e/**/*.e2e.test.ts'],
              globalSetup: ['test/e2e/global-setup.ts'],
              // a page's first load (its chunks, the session, the list) can take seconds on a busy
              // 2-core machine: polls wait up to 15 s before they fail (the default is 1 s)
              expect: { poll: { timeout: 15_000 } },
              testTimeout: 180_000,
              hookTimeout: 300_000,
              fileParallelism: false,
            },
          }]
        : []),
    ],
  },
});
