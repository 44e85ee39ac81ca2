import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { connectPglite, connectPostgres, type Db, type Engine } from '../../src/server/db/connect.js';
import { migrate, MIGRATIONS } from '../../src/server/db/migrate.js';
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

const templates = new Map<string, Promise<string>>();

/**
 * A migrated template database on the PostgreSQL server of `url`, made once and reused by every
 * test file (and later runs): its name carries a hash of the migrations' code, so a new or changed
 * migration makes a new one. Workers make it under an advisory lock, one at a time.
 */
function template(url: string): Promise<string> {
  const hash = createHash('sha256').update(Object.values(MIGRATIONS).map((m) => m.up.toString()).join('\n')).digest('hex').slice(0, 16);
  const name = `gh_tpl_${hash}`;
  let made = templates.get(name);
  if (!made) {
    made = (async () => {
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        await admin.query('select pg_advisory_lock(23512352)');
        const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
        if (exists.rowCount === 0) {
          const building = `${name}_building_${randomBytes(3).toString('hex')}`;
          await admin.query(`create database ${building}`);
          const u = new URL(url);
          u.pathname = `/${building}`;
          const db = connectPostgres(u.toString(), 1);
          await migrate(db.db);
          await db.close();
          await admin.query(`alter database ${building} rename to ${name}`);
        }
      } finally {
        await admin.query('select pg_advisory_unlock(23512352)').catch(() => {});
        await admin.end();
      }
      return name;
    })();
    templates.set(name, made);
  }
  return made;
}

/**
 * A fresh, migrated database for one test file: a new in-memory PGlite restored from a migrated
 * image, or on the PostgreSQL server of DATABASE_URL a copy of the migrated template (dropped on close).
 */
export async function createTestDb(engine: Engine = testEngine()): Promise<Db> {
  if (engine === 'pglite') return connectPglite(undefined, await snapshot());
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  const tpl = await template(url);
  const name = `gh_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name} template ${tpl}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  const db = connectPostgres(u.toString(), 5);
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
