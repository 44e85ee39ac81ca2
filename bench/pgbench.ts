/**
 * The database-alone baseline for requests under load: the SQL statements one HTTP request runs,
 * recorded from the pg driver, replayed by pgbench (a C client, light on the shared CPU) with the
 * same concurrency. Its throughput is the ceiling the HTTP layer can approach on this machine.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { pct } from './report.js';

interface Statement { text: string; values: unknown[] }
let recording: Statement[] | null = null;

// Installed when this module loads, before the benchmark opens its pools: the pool binds each
// client's query method when it connects (db/connect.ts), so a later patch would miss them.
const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
const plain = proto.query;
proto.query = function (this: unknown, ...args: unknown[]) {
  const [a, b] = args;
  if (recording && typeof a === 'string') recording.push({ text: a, values: Array.isArray(b) ? b : [] });
  else if (recording && a && typeof a === 'object' && 'text' in a) {
    const q = a as { text: string; values?: unknown[] };
    recording.push({ text: q.text, values: q.values ?? [] });
  }
  return plain.apply(this, args);
};

/** Records every statement the pg driver sends in this process while `fn` runs. */
export async function recordStatements(fn: () => Promise<unknown>): Promise<Statement[]> {
  recording = [];
  try {
    await fn();
    return recording;
  } finally {
    recording = null;
  }
}

function literal(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Date) return `'${v.toISOString()}'`;
  if (Array.isArray(v)) return `'{${v.map((x) => `"${String(x).replace(/["\\]/g, '\\$&')}"`).join(',')}}'`;
  return `'${String(v).replace(/'/g, "''")}'`;
}

/** The statements with their parameters written in as literals, as one pgbench transaction. */
function script(statements: Statement[]): string {
  return statements.map((s) => `${s.text.replace(/\$(\d+)/g, (_m, n: string) => literal(s.values[Number(n) - 1])).replace(/\s*\n\s*/g, ' ')};`).join('\n');
}

export function hasPgbench(): boolean {
  return spawnSync('pgbench', ['--version'], { encoding: 'utf8' }).status === 0;
}

/**
 * Runs the statements as one transaction type, `clients` at once for `seconds`: tx/s and latency
 * percentiles (ms). Each client prepares the statements once (`-M prepared`), so the database does
 * no planning at all: the ceiling for a server that plans nothing per request.
 */
export function pgbench(url: string, statements: Statement[], clients: number, seconds: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gh-pgbench-'));
  try {
    const file = path.join(dir, 'request.sql');
    fs.writeFileSync(file, script(statements));
    const r = spawnSync('pgbench', ['-n', '-M', 'prepared', '-c', String(clients), '-j', '2', '-T', String(seconds), '-f', file, '-l', '--log-prefix', path.join(dir, 'tx'), url],
      { encoding: 'utf8', cwd: dir });
    if (r.status !== 0) throw new Error(`pgbench failed: ${r.stderr}`);
    const tps = Number(/tps = ([\d.]+)/.exec(r.stdout)?.[1] ?? 0);
    // per-transaction log lines: client tx latency_us script epoch_s epoch_us
    const lat: number[] = [];
    for (const f of fs.readdirSync(dir).filter((x) => x.startsWith('tx'))) {
      for (const line of fs.readFileSync(path.join(dir, f), 'utf8').split('\n')) {
        const us = Number(line.split(' ')[2]);
        if (line && Number.isFinite(us)) lat.push(us / 1000);
      }
    }
    return { tps, p50: pct(lat, 50), p95: pct(lat, 95) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
