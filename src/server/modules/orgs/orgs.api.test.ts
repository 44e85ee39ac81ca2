import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUnionCreditCode } from '../../platform/credit-code.js';
import { login, makeTestApp, makeTree, type Session, type TestApp, type Tree } from '../../../../test/helpers/app.js';
import { systemCaller } from '../../platform/caller.js';
import { systemActor } from '../../platform/audit.js';

let t: TestApp;
let tree: Tree;
let heping: Session;

beforeAll(async () => {
  t = await makeTestApp();
  tree = await makeTree(t);
  heping = await login(t.app, 'heping');
});
afterAll(async () => t?.close());

const company = (parentId: number, extra: Record<string, unknown> = {}) => ({
  name: '和平区金桥电子科技有限公司工会委员会', parentId, level: 'grassroots', kind: 'grassroots', regionCode: '210102', ...extra,
});

async function orgCount() {
  const r = await t.db.db.selectFrom('org').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

describe('orgs: create, read, edit', () => {
  it('a county admin creates a grassroots union under the county, with a normalised credit code', async () => {
    const code = makeUnionCreditCode('1', '210102', 777);
    const fullWidth = code.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0)).toLowerCase();
    const res = await heping.post('/api/orgs', company(tree.heping, { creditCode: ` ${fullWidth} ` }));
    expect(res.statusCode).toBe(201);
    const org = res.json();
    expect(org).toMatchObject({ parentId: tree.heping, level: 'grassroots', regionName: '和平区', creditCode: code, depth: 4 });
    expect(org.path).toMatch(new RegExp(`/${tree.heping}/${org.id}/$`));
    const got = await heping.get(`/api/orgs/${org.id}`);
    expect(got.statusCode).toBe(200);
    expect(got.json().name).toBe(company(0).name);
  });

  it.each([
    ['wrong check character', { creditCode: makeUnionCreditCode('1', '210102', 5).slice(0, 17) + '0' }, 400, 'CREDIT_CODE_INVALID', '校验位'],
    ['a letter never used (O)', { creditCode: '81210102MA0O12345X' }, 400, 'CREDIT_CODE_INVALID', '非法字符'],
    ['an enterprise (91) code', { creditCode: '91210102MA0Y5LXX1F' }, 400, 'CREDIT_CODE_INVALID', ''],
    ['unknown region code', { regionCode: '219999' }, 400, 'REGION_CODE_UNKNOWN', '不存在'],
    ['region outside the parent county', { regionCode: '210103' }, 422, 'REGION_OUTSIDE_PARENT', ''],
    ['a county under a county', { level: 'county', kind: 'federation' }, 422, 'ORG_LEVEL_INVALID', ''],
    ['level and kind disagree', { kind: 'federation' }, 422, 'ORG_LEVEL_INVALID', ''],
    ['too long a name', { name: '工'.repeat(101) }, 400, 'VALIDATION_FAILED', '100'],
    ['an unknown field', { color: 'red' }, 400, 'VALIDATION_FAILED', ''],
    ['a 5-digit region code', { regionCode: '21010' }, 400, 'VALIDATION_FAILED', '格式'],
  ])('rejects %s and writes nothing', async (_label, extra, status, code, text) => {
    const before = await orgCount();
    const res = await heping.post('/api/orgs', company(tree.heping, { name: `和平区测试${_label}工会`.slice(0, 60), ...extra }));
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
    expect(res.json().error.message).toContain(text);
    expect(await orgCount()).toBe(before);
  });

  it('rejects a duplicate name under one parent (409) and a credit code already used', async () => {
    const res = await heping.post('/api/orgs', company(tree.heping, { name: '和平区恒通物流有限公司工会委员会' }));
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('ORG_NAME_TAKEN');
    const dup = await heping.post('/api/orgs', company(tree.heping, { name: '另一个工会', creditCode: makeUnionCreditCode('1', '210102', 1) }));
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('CREDIT_CODE_TAKEN');
  });

  it('edits with optimistic version and reports a stale version as 409', async () => {
    const org = (await heping.get(`/api/orgs/${tree.hepingCompany}`)).json();
    const ok = await heping.patch(`/api/orgs/${org.id}`, { name: '和平区恒通物流集团有限公司工会委员会', version: org.version });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().version).toBe(org.version + 1);
    const stale = await heping.patch(`/api/orgs/${org.id}`, { name: '旧版本修改', version: org.version });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({ code: 'VERSION_CONFLICT', details: { currentVersion: org.version + 1 } });
  });

  it('lists children with keyset pagination and searches by name inside scope only', async () => {
    for (let i = 0; i < 3; i++) {
      expect((await heping.post('/api/orgs', company(tree.heping, { name: `和平区分页测试${i}号有限公司工会` }))).statusCode).toBe(201);
    }
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const res = await heping.get(`/api/orgs?parentId=${tree.heping}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.items.length).toBeLessThanOrEqual(2);
      seen.push(...body.items.map((o: { id: number }) => o.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(5);
    const search = await heping.get(`/api/orgs?q=${encodeURIComponent('有限公司')}`);
    const names = search.json().items.map((o: { name: string }) => o.name);
    expect(names.length).toBeGreaterThan(0);
    expect(names.some((n: string) => n.startsWith('中山区'))).toBe(false);
    const bad = await heping.get('/api/orgs?cursor=not-a-cursor');
    expect(bad.statusCode).toBe(400);
  });

  it('without filters lists the top unions of the caller', async () => {
    const res = await heping.get('/api/orgs');
    expect(res.json().items.map((o: { id: number }) => o.id)).toEqual([tree.heping]);
  });
});

describe('orgs: move a subtree', () => {
  it('moves a union with all descendants, updating every path in one transaction', async () => {
    const shenyang = await login(t.app, 'shenyang');
    const a = (await shenyang.post('/api/orgs', { name: '沈阳测试集团工会', parentId: tree.heping, level: 'grassroots', kind: 'grassroots', regionCode: '210102' })).json();
    const b = (await shenyang.post('/api/orgs', { name: '沈阳测试子公司工会', parentId: a.id, level: 'grassroots', kind: 'grassroots', regionCode: '210102' })).json();
    const c = (await shenyang.post('/api/orgs', { name: '一车间分会', parentId: b.id, level: 'branch', kind: 'branch', regionCode: '210102' })).json();
    const res = await shenyang.post(`/api/orgs/${a.id}/move`, { newParentId: tree.shenhe });
    expect(res.statusCode).toBe(200);
    expect(res.json().movedCount).toBe(3);
    const movedC = (await shenyang.get(`/api/orgs/${c.id}`)).json();
    expect(movedC.path).toBe(`${(await shenyang.get(`/api/orgs/${tree.shenhe}`)).json().path}${a.id}/${b.id}/${c.id}/`);
    expect(movedC.depth).toBe(6);

    const cycle = await shenyang.post(`/api/orgs/${a.id}/move`, { newParentId: c.id });
    expect(cycle.statusCode).toBe(422);
    expect(cycle.json().error.code).toBe('ORG_MOVE_CYCLE');
    const self = await shenyang.post(`/api/orgs/${a.id}/move`, { newParentId: a.id });
    expect(self.json().error.code).toBe('ORG_MOVE_CYCLE');
    const after = (await shenyang.get(`/api/orgs/${c.id}`)).json();
    expect(after.path).toBe(movedC.path);
  });

  it('the root cannot move and an officer without org.move gets 403', async () => {
    const admin = await login(t.app, 'admin', 'Chief#Test2026');
    const root = await admin.post(`/api/orgs/${t.rootId}/move`, { newParentId: tree.province });
    expect(root.statusCode).toBe(422);
    const officer = await login(t.app, 'heping_officer');
    const res = await officer.post(`/api/orgs/${tree.hepingCompany}/move`, { newParentId: tree.heping });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
  });
});

describe('data scope: a county officer cannot reach another county by any route', () => {
  it.each([
    ['GET', () => `/api/orgs/${tree.zhongshan}`, undefined],
    ['GET', () => `/api/orgs/${tree.zhongshanCompany}`, undefined],
    ['GET', () => `/api/orgs/${tree.shenyang}`, undefined],
    ['GET', () => `/api/orgs/${tree.zhongshan}/stats`, undefined],
    ['PATCH', () => `/api/orgs/${tree.zhongshanCompany}`, { name: '被篡改的工会' }],
    ['POST', () => `/api/orgs/${tree.zhongshanCompany}/move`, () => ({ newParentId: tree.heping })],
    ['POST', () => `/api/orgs/${tree.hepingCompany}/move`, () => ({ newParentId: tree.zhongshan })],
    ['POST', () => '/api/orgs', () => ({ name: '越权创建的工会', parentId: tree.zhongshan, level: 'grassroots', kind: 'grassroots', regionCode: '210202' })],
  ])('%s %s → 404, as if absent', async (method, url, makeBody) => {
    const u = url();
    const body = typeof makeBody === 'function' ? makeBody() : makeBody;
    const res = method === 'GET' ? await heping.get(u) : method === 'PATCH' ? await heping.patch(u, body) : await heping.post(u, body);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('ORG_NOT_FOUND');
    expect(res.body).not.toContain('中山区');
  });

  it('guessing ids never reveals a row: out-of-scope and absent look the same', async () => {
    const absent = await heping.get('/api/orgs/999999');
    const outside = await heping.get(`/api/orgs/${tree.zhongshan}`);
    expect(outside.statusCode).toBe(absent.statusCode);
    expect(outside.json()).toEqual(absent.json());
    for (let id = 1; id <= tree.zhongshanCompany + 5; id++) {
      const res = await heping.get(`/api/orgs/${id}`);
      if (res.statusCode === 200) expect(res.json().path).toContain(`/${tree.heping}/`);
    }
    const list = await heping.get(`/api/orgs?parentId=${tree.zhongshan}`);
    expect(list.json().items).toEqual([]);
    const name = (await t.services.orgs.get(systemCaller(systemActor), tree.zhongshanCompany)).name;
    expect(name).toContain('中山区');
  });

  it('stats cover the subtree', async () => {
    const res = await heping.get(`/api/orgs/${tree.heping}/stats`);
    expect(res.statusCode).toBe(200);
    const s = res.json();
    expect(s.orgCount).toBeGreaterThanOrEqual(1);
    const rows = await t.db.db.selectFrom('org').select('path').execute();
    const hepingPath = rows.find((r) => r.path.endsWith(`/${tree.heping}/`))?.path ?? '';
    expect(s.orgCount).toBe(rows.filter((r) => r.path.startsWith(hepingPath)).length - 1);
    // a grassroots union with nothing below it is not its own 基层工会
    const leaf = (await heping.get(`/api/orgs/${tree.hepingCompany}/stats`)).json();
    expect(leaf).toMatchObject({ orgCount: 0, grassrootsCount: 0, childCount: 0 });
    expect(s.grassrootsCount).toBeGreaterThanOrEqual(1);
  });
});

describe('national directory of unions', () => {
  it('finds a union outside the caller scope by name, returning only public facts, and refuses a one-character query', async () => {
    const res = await heping.get(`/api/org-directory?q=${encodeURIComponent('中山区')}`);
    expect(res.statusCode).toBe(200);
    const found = res.json().find((o: { id: number }) => o.id === tree.zhongshan);
    expect(found).toEqual({ id: tree.zhongshan, name: '中山区总工会', regionCode: '210202', level: 'county' });
    expect((await heping.get(`/api/org-directory?q=${encodeURIComponent('中')}`)).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: `/api/org-directory?q=${encodeURIComponent('中山区')}` })).statusCode).toBe(401);
  });
});
