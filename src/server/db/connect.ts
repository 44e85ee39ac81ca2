import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createHash } from 'node:crypto';
import { Kysely, PostgresDialect, type Compilable, type QueryResult } from 'kysely';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { PGliteDialect } from './pglite-dialect.js';
import type { Database } from './types.js';

export type Engine = 'pglite' | 'postgres';

export interface Db {
  db: Kysely<Database>;
  engine: Engine;
  close(): Promise<void>;
  /**
   * Bulk load with COPY … FROM STDIN (CSV): for tools (the data generator, benchmarks), not for
   * request handling. `lines` are CSV lines with their newline. Returns the number of lines sent.
   */
  copyFrom(table: string, columns: readonly string[], lines: AsyncIterable<string> | Iterable<string>): Promise<number>;
}

const IDENT = /^[a-z_][a-z0-9_]*$/;
function copySql(table: string, columns: readonly string[], source: string): string {
  if (!IDENT.test(table) || !columns.every((c) => IDENT.test(c))) throw new Error('bad identifier in COPY');
  return `COPY ${table} (${columns.join(', ')}) FROM ${source} WITH (FORMAT csv)`;
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

/**
 * SQL texts that run as named prepared statements on PostgreSQL (parsed and planned once per
 * connection, then only bound and executed): the few queries every request runs. Bounded, so a
 * query built with a variable shape can never grow it without limit: past `MAX_PREPARED` shapes
 * the least recently used is forgotten (it runs unnamed until it is hot again, then under the same
 * name, which a connection that prepared it before still holds). Named statements live as long as
 * their pooled connection; the pool closes idle connections, so a connection holds the shapes it
 * ran recently.
 */
const PREPARED = new Map<string, string>();
export const MAX_PREPARED = 64;

/** The statement name of a registered SQL text, if it is one (the most recent registrations only). */
export function preparedName(text: string): string | undefined {
  return PREPARED.get(text);
}

/**
 * Runs `query` as a named prepared statement on PostgreSQL (on PGlite, as usual). Only for hot
 * queries whose SQL text is fixed and whose best plan does not depend on the parameters' values
 * (PostgreSQL switches to a generic plan after five runs): a session lookup by key, yes; a
 * `LIKE $1` prefix search, no.
 */
export function prepared<R>(db: Kysely<Database>, query: Compilable<R>): Promise<QueryResult<R>> {
  const compiled = query.compile();
  const name = PREPARED.get(compiled.sql) ?? `gh_${createHash('sha256').update(compiled.sql).digest('hex').slice(0, 24)}`;
  // most recently used last: delete and set again; the first key is then the least recently used
  PREPARED.delete(compiled.sql);
  PREPARED.set(compiled.sql, name);
  if (PREPARED.size > MAX_PREPARED) {
    const oldest = PREPARED.keys().next().value;
    if (oldest !== undefined) PREPARED.delete(oldest);
  }
  return db.executeQuery(compiled);
}

/** Opens PostgreSQL at `url`. */
export function connectPostgres(url: string, max = 10): Db {
  const pool = new pg.Pool({ connectionString: url, max, types: pgTypes });
  // Kysely sends every query as query(text, values); the registered hot ones go out named instead.
  pool.on('connect', (client) => {
    const plain = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const [text, values] = args;
      const name = typeof text === 'string' && args.length === 2 ? preparedName(text) : undefined;
      return name ? plain({ name, text, values }) : plain(...args);
    };
  });
  // An idle connection the server drops (a restart, a failover, an administrator's terminate) is
  // reported here and replaced on next use; without a listener the pool's 'error' event ends the process.
  pool.on('error', (err: Error & { code?: string }) => { console.error(`数据库空闲连接已断开 (${err.code ?? 'unknown'}): ${err.message}`); });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db, engine: 'postgres', close: () => db.destroy(),
    async copyFrom(table, columns, lines) {
      const client = await pool.connect();
      try {
        const stream = client.query(copyStreams.from(copySql(table, columns, 'STDIN')));
        let n = 0;
        const done = new Promise<void>((resolve, reject) => { stream.on('finish', resolve); stream.on('error', reject); });
        for await (const line of lines) {
          n += 1;
          if (!stream.write(line)) await new Promise<void>((r) => stream.once('drain', r));
        }
        stream.end();
        await done;
        return n;
      } finally {
        client.release();
      }
    },
  };
}

/** Files 0600 and directories 0700 below `dir` (the embedded database holds PII). */
function restrictTree(dir: string): void {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) { fs.chmodSync(p, 0o700); restrictTree(p); } else if (e.isFile()) fs.chmodSync(p, 0o600);
  }
  fs.chmodSync(dir, 0o700);
}

/** Opens PGlite in `dataDir` (created if missing), or in memory when dataDir is undefined. */
export async function connectPglite(dataDir?: string, loadDataDir?: Blob): Promise<Db> {
  if (dataDir) fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  const pglite = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    ...(loadDataDir ? { loadDataDir } : {}),
    parsers: { [DATE]: (v: string) => v },
  });
  // PGlite's file system writes its files world-readable (0666) whatever the umask; its
  // directories are 0700, so nobody else can reach them, and the files present are narrowed too.
  if (dataDir) restrictTree(dataDir);
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return {
    db, engine: 'pglite', close: async () => { await db.destroy(); if (dataDir) restrictTree(dataDir); },
    async copyFrom(table, columns, lines) {
      // PGlite reads COPY input from a Blob; send it in slices so memory stays bounded.
      let n = 0;
      let chunk: string[] = [];
      const flush = async () => {
        if (chunk.length === 0) return;
        await pglite.query(copySql(table, columns, "'/dev/blob'"), [], { blob: new Blob(chunk) });
        chunk = [];
      };
      for await (const line of lines) {
        n += 1;
        chunk.push(line);
        if (chunk.length >= 50_000) await flush();
      }
      await flush();
      return n;
    },
  };
}

/** Chooses the engine from configuration: PostgreSQL when a URL is given, else embedded PGlite. */
export async function connect(opts: { databaseUrl?: string | undefined; databasePoolSize?: number; dataDir: string }): Promise<Db> {
  if (opts.databaseUrl) return connectPostgres(opts.databaseUrl, opts.databasePoolSize);
  return connectPglite(path.join(opts.dataDir, 'pglite'));
}
