import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, buildServices } from '../app.js';
import { createPiiCipher } from './crypto.js';
import { TEST_PII_KEY } from '../../../test/helpers/app.js';
import { bootstrap } from '../bootstrap.js';
import { loadConfig } from '../config.js';
import type { Db } from '../db/connect.js';
import { createTestDb } from '../../../test/helpers/db.js';
import { residentId } from '../../../test/helpers/ids.js';

let db: Db;
const lines: string[] = [];
let app: Awaited<ReturnType<typeof buildApp>>;

beforeAll(async () => {
  db = await createTestDb();
  const config = loadConfig({ GONGHUI_ADMIN_PASSWORD: 'Chief#Test2026', GONGHUI_DEMO: '0', WEB_DIR: '/nonexistent', LOG_LEVEL: 'info', DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'gh-log-')) });
  const boot = await bootstrap(db.db, config);
  const stream = new Writable({ write(chunk: Buffer, _enc, cb) { lines.push(chunk.toString()); cb(); } });
  const services = buildServices(db, config, boot, createPiiCipher(TEST_PII_KEY));
  await services.dictionaries.seed();
  app = await buildApp({ db, config, rootPath: boot.rootPath, services, logStream: stream });
  await app.ready();
});
afterAll(async () => { await app?.close(); await db?.close(); });

describe('structured logs', () => {
  it('are JSON with a request id and carry no passwords, cookies or CSRF tokens', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: 'Chief#Test2026' } });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'gh_session')?.value ?? '';
    const csrf = res.json().csrfToken as string;
    await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: `gh_session=${cookie}`, 'x-csrf-token': csrf } });
    const text = lines.join('');
    expect(lines.length).toBeGreaterThan(0);
    const parsed = lines.flatMap((l) => l.trim().split('\n')).map((l) => JSON.parse(l) as { reqId?: string });
    expect(parsed.some((p) => typeof p.reqId === 'string')).toBe(true);
    expect(text).not.toContain('Chief#Test2026');
    expect(text).not.toContain(cookie);
    expect(text).not.toContain(csrf);
  });

  it('never carry identity numbers or phones, whether the request succeeds, fails or reveals them', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: 'Chief#Test2026' } });
    const headers = { cookie: `gh_session=${res.cookies.find((c) => c.name === 'gh_session')?.value ?? ''}`, 'x-csrf-token': res.json().csrfToken as string };
    const me = (await app.inject({ method: 'GET', url: '/api/auth/me', headers })).json() as { roles: Array<{ orgId: number }> };
    const orgId = me.roles[0]?.orgId ?? 1;
    const id = residentId(42);
    const body = { orgId, name: '张伟', idType: 'resident_id', idNumber: id, phone: '13912345678' };
    const created = await app.inject({ method: 'POST', url: '/api/members', headers, payload: body });
    expect(created.statusCode, created.body).toBe(201);
    await app.inject({ method: 'POST', url: '/api/members', headers, payload: { ...body, idNumber: '110105194912310021', phone: '13987654321' } });
    await app.inject({ method: 'POST', url: '/api/members', headers, payload: body });
    await app.inject({ method: 'POST', url: `/api/members/${created.json().id as number}/reveal`, headers, payload: { field: 'idNumber', reason: '核对' } });
    await app.inject({ method: 'POST', url: '/api/join-applications', payload: { ...body, phone: '13711112222' } });
    const text = lines.join('');
    for (const secret of [id, id.slice(6, 14) + id.slice(14), '13912345678', '110105194912310021', '13987654321', '13711112222']) expect(text).not.toContain(secret);
  });
});
