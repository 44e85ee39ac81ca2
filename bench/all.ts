/**
 * `npm run bench` — every benchmark, one after another, each in its own process (so one's memory
 * and JIT state do not colour the next), each writing its own section of BENCHMARKS.md:
 *  1. hotline queues and overdue sweep (10⁶ orders on PostgreSQL, 10⁵ on PGlite);
 *  2. roster import (10⁶ rows on PostgreSQL, 10⁵ on PGlite) against a plain COPY;
 *  3. members at province scale: statistics, list and search under load, framework overhead — on
 *     PostgreSQL against BENCH_DATABASE_URL (a database made by `npm run gen`), or, when only
 *     DATABASE_URL is set, against `gonghui_bench_province` generated there once at the reference
 *     size (7,863,165 members, 52,306 unions; ≈30 min) and reused by later runs; and on PGlite at
 *     BENCH_PGLITE_MEMBERS (200,000).
 * Without DATABASE_URL only the PGlite halves run. BENCH_ONLY=hotline,import,members picks some.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

const REFERENCE = { members: 7_863_165, orgs: 52_306 };

function run(script: string, env: Record<string, string | undefined>, args: string[] = []): Promise<void> {
  const file = path.join(import.meta.dirname, script);
  console.log(`\n── ${script} ${args.join(' ')}`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', file, ...args], { stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${script} exited with ${code}`))));
  });
}

/** The province database for the members benchmark on PostgreSQL: given, or generated once beside DATABASE_URL. */
async function provinceDatabase(url: string): Promise<{ url: string; dataDir: string }> {
  const u = new URL(url);
  u.pathname = '/gonghui_bench_province';
  const dataDir = process.env.BENCH_DATA_DIR ?? path.join(os.homedir(), '.gonghui-bench-province');
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  let ready = false;
  try {
    const exists = await admin.query('select 1 from pg_database where datname = $1', ['gonghui_bench_province']);
    if (exists.rowCount) {
      const c = new pg.Client({ connectionString: u.toString() });
      await c.connect();
      try {
        // complete only if the generator finished: its final figures match the reference size
        const r = await c.query<{ n: string }>("select coalesce(sum(active + retained), 0)::bigint as n from member_count").catch(() => ({ rows: [{ n: '0' }] }));
        ready = Number(r.rows[0]?.n) > REFERENCE.members * 0.9;
      } finally {
        await c.end();
      }
    }
    if (!ready) {
      await admin.query('drop database if exists gonghui_bench_province with (force)');
      await admin.query('create database gonghui_bench_province');
    }
  } finally {
    await admin.end();
  }
  if (!ready) {
    await import('node:fs').then((fs) => fs.rmSync(dataDir, { recursive: true, force: true }));
    await run('../scripts/gen.js', { DATABASE_URL: u.toString(), DATA_DIR: dataDir, GONGHUI_ADMIN_PASSWORD: 'Bench@Pass2026' },
      ['--members', String(REFERENCE.members), '--orgs', String(REFERENCE.orgs)]);
  }
  return { url: u.toString(), dataDir };
}

async function main() {
  const only = new Set((process.env.BENCH_ONLY ?? 'hotline,import,members').split(',').map((s) => s.trim()));
  const url = process.env.DATABASE_URL;
  if (only.has('hotline')) await run('hotline.bench.js', {});
  if (only.has('import')) {
    if (url) await run('import.bench.js', { DATABASE_URL: url });
    await run('import.bench.js', { DATABASE_URL: undefined });
  }
  if (only.has('members')) {
    let province: { url: string; dataDir: string } | null = null;
    if (process.env.BENCH_DATABASE_URL) province = { url: process.env.BENCH_DATABASE_URL, dataDir: process.env.BENCH_DATA_DIR ?? path.join(os.tmpdir(), 'ghprov') };
    else if (url) province = await provinceDatabase(url);
    await run('members.bench.js', { BENCH_DATABASE_URL: province?.url, BENCH_DATA_DIR: province?.dataDir });
  }
  console.log('\nBENCHMARKS.md written.');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
