import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp, buildServices, type Services } from '../../src/server/app.js';
import { bootstrap } from '../../src/server/bootstrap.js';
import { loadConfig } from '../../src/server/config.js';
import type { Db } from '../../src/server/db/connect.js';
import { systemActor } from '../../src/server/platform/audit.js';
import { makeUnionCreditCode } from '../../src/server/platform/credit-code.js';
import { systemCaller } from '../../src/server/platform/caller.js';
import type { Role } from '../../src/server/platform/policy.js';
import { createTestDb } from './db.js';
import { createPiiCipher } from '../../src/server/platform/crypto.js';

export { TEST_PII_KEY } from './db.js';
import { TEST_PII_KEY } from './db.js';

export const ADMIN_PASSWORD = 'Chief#Test2026';
export const PASSWORD = 'Officer@Test2026';

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  services: Services;
  rootId: number;
  /** The app's DATA_DIR (a fresh temporary directory). */
  dataDir: string;
  close(): Promise<void>;
}

/** Identity numbers (15 or 18 characters) and mobile phones in a request's text. */
const PII_IN_TEXT = /(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15}|1[3-9]\d{9})(?![0-9A-Za-z])/g;

/**
 * Records every identity number and phone a test sends through `app.inject`, and the app's log;
 * `check()` fails when the log holds any of them (README: no PII in logs, anywhere).
 */
function piiLogWatch() {
  const used = new Set<string>();
  const lines: string[] = [];
  const collect = (v: unknown) => {
    if (typeof v === 'string') for (const m of v.matchAll(PII_IN_TEXT)) used.add(m[0]);
    else if (Buffer.isBuffer(v)) collect(v.toString('latin1'));
    else if (v && typeof v === 'object') collect(JSON.stringify(v));
  };
  return {
    /** Wraps the app's inject so that what the tests send is recorded. */
    attach(app: FastifyInstance) {
      const inject = app.inject.bind(app) as (opts: unknown) => Promise<LightMyRequestResponse>;
      (app as unknown as { inject: (opts: unknown) => Promise<LightMyRequestResponse> }).inject = (opts: unknown) => {
        if (typeof opts === 'string') collect(opts);
        else if (opts && typeof opts === 'object') { const o = opts as { url?: unknown; query?: unknown; payload?: unknown; body?: unknown }; collect(o.url); collect(o.query); collect(o.payload); collect(o.body); }
        return inject(opts);
      };
    },
    stream: new Writable({ write(chunk: Buffer, _enc, cb) { lines.push(chunk.toString()); cb(); } }),
    check() {
      const log = lines.join('');
      // whole values only: a phone's digits can turn up inside a logged response time (1.78139000000010)
      const leaked = [...used].filter((v) => new RegExp(`(?<![0-9A-Za-z.])${v}(?![0-9A-Za-z])`).test(log));
      if (leaked.length) throw new Error(`the request log holds ${leaked.length} identity numbers or phones the tests sent, e.g. …${leaked[0]?.slice(-4) ?? ''}: ${log.split('\n').find((l) => leaked.some((v) => l.includes(v)))?.slice(0, 300) ?? ''}`);
      return { requests: lines.length, values: used.size };
    },
  };
}

/** The real app on a fresh database, bootstrapped with root union and admin account. */
export async function makeTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const db = await createTestDb();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gonghui-app-'));
  const config = loadConfig({ GONGHUI_ADMIN_PASSWORD: ADMIN_PASSWORD, GONGHUI_DEMO: '0', WEB_DIR: '/nonexistent', DATA_DIR: dataDir, ...env });
  const boot = await bootstrap(db.db, config);
  const services = buildServices(db, config, boot, createPiiCipher(TEST_PII_KEY));
  await services.dictionaries.seed();
  await services.calendar.seed();
  // The app logs at info, as in production, into memory: every test file checks that the log holds
  // none of the identity numbers and phones it sent.
  const watch = piiLogWatch();
  const app = await buildApp({ db, config: { ...config, logLevel: 'info' }, rootPath: boot.rootPath, services, logStream: watch.stream });
  watch.attach(app);
  await app.ready();
  return {
    app, db, services, rootId: boot.rootId, dataDir,
    async close() {
      await app.close();
      await db.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
      watch.check();
    },
  };
}

export interface Session {
  cookie: string;
  csrf: string;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  patch(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  put(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  del(url: string): Promise<LightMyRequestResponse>;
}

/** Signs in through the real login route and returns a client carrying cookie and CSRF header. */
export async function login(app: FastifyInstance, username: string, password = PASSWORD, remoteAddress?: string): Promise<Session> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, ...(remoteAddress ? { remoteAddress } : {}) });
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  const setCookie = res.cookies.find((c) => c.name === 'gh_session');
  if (!setCookie) throw new Error('no session cookie');
  const cookie = `gh_session=${setCookie.value}`;
  const csrf = (res.json() as { csrfToken: string }).csrfToken;
  const send = (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, body?: unknown) =>
    app.inject({
      method, url, headers: { cookie, ...(method === 'GET' ? {} : { 'x-csrf-token': csrf }) },
      ...(body !== undefined ? { payload: body as object } : {}),
    });
  return {
    cookie, csrf,
    get: (u) => send('GET', u),
    post: (u, b) => send('POST', u, b ?? {}),
    patch: (u, b) => send('PATCH', u, b ?? {}),
    put: (u, b) => send('PUT', u, b ?? {}),
    del: (u) => send('DELETE', u),
  };
}

export interface Tree {
  province: number; shenyang: number; heping: number; shenhe: number; dalian: number; zhongshan: number;
  hepingCompany: number; zhongshanCompany: number;
}

/**
 * A small province through the real services: 辽宁 → 沈阳 → 和平区 (+ a company), 沈河区;
 * 大连 → 中山区 (+ a company); officers `heping` (admin of 和平区), `heping_officer`,
 * `shenyang` (admin of 沈阳), `zhongshan` (admin of 中山区), `zhongshan_officer`, `province` (admin of 辽宁),
 * `agent` (12351 hotline agent of 辽宁).
 */
export async function makeTree(t: TestApp): Promise<Tree> {
  const s = systemCaller(systemActor);
  const create = (parentId: number, name: string, level: string, kind: string, regionCode: string, creditCode?: string) =>
    t.services.orgs.create(s, { parentId, name, level: level as never, kind: kind as never, regionCode, ...(creditCode ? { creditCode } : {}) }).then((o) => o.id);
  const province = await create(t.rootId, '辽宁省总工会', 'province', 'federation', '210000');
  const shenyang = await create(province, '沈阳市总工会', 'city', 'federation', '210100');
  const heping = await create(shenyang, '和平区总工会', 'county', 'federation', '210102');
  const shenhe = await create(shenyang, '沈河区总工会', 'county', 'federation', '210103');
  const dalian = await create(province, '大连市总工会', 'city', 'federation', '210200');
  const zhongshan = await create(dalian, '中山区总工会', 'county', 'federation', '210202');
  const hepingCompany = await create(heping, '和平区恒通物流有限公司工会委员会', 'grassroots', 'grassroots', '210102', makeUnionCreditCode('1', '210102', 1));
  const zhongshanCompany = await create(zhongshan, '中山区远航软件有限公司工会委员会', 'grassroots', 'grassroots', '210202', makeUnionCreditCode('1', '210202', 2));
  const users: Array<[string, number, Role]> = [
    ['province', province, 'admin'], ['shenyang', shenyang, 'admin'], ['heping', heping, 'admin'],
    ['heping_officer', heping, 'officer'], ['zhongshan', zhongshan, 'admin'], ['heping_viewer', heping, 'viewer'],
    ['agent', province, 'hotline_agent'], ['zhongshan_officer', zhongshan, 'officer'],
  ];
  for (const [username, orgId, role] of users) {
    await t.services.users.create(s, { username, name: username, password: PASSWORD, roles: [{ orgId, role }] });
  }
  return { province, shenyang, heping, shenhe, dalian, zhongshan, hepingCompany, zhongshanCompany };
}
