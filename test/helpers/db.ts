import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { connectPglite, connectPostgres, type Db, type Engine } from '../../src/server/db/connect.js';
import { migrate } from '../../src/server/db/migrate.js';
import { configureAuditKey } from '../../src/server/platform/audit.js';
import { auditKeyFrom } from '../../src/server/platform/crypto.js';

/** The master key of every test database (PII sealing, blind indexes, the audit chain). */
export const TEST_PII_KEY = '0123456789abcdef'.repeat(4);
/** The audit chain key the tests' processes sign with, as a server would from its master key. */
export const TEST_AUDIT_KEY = auditKeyFrom(TEST_PII_KEY);
configureAuditKey(TEST_AUDIT_KEY);

/** The engine this test project runs on (vitest.config sets TEST_DB per project). */
export function testEngine(): Engine {
  return process.env.TEST_DB === 'postgres' ? 'postgres' : 'pglite';
}

let pgliteSnapshot: Promise<Blob> | undefined;

/** A migrated PGlite image, made once per worker and restored for each test database. */
async function snapshot(): Promise<Blob> {
  pgliteSnapshot ??= (async () => {
    const { PGlite } = await import('@electric-sql/pglite');
    const { Kysely } = await import('kysely');
    const { PGliteDialect } = await import('../../src/server/db/pglite-dialect.js');
    const lite = await PGlite.create();
    const db = new Kysely<never>({ dialect: new PGliteDialect(lite) });
    await migrate(db as never);
    const blob = await lite.dumpDataDir('none');
    await db.destroy();
    return blob;
  })();
  return pgliteSnapshot;
}

/**
 * A fresh, migrated database for one test file: a new in-memory PGlite, or a new database on the
 * PostgreSQL server of DATABASE_URL (dropped on close).
 */
export async function createTestDb(engine: Engine = testEngine()): Promise<Db> {
  if (engine === 'pglite') return connectPglite(undefined, await snapshot());
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  const name = `gh_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  const db = connectPostgres(u.toString(), 5);
  await migrate(db.db);
  return {
    ...db,
    async close() {
      await db.close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
