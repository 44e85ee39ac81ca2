import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, login, makeTestApp, PASSWORD, TEST_PII_KEY, type TestApp } from '../../../../test/helpers/app.js';
import { mobile, residentId } from '../../../../test/helpers/ids.js';
import { systemActor } from '../../platform/audit.js';
import { officerCaller, systemCaller } from '../../platform/caller.js';
import { makeUnionCreditCode } from '../../platform/credit-code.js';
import { createPiiCipher } from '../../platform/crypto.js';
import type { ListPlan } from './list-plan.js';
import { createMemberService } from './service.js';

// A deployment rooted at a province (GONGHUI_ROOT_LEVEL=province): its counties sit at three path
// segments (province/city/county), not four as under the national root, so the county indexes
// and the county plans must follow the root's level.
let t: TestApp;
const ids: Record<string, number> = {};
const paths: Record<string, string> = {};

beforeAll(async () => {
  t = await makeTestApp({ GONGHUI_ROOT_LEVEL: 'province', GONGHUI_ROOT_NAME: '辽宁省总工会', GONGHUI_ROOT_REGION: '210000' });
  const s = systemCaller(systemActor);
  const create = async (key: string, parentId: number, name: string, level: string, kind: string, regionCode: string, creditCode?: string) => {
    const o = await t.services.orgs.create(s, { parentId, name, level: level as never, kind: kind as never, regionCode, ...(creditCode ? { creditCode } : {}) });
    ids[key] = o.id;
    paths[key] = o.path;
  };
  await create('city', t.rootId, '沈阳市总工会', 'city', 'federation', '210100');
  await create('county', ids.city ?? 0, '和平区总工会', 'county', 'federation', '210102');
  await create('street', ids.county ?? 0, '南市场街道总工会', 'street', 'federation', '210102');
  await create('company', ids.street ?? 0, '和平区恒通物流有限公司工会委员会', 'grassroots', 'grassroots', '210102', makeUnionCreditCode('1', '210102', 1));
  await create('other', ids.county ?? 0, '和平区远航软件有限公司工会委员会', 'grassroots', 'grassroots', '210102', makeUnionCreditCode('1', '210102', 2));
  await t.services.users.create(s, { username: 'county_officer', name: '和平区', password: PASSWORD, roles: [{ orgId: ids.county ?? 0, role: 'officer' }] });
  const admin = await login(t.app, 'admin', ADMIN_PASSWORD);
  for (let i = 0; i < 12; i++) {
    const orgId = i % 2 ? ids.company : ids.other;
    const r = await admin.post('/api/members', { orgId, name: i % 3 ? `李${'一二三四'.charAt(i % 4)}` : '王芳', idType: 'resident_id', idNumber: residentId(500 + i), phone: mobile(500 + i) });
    expect(r.statusCode, r.body).toBe(201);
  }
});
afterAll(async () => { await t.close(); });

describe('the member list under a province root', () => {
  it('makes the county indexes at three path segments (the county, not the street)', async () => {
    const r = await sql<{ indexname: string; indexdef: string }>`select indexname, indexdef from pg_indexes
      where tablename = 'membership' and indexname in ('membership_county_idx', 'membership_county_initial_idx') order by indexname`.execute(t.db.db);
    expect(r.rows.map((x) => x.indexname)).toEqual(['membership_county_idx', 'membership_county_initial_idx']);
    for (const x of r.rows) {
      expect(x.indexdef).toContain('{3}');
      expect(x.indexdef).not.toContain('{4}');
    }
    // the county's path has three segments under this root
    expect(paths.county?.split('/').length).toBe(5);
  });

  it('gives a county its county plans, and below it the county walk, with the same pages as the plainest plan', async () => {
    const deps = { db: t.db.db, pii: createPiiCipher(TEST_PII_KEY), orgs: t.services.orgs, dictionaries: t.services.dictionaries, rootLevel: 'province' as const };
    const taken: ListPlan[] = [];
    const ours = createMemberService({ ...deps, walkShare: 2, initialWalkShare: 2, countyWalkShare: 0, onPlan: (p) => { taken.push(p); } });
    const planned = createMemberService({ ...deps, plans: new Set(['planned']) });
    const actor = { userId: null, username: null, requestId: 'test', ip: '127.0.0.1' };
    const callerAt = (key: string) => officerCaller(actor, [{ role: 'officer', orgPath: paths[key] ?? '', orgId: ids[key] ?? 0, orgName: '' }], 'member.read', paths.city ?? '');
    const pages = async (svc: typeof ours, key: string, q?: string) => {
      const out: number[][] = [];
      let cursor: string | undefined;
      do {
        const r = await svc.list(callerAt(key), { view: 'summary', limit: 2, ...(q ? { q } : {}), ...(cursor ? { cursor } : {}) });
        out.push(r.items.map((m) => m.id));
        cursor = r.nextCursor ?? undefined;
      } while (cursor);
      return out;
    };
    for (const [key, q, kind] of [['county', undefined, 'county'], ['county', '李', 'county'], ['street', undefined, 'countyWalk']] as const) {
      taken.length = 0;
      const a = await pages(ours, key, q);
      expect(taken.map((p) => p.kind), `${key} ${q ?? ''}`).toEqual(a.map(() => kind));
      // the county head is the county's path (three segments), for the county and the street below it
      expect(taken.every((p) => 'head' in p && p.head === paths.county)).toBe(true);
      expect(a, `${key} ${q ?? ''}`).toEqual(await pages(planned, key, q));
      expect(a.flat().length).toBe(key === 'street' ? 6 : q ? 8 : 12);
    }
  });

  it('answers the county officer over HTTP with the county’s members only', async () => {
    const officer = await login(t.app, 'county_officer');
    const r = await officer.get('/api/members?limit=50&view=summary');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().items).toHaveLength(12);
  });
});
