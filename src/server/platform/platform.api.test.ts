import SwaggerParser from '@apidevtools/swagger-parser';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeTestApp, makeTree, type Session, type TestApp, type Tree } from '../../../test/helpers/app.js';
import { testEngine } from '../../../test/helpers/db.js';
import { authPlugin } from './auth.js';
import { PERMISSIONS } from './policy.js';

let t: TestApp;
let tree: Tree;
let admin: Session;

beforeAll(async () => {
  t = await makeTestApp();
  tree = await makeTree(t);
  admin = await login(t.app, 'admin', 'Chief#Test2026');
});
afterAll(async () => t?.close());

describe('health and OpenAPI', () => {
  it('reports the engine', async () => {
    const res = await t.app.inject({ url: '/api/health' });
    expect(res.json()).toEqual({ status: 'ok', database: testEngine() === 'postgres' ? 'postgres' : 'pglite', demo: false });
  });

  it('serves a valid OpenAPI 3 document describing the contract routes', async () => {
    const res = await t.app.inject({ url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    await SwaggerParser.validate(structuredClone(doc));
    for (const p of ['/api/auth/login', '/api/auth/me', '/api/users', '/api/orgs', '/api/orgs/{id}', '/api/orgs/{id}/move', '/api/orgs/{id}/stats', '/api/dictionaries/{type}', '/api/health', '/api/audit']) {
      expect(Object.keys(doc.paths)).toContain(p);
    }
    // every route the real app serves under /api is documented, with its method, and nothing else is
    const served = apiRoutes().filter((r) => !r.hidden).map((r) => `${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`).sort();
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
      .flatMap(([p, ops]) => Object.keys(ops).filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m)).map((m) => `${m.toUpperCase()} ${p}`)).sort();
    expect(served.length).toBeGreaterThan(50);
    expect(documented).toEqual(served);
    const docs = await t.app.inject({ url: '/api/docs' });
    expect([200, 302]).toContain(docs.statusCode);
  });
});

/** The real app's /api routes, less the OpenAPI document and its UI. */
const apiRoutes = () => t.app.routeTable.filter((r) => r.url.startsWith('/api') && !r.url.startsWith('/api/docs') && r.url !== '/api/openapi.json');

describe('every /api route declares its access', () => {
  it('on the real app: public, authenticated, a worker\'s, or a permission of the policy table', () => {
    const known = new Set<string>(PERMISSIONS);
    const routes = apiRoutes();
    expect(routes.length).toBeGreaterThan(50);
    for (const r of routes) {
      const a = r.access as { public?: boolean; authenticated?: boolean; permission?: string; worker?: boolean } | undefined;
      expect(a, `${r.method} ${r.url}`).toBeDefined();
      // a worker's session opens worker routes only, and only they live under /api/worker/
      if (a?.worker === true || r.url.startsWith('/api/worker/')) expect(a?.worker === true || a?.public === true, `${r.method} ${r.url}`).toBe(true);
      if (a?.worker === true) expect(r.url.startsWith('/api/worker/'), `${r.method} ${r.url}`).toBe(true);
      const ok = a?.public === true || a?.authenticated === true || a?.worker === true || (typeof a?.permission === 'string' && known.has(a.permission));
      expect(ok, `${r.method} ${r.url} declares ${JSON.stringify(a)}`).toBe(true);
    }
  });

  it('refuses to start when a route declares neither a permission nor public', async () => {
    const app = Fastify();
    await app.register(authPlugin, { authenticate: async () => null, authenticateWorker: async () => null, rootPath: '/1/' });
    await app.after();
    expect(() => app.get('/api/forgotten', async () => 'x')).toThrow(/declares no access/);
    expect(() => app.get('/api/declared', { config: { access: { public: true } } }, async () => 'x')).not.toThrow();
    await app.close();
  });
});

describe('errors and input', () => {
  it('answers oversized bodies with 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await admin.post('/api/orgs', { name: 'x'.repeat(1100 * 1024), parentId: 1, level: 'province', kind: 'federation', regionCode: '210000' });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('gives per-field Chinese messages for schema failures', async () => {
    const res = await admin.post('/api/orgs', { parentId: 'abc', level: 'planet' });
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.fields).toMatchObject({ name: '必填', level: '取值不在允许范围内', parentId: '类型不正确' });
  });

  it('answers malformed JSON with 400 and unknown routes with 404, without stack traces', async () => {
    const bad = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"username":' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).not.toMatch(/at .*\.js|node_modules/);
    const none = await t.app.inject({ url: '/api/nothing-here' });
    expect(none.statusCode).toBe(404);
    expect(none.json().error.code).toBe('ROUTE_NOT_FOUND');
  });

  it('rate-limits the login route', async () => {
    let last = 0;
    for (let i = 0; i < 25; i++) {
      last = (await t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '10.9.9.9', payload: { username: `ghost${i}`, password: 'x' } })).statusCode;
    }
    expect(last).toBe(429);
  });
});

describe('dictionaries', () => {
  it('serves the national code lists with Chinese labels', async () => {
    const eth = (await t.app.inject({ url: '/api/dictionaries/ethnicity' })).json();
    expect(eth).toHaveLength(58);
    expect(eth[0]).toEqual({ code: '01', label: '汉族' });
    expect(eth.find((e: { code: string }) => e.code === '10').label).toBe('朝鲜族');
    for (const type of ['id_type', 'member_group', 'employment_status', 'change_type', 'change_reason', 'education', 'hotline_category']) {
      const res = await t.app.inject({ url: `/api/dictionaries/${type}` });
      expect(res.statusCode).toBe(200);
      expect(res.json().length).toBeGreaterThan(1);
    }
    const groups = (await t.app.inject({ url: '/api/dictionaries/member_group' })).json().map((g: { label: string }) => g.label);
    expect(groups).toEqual(expect.arrayContaining(['新就业形态劳动者', '货车司机', '快递员', '护工护理员', '家政服务员', '商场信息员', '网约送餐员', '房产中介员', '保安员']));
    expect((await t.app.inject({ url: '/api/dictionaries/nope' })).statusCode).toBe(404);
  });

  it('root admins edit items; seeding again keeps their edits; county admins cannot', async () => {
    const res = await admin.put('/api/dictionaries/hotline_category/other', { label: '其他诉求', enabled: true });
    expect(res.statusCode).toBe(200);
    await t.services.dictionaries.seed();
    const items = (await t.app.inject({ url: '/api/dictionaries/hotline_category' })).json();
    expect(items.find((i: { code: string }) => i.code === 'other').label).toBe('其他诉求');
    const off = await admin.put('/api/dictionaries/hotline_category/suggestion', { label: '意见建议', enabled: false });
    expect(off.statusCode).toBe(200);
    const visible = (await t.app.inject({ url: '/api/dictionaries/hotline_category' })).json();
    expect(visible.some((i: { code: string }) => i.code === 'suggestion')).toBe(false);
    const heping = await login(t.app, 'heping');
    const denied = await heping.put('/api/dictionaries/hotline_category/other', { label: '被改了' });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.code).toBe('DICTIONARY_ADMIN_ONLY');
    expect(tree.heping).toBeGreaterThan(0);
  });
});
