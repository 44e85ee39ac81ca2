import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mobile, residentId } from '../helpers/ids.js';
import { zipOf } from '../helpers/zip.js';
import { startServer, type RunningServer } from './server.js';

/**
 * Roster imports in the real server process, on the embedded database and (with DATABASE_URL) on
 * PostgreSQL, whose import thread starts a reader thread of its own: the file is read by the
 * compiled reader thread, so a hostile workbook fails its own job while the server keeps
 * answering, and a good roster still goes in.
 */
const engines = ['pglite', ...(process.env.DATABASE_URL ? ['postgres'] : [])] as const;

describe.each(engines)('on %s', (engine) => {
let server: RunningServer;
let cookie = '';
let csrf = '';
let dropDb: (() => Promise<void>) | undefined;
let started = 0;

beforeAll(async () => {
  let databaseUrl: string | undefined;
  if (engine === 'postgres' && process.env.DATABASE_URL) {
    const name = `gh_e2e_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const u = new URL(process.env.DATABASE_URL);
    u.pathname = `/${name}`;
    databaseUrl = u.toString();
    dropDb = async () => {
      const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  }
  server = await startServer(databaseUrl ? { databaseUrl } : {});
  started = Date.now() - 2000;
  const res = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'Chief#E2e2026' }) });
  expect(res.status).toBe(200);
  cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
});
afterAll(async () => { await server?.stop(); await dropDb?.(); });

const api = async (url: string, init: RequestInit = {}) => fetch(`${server.url}${url}`, { ...init, headers: { cookie, 'x-csrf-token': csrf, ...(init.headers ?? {}) } });

async function upload(orgId: number, name: string, body: Buffer): Promise<number> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(body)]), name);
  const res = await api(`/api/imports/members?orgId=${orgId}`, { method: 'POST', body: form });
  expect(res.status, await res.clone().text()).toBe(202);
  return ((await res.json()) as { jobId: number }).jobId;
}

async function job(id: number, until: (j: { status: string }) => boolean) {
  for (let i = 0; i < 600; i++) {
    const j = (await (await api(`/api/imports/${id}`)).json()) as { status: string; failure: string | null; inserted: number; total: number };
    if (until(j)) return j;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`job ${id} did not finish`);
}


const HEADER = '姓名*,证件类型,证件号码*,手机号码*,民族,学历,就业状况,户籍类型,是否农民工,会员群体,入会日期,所在工会统一社会信用代码';

describe('roster imports in the running server', () => {
  it('fail a hostile workbook in its own job, keep answering meanwhile, and still take a good roster', async () => {
    const orgs = (await (await api(`/api/orgs?q=${encodeURIComponent('和平')}&limit=50`)).json()) as { items: Array<{ id: number; level: string }> };
    const union = orgs.items.find((o) => o.level === 'grassroots');
    if (!union) throw new Error('no grassroots union');
    const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
    // one cell naming a column no spreadsheet has: this 2 KB file used to abort the whole server
    const hostile = await zipOf({ 'xl/worksheets/sheet1.xml': `<worksheet ${NS}><sheetData><row r="1"><c r="ZZZZZZZZZZZZ1" t="inlineStr"><is><t>姓名</t></is></c></row></sheetData></worksheet>` });
    const bad = await upload(union.id, 'hostile.xlsx', hostile);
    const rows = Array.from({ length: 3000 }, (_, i) => `职工${'甲乙丙丁戊'[i % 5]},,${residentId(i, '210102', `1971010${1 + Math.floor(i / 1000)}`)},${mobile(700_000 + i)},,,,,,,,`);
    const good = await upload(union.id, 'roster.csv', Buffer.from(`${HEADER}\n${rows.join('\n')}\n`));
    const slowest = { ms: 0 };
    const watch = (async () => {
      for (let i = 0; i < 40; i++) {
        const t0 = Date.now();
        expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
        slowest.ms = Math.max(slowest.ms, Date.now() - t0);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const failed = await job(bad, (j) => j.status === 'failed' || j.status === 'done');
    expect(failed.status).toBe('failed');
    expect(failed.failure).toContain('最大列 XFD');
    const done = await job(good, (j) => j.status === 'failed' || j.status === 'done');
    expect(done).toMatchObject({ status: 'done', inserted: 3000, total: 3000 });
    await watch;
    expect(slowest.ms).toBeLessThan(2000);
    expect(server.output()).not.toMatch(/FATAL|heap out of memory|Aborted/i);
  });

  it('keeps what it writes to DATA_DIR to its own user, and says it is a demo', async () => {
    const health = (await (await fetch(`${server.url}/api/health`)).json()) as { demo: boolean; database: string };
    expect(health).toMatchObject({ demo: true, database: engine });
    // every directory is its user's alone (nothing below is reachable by others), and so is every
    // file the server had at start; files the embedded database creates later come 0666 from PGlite
    // and are guarded by their 0700 directories
    const open: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        const st = fs.statSync(p);
        if ((st.mode & 0o077) !== 0 && (e.isDirectory() || st.mtimeMs < started)) open.push(p);
        if (e.isDirectory()) walk(p);
      }
    };
    walk(server.dataDir);
    expect(fs.readdirSync(server.dataDir)).toContain('pii.key');
    expect(open).toEqual([]);
  });
});
});
