/**
 * Roster import through the real background job: rows/s and peak memory for an n-row .xlsx.
 * `npm run bench:import` — BENCH_ROWS (default 1,000,000 on PostgreSQL via DATABASE_URL, in a fresh
 * database `gonghui_bench_import`; a tenth on PGlite when DATABASE_URL is unset).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import readline from 'node:readline';
import { sql } from 'kysely';
import { freshDatabase } from './pg.js';
import { buildServices } from '../src/server/app.js';
import { bootstrap } from '../src/server/bootstrap.js';
import { connectPglite, connectPostgres, type Db } from '../src/server/db/connect.js';
import { migrate } from '../src/server/db/migrate.js';
import { systemActor } from '../src/server/platform/audit.js';
import { makeUnionCreditCode } from '../src/server/platform/credit-code.js';
import { auditKeyFrom, createPiiCipher } from '../src/server/platform/crypto.js';
import { systemCaller } from '../src/server/platform/caller.js';
import { startImportWorker } from '../src/server/modules/member-imports/import-worker.js';
import { pct, writeSection } from './report.js';
import { configureAuditKey } from '../src/server/platform/audit.js';

const KEY = '5a'.repeat(32);
configureAuditKey(auditKeyFrom(KEY));

export async function benchImport(db: Db, rows: number, databaseUrl?: string) {
  await migrate(db.db);
  const boot = await bootstrap(db.db, { root: { name: '中华全国总工会', level: 'national', regionCode: null }, adminPassword: 'Bench@Pass2026' });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gonghui-import-'));
  const services = buildServices(db, { sessionIdleMinutes: 30, sessionMaxHours: 12, dataDir }, boot, createPiiCipher(KEY));
  await services.dictionaries.seed();
  const s = systemCaller(systemActor);
  const mk = (parentId: number, name: string, level: string, kind: string, region: string, credit?: string) =>
    services.orgs.create(s, { parentId, name, level: level as never, kind: kind as never, regionCode: region, ...(credit ? { creditCode: credit } : {}) });
  const p = await mk(boot.rootId, '辽宁省总工会', 'province', 'federation', '210000');
  const c = await mk(p.id, '沈阳市总工会', 'city', 'federation', '210100');
  const k = await mk(c.id, '和平区总工会', 'county', 'federation', '210102');
  const g = await mk(k.id, '和平区华润物流有限公司工会委员会', 'grassroots', 'grassroots', '210102', makeUnionCreditCode('1', '210102', 1));

  const file = path.join(os.tmpdir(), `gonghui-roster-${rows}.xlsx`);
  if (!fs.existsSync(file)) {
    const t = Date.now();
    // in a child process: writing 10⁶ rows here would leave this process's RSS swollen before the job
    const child = spawnSync(process.execPath, [path.join(import.meta.dirname, 'roster.js'), `${file}.part`, String(rows)], { stdio: 'inherit' });
    if (child.status !== 0) throw new Error(`writing the roster failed (${String(child.status)})`);
    fs.renameSync(`${file}.part`, file);
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
  const { jobId } = await services.imports.enqueue(s, g.id, 'roster.xlsx', fs.createReadStream(file));
  if (databaseUrl) {
    // as in production on PostgreSQL: the import thread with its heap limit
    const worker = startImportWorker({ databaseUrl, piiKey: KEY, dataDir, rootPath: boot.rootPath, rootLevel: boot.rootLevel, pollMs: 200 }, { info: () => {}, error: (o, m) => console.error(m, o) });
    for (;;) {
      await new Promise((r) => setTimeout(r, 200));
      const j = await services.imports.get(s, jobId);
      if (j.status === 'done' || j.status === 'failed') break;
    }
    await worker.stop();
  } else {
    await services.imports.runOnce();
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  clearInterval(timer);
  const job = await services.imports.get(s, jobId);
  const ceiling = await copyCeiling(db, g, rows, dataDir);
  fs.rmSync(dataDir, { recursive: true, force: true });
  return { rows, seconds, rowsPerSecond: rows / seconds, peakRssMb: peak / 1e6, peakHeapMb: peakHeap / 1e6, baseRssMb: base / 1e6, job, copySeconds: ceiling };
}

/**
 * The ceiling: the same rows as the job wrote (people, memberships, 入会 records), already
 * validated and sealed, loaded with plain COPY into the same tables with the same indexes and
 * triggers. The job's rows are exported first, the tables emptied, and only the COPY is timed.
 */
async function copyCeiling(db: Db, union: { id: number }, rows: number, dir: string): Promise<number> {
  const tables = [
    ['person', ['id', 'id_type', 'id_idx', 'id_enc', 'id_masked', 'name', 'gender', 'birth_date', 'ethnicity', 'education', 'employment_status', 'household_type', 'is_migrant_worker', 'groups', 'phone_enc', 'phone_idx', 'phone_masked', 'member_no']],
    ['membership', ['person_id', 'id', 'org_id', 'org_path', 'status', 'joined_on', 'started_on', 'ended_on', 'channel', 'id_last4', 'name']],
    ['membership_change', ['person_id', 'id', 'membership_id', 'org_id', 'change_type', 'reason_code', 'note', 'channel', 'at']],
  ] as const;
  const files: string[] = [];
  for (const [table, cols] of tables) {
    const file = path.join(dir, `${table}.csv`);
    const out = fs.createWriteStream(file);
    let after = 0;
    for (;;) {
      const batch = await sql<Record<string, unknown>>`select ${sql.join(cols.map((c) => sql.ref(c)))} from ${sql.table(table)} where ${sql.ref(table === 'person' ? 'id' : 'person_id')} > ${after} order by ${sql.ref(table === 'person' ? 'id' : 'person_id')} limit 50000`.execute(db.db);
      for (const r of batch.rows) {
        out.write(`${cols.map((c) => csvCell(r[c])).join(',')}\n`);
        after = Number(r[table === 'person' ? 'id' : 'person_id']);
      }
      if (batch.rows.length < 50000) break;
    }
    await new Promise<void>((resolve) => out.end(resolve));
    files.push(file);
  }
  await sql`truncate member_transfer, membership_change, membership, person, member_stat, member_count`.execute(db.db);
  const t = process.hrtime.bigint();
  for (const [i, [table, cols]] of tables.entries()) {
    await db.copyFrom(table, cols, linesOf(files[i] ?? ''));
  }
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  const check = await db.db.selectFrom('member_count').select((eb) => eb.fn.sum<number>('active').as('n')).where('org_id', '=', union.id).executeTakeFirst();
  if (Number(check?.n) !== rows) throw new Error(`COPY ceiling loaded ${String(check?.n)} members, expected ${rows}`);
  return seconds;
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = v instanceof Date ? v.toISOString() : Array.isArray(v) ? `{${v.join(',')}}` : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

async function* linesOf(file: string): AsyncGenerator<string> {
  const rl = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  for await (const l of rl) yield `${l}\n`;
}

const RESULT = 'BENCH_IMPORT_RESULT ';

async function main() {
  const url = process.env.DATABASE_URL;
  const rows = Number(process.env.BENCH_ROWS ?? (url ? 1_000_000 : 100_000));
  const runs = Number(process.env.BENCH_IMPORT_RUNS ?? 3);
  type Result = Awaited<ReturnType<typeof benchImport>>;
  if (process.env.BENCH_IMPORT_CHILD) {
    // one run, on a fresh database, as the first import of a new roster; the parent reads the result line
    let db: Db;
    let workerUrl: string | undefined;
    if (url) {
      workerUrl = await freshDatabase(url, 'gonghui_bench_import');
      db = connectPostgres(workerUrl);
    } else {
      db = await connectPglite(fs.mkdtempSync(path.join(os.tmpdir(), 'gonghui-bench-pglite-')));
    }
    const r = await benchImport(db, rows, workerUrl);
    await db.close();
    console.log(`${RESULT}${JSON.stringify(r)}`);
    return;
  }
  // Each run in its own process: the peak RSS of a run is then that run's alone (in one process the
  // ceiling's export of the previous run left the next one starting 120 MB higher).
  const results: Result[] = [];
  const engineName: Db['engine'] = url ? 'postgres' : 'pglite';
  for (let i = 0; i < runs; i++) {
    const child = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url)], {
      env: { ...process.env, BENCH_IMPORT_CHILD: '1' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024,
    });
    const line = child.stdout.split('\n').find((l) => l.startsWith(RESULT));
    if (child.status !== 0 || !line) throw new Error(`import run ${i + 1} failed (${String(child.status)}):\n${child.stdout}`);
    const r = JSON.parse(line.slice(RESULT.length)) as Result;
    console.log(JSON.stringify({ run: i + 1, engine: engineName, ...r }, null, 2));
    if (r.job.status !== 'done' || r.job.inserted !== rows) throw new Error(`import did not complete: ${JSON.stringify(r.job)}`);
    results.push(r);
  }
  const median = (xs: number[]) => pct(xs, 50);
  const ratios = results.map((x) => x.copySeconds / x.seconds);
  const r = {
    seconds: median(results.map((x) => x.seconds)), copySeconds: median(results.map((x) => x.copySeconds)),
    peakRssMb: Math.max(...results.map((x) => x.peakRssMb)), baseRssMb: median(results.map((x) => x.baseRssMb)),
  };
  const db = { engine: engineName };
  const engine = db.engine === 'postgres' ? 'PostgreSQL (import thread, heap capped at 192 MB)' : 'PGlite (in the server thread)';
  const findings = db.engine === 'postgres' && fs.existsSync('bench/import.findings.md') ? fs.readFileSync('bench/import.findings.md', 'utf8').trim() : '';
  writeSection(`import-${db.engine}`, [
    `### Roster import on ${engine}: ${rows.toLocaleString('en')} rows, median of ${runs} run${runs === 1 ? '' : 's'} (each on a fresh database)`, '',
    '| file | time (count + import) | rows/s | peak RSS of the whole process | ceiling: plain COPY of the same validated rows | ratio (ours / ceiling, rows/s) |',
    '|---|---|---|---|---|---|',
    `| ${rows.toLocaleString('en')}-row .xlsx with shared strings (as Excel writes it), every row new | ${r.seconds.toFixed(1)} s | ${Math.round(rows / r.seconds).toLocaleString('en')} | ${Math.round(r.peakRssMb)} MB (${Math.round(r.baseRssMb)} MB before the job) | ${r.copySeconds.toFixed(1)} s (${Math.round(rows / r.copySeconds).toLocaleString('en')} rows/s) | ${median(ratios).toFixed(2)} (runs: ${ratios.map((x) => x.toFixed(2)).join(', ')}) |`,
    '',
    ...(findings ? [findings, ''] : []),
  ].join('\n'));
}

if (process.argv[1]?.endsWith('import.bench.js')) main().catch((err: unknown) => { console.error(err); process.exit(1); });
