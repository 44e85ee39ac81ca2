/**
 * Roster import through the real background job: rows/s and peak memory for an n-row .xlsx.
 * `npm run bench:import` — BENCH_ROWS (default 1,000,000 on PostgreSQL via DATABASE_URL, in a fresh
 * database `gonghui_bench_import`; a tenth on PGlite when DATABASE_URL is unset).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { buildServices } from '../src/server/app.js';
import { bootstrap } from '../src/server/bootstrap.js';
import { connectPglite, connectPostgres, type Db } from '../src/server/db/connect.js';
import { migrate } from '../src/server/db/migrate.js';
import { systemActor } from '../src/server/platform/audit.js';
import { makeUnionCreditCode } from '../src/server/platform/credit-code.js';
import { createPiiCipher } from '../src/server/platform/crypto.js';
import { systemScope } from '../src/server/platform/scope.js';
import { startImportWorker } from '../src/server/modules/members/import-worker.js';
import { writeSection } from './report.js';
import { writeRoster } from './roster.js';

const KEY = '5a'.repeat(32);

export async function benchImport(db: Db, rows: number, databaseUrl?: string) {
  await migrate(db.db);
  const boot = await bootstrap(db.db, { root: { name: '中华全国总工会', level: 'national', regionCode: null }, adminPassword: 'Bench@Pass2026' });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gonghui-import-'));
  const services = buildServices(db, { sessionIdleMinutes: 30, sessionMaxHours: 12, dataDir }, boot.rootPath, createPiiCipher(KEY));
  await services.dictionaries.seed();
  const s = systemScope();
  const mk = (parentId: number, name: string, level: string, kind: string, region: string, credit?: string) =>
    services.orgs.create(s, systemActor, { parentId, name, level: level as never, kind: kind as never, regionCode: region, ...(credit ? { creditCode: credit } : {}) });
  const p = await mk(boot.rootId, '辽宁省总工会', 'province', 'federation', '210000');
  const c = await mk(p.id, '沈阳市总工会', 'city', 'federation', '210100');
  const k = await mk(c.id, '和平区总工会', 'county', 'federation', '210102');
  const g = await mk(k.id, '和平区华润物流有限公司工会委员会', 'grassroots', 'grassroots', '210102', makeUnionCreditCode('1', '210102', 1));

  const file = path.join(os.tmpdir(), `gonghui-roster-${rows}.xlsx`);
  if (!fs.existsSync(file)) {
    const t = Date.now();
    await writeRoster(file, rows);
    console.log(`  wrote ${file} (${(fs.statSync(file).size / 1e6).toFixed(1)} MB) in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  }
  global.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  let peakHeap = 0;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    peak = Math.max(peak, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
    if (process.env.BENCH_TRACE) console.log(`  rss ${(m.rss / 1e6).toFixed(0)} MB heap ${(m.heapUsed / 1e6).toFixed(0)} MB external ${(m.external / 1e6).toFixed(0)} MB buffers ${(m.arrayBuffers / 1e6).toFixed(0)} MB`);
  }, process.env.BENCH_TRACE ? 2000 : 50);
  const t0 = process.hrtime.bigint();
  const { jobId } = await services.imports.enqueue({ actor: systemActor, scope: s }, g.id, 'roster.xlsx', fs.createReadStream(file));
  if (databaseUrl) {
    // as in production on PostgreSQL: the import thread with its heap limit
    const worker = startImportWorker({ databaseUrl, piiKey: KEY, dataDir, rootPath: boot.rootPath, pollMs: 200 }, { info: () => {}, error: (o, m) => console.error(m, o) });
    for (;;) {
      await new Promise((r) => setTimeout(r, 200));
      const j = await services.imports.get({ actor: systemActor, scope: s }, jobId);
      if (j.status === 'done' || j.status === 'failed') break;
    }
    await worker.stop();
  } else {
    await services.imports.runOnce();
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  clearInterval(timer);
  const job = await services.imports.get({ actor: systemActor, scope: s }, jobId);
  fs.rmSync(dataDir, { recursive: true, force: true });
  return { rows, seconds, rowsPerSecond: rows / seconds, peakRssMb: peak / 1e6, peakHeapMb: peakHeap / 1e6, baseRssMb: base / 1e6, job };
}

async function main() {
  const url = process.env.DATABASE_URL;
  let db: Db;
  let rows: number;
  if (url) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query('drop database if exists gonghui_bench_import with (force)');
    await admin.query('create database gonghui_bench_import');
    await admin.end();
    const u = new URL(url);
    u.pathname = '/gonghui_bench_import';
    db = connectPostgres(u.toString());
    rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
  } else {
    db = await connectPglite(fs.mkdtempSync(path.join(os.tmpdir(), 'gonghui-bench-pglite-')));
    rows = Number(process.env.BENCH_ROWS ?? 100_000);
  }
  const r = await benchImport(db, rows, url ? (() => { const u = new URL(url); u.pathname = '/gonghui_bench_import'; return u.toString(); })() : undefined);
  console.log(JSON.stringify({ engine: db.engine, ...r }, null, 2));
  await db.close();
  if (r.job.status !== 'done' || r.job.inserted !== rows) throw new Error(`import did not complete: ${JSON.stringify(r.job)}`);
  const engine = db.engine === 'postgres' ? 'PostgreSQL (import thread, heap capped at 192 MB)' : 'PGlite (in the server thread)';
  writeSection(`import-${db.engine}`, [
    `### Roster import on ${engine}: ${rows.toLocaleString('en')} rows`, '',
    '| file | time (count pass + import) | rows/s | peak RSS of the whole process |',
    '|---|---|---|---|',
    `| ${rows.toLocaleString('en')}-row .xlsx with shared strings (as Excel writes it), every row new | ${r.seconds.toFixed(1)} s | ${Math.round(r.rowsPerSecond).toLocaleString('en')} | ${Math.round(r.peakRssMb)} MB (${Math.round(r.baseRssMb)} MB before the job) |`,
    '',
    ...(db.engine === 'postgres' ? [
      'Findings acted on (2026-11-22): the first 10⁶-row run reached 1.8 GB RSS — not retained data but garbage V8 did not collect (≈3 KB per row; with `--max-old-space-size=256` the same job peaked at 288 MB at the same speed). The runner now lives in a worker thread with a 192 MB heap cap (off the HTTP event loop too). With the cap the job then ran out of heap at 10⁶ rows because of what it really keeps: exceljs\'s cached shared-strings table (≈3M JS strings) and a `Map` for the in-file duplicate check; both are now compact (UTF-8 bytes + offsets; a typed-array hash set). Lookups of existing people by blind index were not using the identity index (its first column was the id type); the index now leads with the blind index.',
      '',
      'Not yet measured (issue 5): the ceiling of a plain `COPY` of the same validated rows, for the ratio. During the job PostgreSQL and Node share the two cores about evenly.',
      '',
    ] : []),
  ].join('\n'));
}

if (process.argv[1]?.endsWith('import.bench.js')) main().catch((err: unknown) => { console.error(err); process.exit(1); });
