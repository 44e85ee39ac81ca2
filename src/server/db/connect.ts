import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { PGliteDialect } from './pglite-dialect.js';
import type { Database } from './types.js';

export type Engine = 'pglite' | 'postgres';

export interface Db {
  db: Kysely<Database>;
  engine: Engine;
  close(): Promise<void>;
}

const INT8 = 20;
const DATE = 1082;

/**
 * Both engines return the same JavaScript values: int8 as number (our ids and counts stay far
 * below 2^53), `date` as a 'YYYY-MM-DD' string, timestamptz as Date.
 */
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8) return (v: string) => Number(v);
    if (oid === DATE) return (v: string) => v;
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

/** Opens PostgreSQL at `url`. */
export function connectPostgres(url: string, max = 10): Db {
  const pool = new pg.Pool({ connectionString: url, max, types: pgTypes });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, engine: 'postgres', close: () => db.destroy() };
}

/** Opens PGlite in `dataDir` (created if missing), or in memory when dataDir is undefined. */
export async function connectPglite(dataDir?: string, loadDataDir?: Blob): Promise<Db> {
  if (dataDir) fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  const pglite = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    ...(loadDataDir ? { loadDataDir } : {}),
    parsers: { [DATE]: (v: string) => v },
  });
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return { db, engine: 'pglite', close: () => db.destroy() };
}

/** Chooses the engine from configuration: PostgreSQL when a URL is given, else embedded PGlite. */
export async function connect(opts: { databaseUrl?: string; dataDir: string }): Promise<Db> {
  if (opts.databaseUrl) return connectPostgres(opts.databaseUrl);
  return connectPglite(path.join(opts.dataDir, 'pglite'));
}
