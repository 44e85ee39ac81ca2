import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeTestApp, makeTree, type Session, type TestApp, type Tree } from '../../test/helpers/app.js';
import { LEAKS, makeOtherCounty, MISSING, type LeakRequest, type OtherCounty } from '../../test/helpers/leaks.js';

let t: TestApp;
let tree: Tree;
let other: OtherCounty;
let officer: Session;

beforeAll(async () => {
  t = await makeTestApp();
  tree = await makeTree(t);
  other = await makeOtherCounty(t, tree);
  officer = await login(t.app, 'heping');
});
afterAll(async () => { await t.close(); });

const send = (r: LeakRequest) => t.app.inject({
  method: r.method, url: r.url, headers: { cookie: officer.cookie, ...(r.method === 'GET' ? {} : { 'x-csrf-token': officer.csrf }), ...(r.headers ?? {}) },
  ...(r.payload !== undefined ? { payload: r.payload as object } : {}),
});

describe('the leak table (数据权限) over every /api route of the real app', () => {
  it('lists every route, and nothing that is not a route', () => {
    const served = t.app.routeTable.filter((r) => r.url.startsWith('/api') && !r.url.startsWith('/api/docs') && r.url !== '/api/openapi.json')
      .map((r) => `${r.method} ${r.url}`);
    expect(served.length).toBeGreaterThan(70);
    expect(served.filter((k) => !(k in LEAKS)), 'routes missing from test/helpers/leaks.ts').toEqual([]);
    expect(Object.keys(LEAKS).map((k) => k.split('?')[0] ?? k).filter((k) => !served.includes(k)), 'rows for routes that do not exist').toEqual([]);
  });

  it('answers a county officer for another county\'s id exactly as for a missing one', async () => {
    const checked: string[] = [];
    const wrong: string[] = [];
    for (const [route, leak] of Object.entries(LEAKS)) {
      if (!('id' in leak)) continue;
      const id = leak.of(other);
      const foreign = await send(leak.id(other, id));
      const missing = await send(leak.id(other, MISSING));
      // an answer may echo the id the officer sent ("工会 7 不存在"): that one is theirs to know
      const a = foreign.body.replaceAll(String(id), '<id>');
      const b = missing.body.replaceAll(String(MISSING), '<id>');
      if (foreign.statusCode !== 404) wrong.push(`${route}: ${foreign.statusCode} ${foreign.body.slice(0, 200)}`);
      else if (a !== b) wrong.push(`${route}: ${a} ≠ missing ${b}`);
      checked.push(route);
    }
    expect(wrong).toEqual([]);
    expect(checked.length).toBeGreaterThan(45);
  });

  it('lists none of another county\'s rows', async () => {
    for (const [route, leak] of Object.entries(LEAKS)) {
      if (!('list' in leak)) continue;
      const res = await send(leak.list(other));
      expect(res.statusCode, `${route}: ${res.body}`).toBe(200);
      const theirs = [leak.of(other)].flat();
      expect(leak.rows(res.json()).filter((id) => theirs.includes(id)), route).toEqual([]);
    }
    // the rows exist and are listed to their own county: the checks above are not vacuous
    const zs = await login(t.app, 'zhongshan');
    for (const [route, leak] of Object.entries(LEAKS)) {
      if (!('list' in leak) || route === 'GET /api/orgs') continue;
      const theirs = [leak.of(other)].flat();
      expect(leak.rows((await zs.get(leak.list(other).url)).json()).some((id) => theirs.includes(id)), route).toBe(true);
    }
  });
});
