import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeTestApp, makeTree, type Session, type TestApp, type Tree } from '../../../../test/helpers/app.js';
import { mobile, residentId } from '../../../../test/helpers/ids.js';
import { createMemberService } from './service.js';
import { countyHeadOf, isCountyScope } from './repo.js';
import { createPiiCipher } from '../../platform/crypto.js';
import { officerCaller, systemCaller } from '../../platform/caller.js';
import { systemActor } from '../../platform/audit.js';
import { makeUnionCreditCode } from '../../platform/credit-code.js';
import { TEST_PII_KEY } from '../../../../test/helpers/app.js';

let t: TestApp;
let tree: Tree;
let heping: Session;
let zhongshan: Session;
let province: Session;
let viewer: Session;
let seq = 100;

const member = (orgId: number, over: Record<string, unknown> = {}) => {
  seq += 1;
  return { orgId, name: '李建国', idType: 'resident_id', idNumber: residentId(seq), phone: mobile(seq), ...over };
};
const count = async (table: 'person' | 'membership') => Number((await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(t.db.db)).rows[0]?.n);

beforeAll(async () => {
  t = await makeTestApp();
  tree = await makeTree(t);
  heping = await login(t.app, 'heping_officer');
  zhongshan = await login(t.app, 'zhongshan_officer');
  province = await login(t.app, 'province');
  viewer = await login(t.app, 'heping_viewer');
});
afterAll(async () => { await t.close(); });

describe('registering a member (流动窗口入会)', () => {
  it('creates person and membership with masked PII and fields derived from the ID', async () => {
    // lower-case x, a name with a space, code-list fields
    const body = member(tree.hepingCompany, { idNumber: residentId(328, '210102', '19900307').toLowerCase(), name: '王 芳', ethnicity: '01', groups: ['courier', 'new_employment'] });
    const res = await heping.post('/api/members', body);
    expect(res.statusCode, res.body).toBe(201);
    const m = res.json();
    expect(m).toMatchObject({ name: '王 芳', status: 'active', orgId: tree.hepingCompany, birthDate: '1990-03-07', gender: 'female', groups: ['courier', 'new_employment'] });
    expect(m.maskedIdNumber).toBe(`210102********${residentId(328, '210102', '19900307').slice(-4)}`);
    expect(m.maskedPhone).toMatch(/^139\*{4}\d{4}$/);
    expect(m.memberNo).toMatch(/^210102\d{10}$/);
    // never in clear in the database
    const row = await t.db.db.selectFrom('person').selectAll().where('id', '=', m.personId).executeTakeFirstOrThrow();
    const clear = residentId(328, '210102', '19900307');
    expect(JSON.stringify(row)).not.toContain(clear);
    expect(JSON.stringify(row)).not.toContain(body.phone);
    // the membership history starts with 入会
    const h = (await heping.get(`/api/members/${m.id}/history`)).json();
    expect(h).toMatchObject([{ changeType: '1', changeTypeLabel: '入会', orgName: '和平区恒通物流有限公司工会委员会' }]);
  });

  it.each([
    [{ idNumber: '210102199003073011' }, 'idNumber', '校验位'],
    [{ idNumber: '2101021990030730' }, 'idNumber', '18 位'],
    [{ idNumber: residentId(1, '210102', '20990101') }, 'idNumber', '晚于今天'],
    [{ idNumber: residentId(1, '990102', '19900101') }, 'idNumber', '地区码'],
    [{ idType: 'hk_mo_pass', idNumber: 'X1234567' }, 'idNumber', 'H（香港）'],
    [{ phone: '12812345678' }, 'phone', '第二位'],
    [{ phone: '1391234567' }, 'phone', '11 位'],
    [{ name: '张三3' }, 'name', '汉字'],
    [{ ethnicity: '77' }, 'ethnicity', '不在字典'],
    [{ groups: ['astronaut'] }, 'groups', '不在字典'],
    [{ gender: 'male', idNumber: residentId(2) }, 'gender', '不一致'],
    [{ joinedOn: '2099-01-01' }, 'joinedOn', '晚于今天'],
  ])('refuses %j with a Chinese reason on %s and writes nothing', async (over, field, reason) => {
    const before = [await count('person'), await count('membership')];
    const res = await heping.post('/api/members', member(tree.hepingCompany, over));
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.details.fields[field]).toContain(reason);
    expect(res.body).not.toMatch(/\d{17}[\dX]/);
    expect([await count('person'), await count('membership')]).toEqual(before);
  });

  it('converts a 15-digit legacy number', async () => {
    const res = await heping.post('/api/members', member(tree.hepingCompany, { idNumber: '210102850615123' }));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ birthDate: '1985-06-15', gender: 'male' });
  });

  it('keeps one current membership per person: ALREADY_MEMBER names the union only inside the caller scope', async () => {
    const body = member(tree.hepingCompany);
    expect((await heping.post('/api/members', body)).statusCode).toBe(201);
    const same = await heping.post('/api/members', body);
    expect(same.statusCode).toBe(422);
    expect(same.json().error).toMatchObject({ code: 'ALREADY_MEMBER', message: '该人员已是本工会会员' });
    const other = await zhongshan.post('/api/members', { ...body, orgId: tree.zhongshanCompany });
    expect(other.statusCode).toBe(422);
    expect(other.json().error.code).toBe('ALREADY_MEMBER');
    expect(other.body).not.toContain('恒通');
    const prov = await province.post('/api/members', { ...body, orgId: tree.zhongshanCompany });
    expect(prov.json().error.message).toContain('和平区恒通物流有限公司工会委员会');
    expect(prov.json().error.message).toContain('转会');
    // the database itself refuses a second current membership
    const p = await t.db.db.selectFrom('membership').select(['person_id', 'name', 'id_last4']).where('org_id', '=', tree.hepingCompany).executeTakeFirstOrThrow();
    await expect(t.db.db.insertInto('membership').values({
      person_id: p.person_id, org_id: tree.zhongshanCompany, org_path: '/x/', status: 'active', joined_on: '2020-01-01', started_on: '2020-01-01', channel: 'window', id_last4: p.id_last4, name: p.name,
    }).execute()).rejects.toThrow(/membership_one_current_idx/);
  });
});

describe('finding members', () => {
  let target: { id: number; memberNo: string };
  let idNumber = '';
  let phone = '';
  beforeAll(async () => {
    const body = member(tree.hepingCompany, { name: '欧阳修远' });
    idNumber = body.idNumber;
    phone = body.phone;
    target = (await heping.post('/api/members', body)).json();
  });

  it.each([
    ['name prefix', () => '欧阳'],
    ['last four', () => idNumber.slice(-4)],
    ['full id (blind index)', () => idNumber],
    ['phone (blind index)', () => phone],
    ['member number', () => target.memberNo],
  ])('by %s', async (_label, q) => {
    const res = await heping.get(`/api/members?q=${encodeURIComponent(q())}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items.map((m: { id: number }) => m.id)).toContain(target.id);
    expect(res.json().items.every((m: { name: string }) => m.name === '欧阳修远' || q() === idNumber.slice(-4))).toBe(true);
  });

  it('pages with keyset cursors without repeating anyone', async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const res = await heping.get(`/api/members?orgId=${tree.hepingCompany}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      seen.push(...res.json().items.map((m: { id: number }) => m.id));
      cursor = res.json().nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(await t.db.db.selectFrom('membership').select((eb) => eb.fn.countAll<number>().as('n')).where('org_id', '=', tree.hepingCompany).where('status', 'in', ['active', 'retained']).executeTakeFirstOrThrow().then((r) => Number(r.n)));
    expect((await heping.get('/api/members?cursor=garbage')).statusCode).toBe(400);
  });

  it('finds by one character (a surname) in scope only, newest first, paging through every match', async () => {
    const mine: number[] = [];
    for (const name of ['欧小明', '欧大海']) mine.push((await heping.post('/api/members', member(tree.hepingCompany, { name }))).json().id);
    const theirs = (await zhongshan.post('/api/members', member(tree.zhongshanCompany, { name: '欧敏' }))).json().id;
    const inside = (await heping.post('/api/members', member(tree.hepingCompany, { name: '李欧' }))).json().id; // 欧 not first
    // the next code points after 欧 (U+6B27) and after 欧阳's 阳 (U+9633) bound the prefix ranges: never matches
    const after = (await heping.post('/api/members', member(tree.hepingCompany, { name: '欨明' }))).json().id;
    const afterTwo = (await heping.post('/api/members', member(tree.hepingCompany, { name: '欧阴' }))).json().id;
    expect([typeof after, typeof afterTwo]).toEqual(['number', 'number']);
    const two = (await heping.get(`/api/members?q=${encodeURIComponent('欧阳')}`)).json().items.map((m: { id: number }) => m.id);
    expect(two).toContain(target.id);
    expect(two).not.toContain(afterTwo);
    const org = await t.db.db.selectFrom('org').select('path').where('id', '=', tree.heping).executeTakeFirstOrThrow();
    const expected = (await t.db.db.selectFrom('membership').select('id').where('org_path', 'like', `${org.path}%`)
      .where('name', 'like', '欧%').where('status', 'in', ['active', 'retained']).orderBy('id', 'desc').execute()).map((r) => r.id);
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const res = await heping.get(`/api/members?q=${encodeURIComponent('欧')}&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      seen.push(...res.json().items.map((m: { id: number }) => m.id));
      cursor = res.json().nextCursor;
    } while (cursor);
    expect(seen).toEqual(expected);
    expect(seen).toEqual(expect.arrayContaining([...mine, target.id]));
    expect(seen).not.toContain(theirs);
    expect(seen).not.toContain(inside);
    expect(seen).not.toContain(after);
    expect(seen).toContain(afterTwo);
    // a character outside the Basic Multilingual Plane is one character too
    const rare = await heping.get(`/api/members?q=${encodeURIComponent('𠮷')}`);
    expect(rare.statusCode).toBe(200);
    expect(rare.json().items).toEqual([]);
  });

  it('lists a roster summary with view=summary: the same members, only the table columns, masked', async () => {
    const full = await heping.get('/api/members?limit=20');
    const summary = await heping.get('/api/members?limit=20&view=summary');
    expect(summary.statusCode, summary.body).toBe(200);
    const items = summary.json().items as Array<Record<string, unknown>>;
    expect(items.map((m) => m.id)).toEqual(full.json().items.map((m: { id: number }) => m.id));
    expect(summary.json().nextCursor).toBe(full.json().nextCursor);
    for (const m of items) {
      expect(Object.keys(m).sort()).toEqual(['birthDate', 'gender', 'id', 'joinedOn', 'maskedIdNumber', 'maskedPhone', 'memberNo', 'name', 'orgId', 'orgName', 'status']);
      expect(m.maskedIdNumber).toContain('****');
      expect(m.maskedPhone).toContain('****');
    }
    const one = items.find((m) => m.id === target.id);
    expect(one).toMatchObject({ name: '欧阳修远', memberNo: target.memberNo, orgId: tree.hepingCompany, orgName: '和平区恒通物流有限公司工会委员会', status: 'active' });
    // the full view is the default and still carries the whole record
    expect(full.json().items[0]).toHaveProperty('groups');
    expect(full.json().items[0]).toHaveProperty('createdAt');
    // a search pages the same way in either view
    const q = encodeURIComponent('欧');
    expect((await heping.get(`/api/members?q=${q}&view=summary`)).json().items.map((m: { id: number }) => m.id))
      .toEqual((await heping.get(`/api/members?q=${q}`)).json().items.map((m: { id: number }) => m.id));
    const bad = await heping.get('/api/members?view=everything');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('gives every list item exactly as the detail route gives that member, in either view and on every plan', async () => {
    // nulls, an empty and a full list of groups, dates, a creation time in microseconds, statuses that ended
    const passport = (await heping.post('/api/members', member(tree.hepingCompany, { idType: 'passport', idNumber: `E${String(seq).padStart(8, '0')}`, name: 'Anna·Lee' }))).json();
    expect(passport.birthDate).toBeNull();
    const full = (await heping.post('/api/members', member(tree.hepingCompany, { ethnicity: '01', groups: ['courier', 'new_employment'], isMigrantWorker: true }))).json();
    const retained = (await heping.post('/api/members', member(tree.hepingCompany))).json();
    expect((await heping.post(`/api/members/${retained.id}/leave`, { type: 'retain', reason: '失业保留会籍' })).statusCode).toBe(200);
    const left = (await heping.post('/api/members', member(tree.hepingCompany))).json();
    expect((await heping.post(`/api/members/${left.id}/leave`, { type: 'withdraw', reason: '本人申请退会' })).statusCode).toBe(200);
    const ids = [passport.id, full.id, retained.id, left.id];
    let compared = 0;
    // province: the walk of a large scope; heping: the county index; one union: planned; a search: its own index
    for (const [who, filter] of [[province, ''], [heping, ''], [heping, `&orgId=${tree.hepingCompany}`], [heping, `&q=${encodeURIComponent('李')}`]] as const) {
      const list = await who.get(`/api/members?status=all&limit=200${filter}`);
      expect(list.statusCode, list.body).toBe(200);
      expect(list.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(list.headers['cache-control']).toBe('no-store');
      const summary = (await who.get(`/api/members?status=all&limit=200&view=summary${filter}`)).json().items as Array<Record<string, unknown>>;
      const items = list.json().items as Array<Record<string, unknown> & { id: number }>;
      expect(summary.map((m) => m.id)).toEqual(items.map((m) => m.id));
      for (const [i, item] of items.entries()) {
        const detail = (await who.get(`/api/members/${item.id}`)).json() as Record<string, unknown>;
        expect(item).toStrictEqual(detail);
        expect(summary[i]).toStrictEqual(Object.fromEntries(['id', 'memberNo', 'name', 'maskedIdNumber', 'maskedPhone', 'birthDate', 'gender', 'orgId', 'orgName', 'status', 'joinedOn'].map((k) => [k, detail[k]])));
        compared += 1;
      }
      if (!filter.includes('q=')) expect(items.map((m) => m.id)).toEqual(expect.arrayContaining(ids));
    }
    expect(compared).toBeGreaterThan(20);
    const one = (await heping.get(`/api/members?status=all&orgId=${tree.hepingCompany}&limit=200`)).json().items as Array<Record<string, unknown>>;
    expect(one.find((m) => m.id === full.id)).toMatchObject({ groups: ['courier', 'new_employment'], ethnicity: '01', isMigrantWorker: true, endedOn: null });
    expect(one.find((m) => m.id === passport.id)).toMatchObject({ name: 'Anna·Lee', birthDate: null, gender: null, groups: [] });
    expect(one.find((m) => m.id === left.id)).toMatchObject({ status: 'withdrawn', endedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    expect(one.find((m) => m.id === retained.id)).toMatchObject({ status: 'retained' });
    expect(one[0]?.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('pages a large scope on the prepared walk exactly as the planner pages any scope, also when the walk runs out of budget', async () => {
    // more members in three unions, some of them leaving, so pages, statuses and cursors have something to cross;
    // a second union of 和平区 takes turns with the first, so a walk of the county's entries skips some
    const second = (await t.services.orgs.create(systemCaller(systemActor), {
      parentId: tree.heping, name: '和平区金桥物流有限公司工会委员会', level: 'grassroots', kind: 'grassroots', regionCode: '210102', creditCode: makeUnionCreditCode('1', '210102', 4242),
    })).id;
    for (let i = 0; i < 9; i++) {
      const orgId = [tree.hepingCompany, tree.zhongshanCompany, second][i % 3] ?? second;
      const m = (await province.post('/api/members', member(orgId, i % 3 === 2 ? { name: `欧${'一二三'.charAt(Math.floor(i / 3))}` } : {}))).json();
      expect(m.id, JSON.stringify(m)).toBeGreaterThan(0);
      if (i % 4 === 0) await province.post(`/api/members/${m.id}/leave`, { type: 'withdraw', reason: '调离本市' });
    }
    const deps = { db: t.db.db, pii: createPiiCipher(TEST_PII_KEY), orgs: t.services.orgs, dictionaries: t.services.dictionaries };
    // below a county (one union of 和平区) the walk reads the county's entries and keeps the union's
    const walk = createMemberService({ ...deps, walkShare: 0, initialWalkShare: 0, countyWalkShare: 0 });
    const planned = createMemberService({ ...deps, plans: new Set(['planned']) }); // every page an ordinary query, planned for its values
    // walks that may read only two index entries: pages come back short and are planned instead
    const tight = createMemberService({ ...deps, walkShare: 0, walkBudget: 2, initialWalkShare: 0, countyWalkShare: 0, countyWalkBudget: 2 });
    const orgs = await t.db.db.selectFrom('org').select(['id', 'path']).where('id', 'in', [tree.province, tree.heping, tree.zhongshan, tree.hepingCompany]).execute();
    const pathOf = (id: number) => orgs.find((o) => o.id === id)?.path ?? '';
    const actor = { userId: null, username: null, requestId: 'test', ip: '127.0.0.1' };
    const callerOf = (...paths: string[]) => officerCaller(actor, paths.map((orgPath) => ({ role: 'admin', orgPath, orgId: 0, orgName: '' })), 'member.read', '/1/');
    const callers = [callerOf(pathOf(tree.province)), callerOf(pathOf(tree.heping), pathOf(tree.zhongshan)), callerOf(pathOf(tree.heping))];
    const scopes = callers.map((c) => c.scope);
    // a county (four path segments under the national root) reads the county index; the others do not
    expect(scopes.map((s) => isCountyScope(s, 4))).toEqual([false, false, true]);
    const companyCaller = callerOf(pathOf(tree.hepingCompany));
    const company = companyCaller.scope;
    const asCaller = (scope: (typeof scopes)[number]) => [...callers, companyCaller].find((c) => c.scope === scope) ?? companyCaller;
    expect(isCountyScope(company, 4)).toBe(false);
    expect([...scopes, company].map((s) => countyHeadOf(s, 4))).toEqual([null, null, pathOf(tree.heping), pathOf(tree.heping)]);
    /** Every id a search gives, one page of one at a time, following the cursor. */
    const searched = async (svc: typeof walk, scope: (typeof scopes)[number], status: 'current' | 'all', q: string) => {
      const ids: number[] = [];
      let cursor: string | undefined;
      do {
        const r = await svc.list(asCaller(scope), { status, view: 'summary', limit: 1, q, ...(cursor ? { cursor } : {}) });
        ids.push(...r.items.map((m) => m.id));
        cursor = r.nextCursor ?? undefined;
      } while (cursor);
      return ids;
    };
    let compared = 0;
    for (const scope of scopes) {
      for (const status of ['current', 'active', 'all'] as const) {
        for (const view of ['full', 'summary'] as const) {
          for (const orgId of [undefined, tree.heping, tree.hepingCompany]) {
            const pages = async (svc: typeof walk) => {
              const out: unknown[] = [];
              let cursor: string | undefined;
              do {
                const r = await svc.list(asCaller(scope), { status, view, limit: 3, ...(orgId ? { orgId } : {}), ...(cursor ? { cursor } : {}) });
                out.push(r.items);
                cursor = r.nextCursor ?? undefined;
              } while (cursor);
              return out;
            };
            const a = await pages(walk);
            expect(a).toEqual(await pages(planned));
            expect(a).toEqual(await pages(tight));
            compared += a.flat().length;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(50);
    // exact searches always run prepared: the last four and a full ID page through exactly the truth
    const last4 = idNumber.slice(-4);
    for (const scope of scopes) {
      for (const status of ['current', 'all'] as const) {
        const truth = (await t.db.db.selectFrom('membership').select('id').where('id_last4', '=', last4)
          .where((eb) => eb.or(scope.paths.map((p) => eb('org_path', 'like', `${p}%`))))
          .$if(status === 'current', (qb) => qb.where('status', 'in', ['active', 'retained'])).orderBy('id', 'desc').execute()).map((r) => r.id);
        const got = await searched(walk, scope, status, last4);
        expect(got).toEqual(truth);
        expect(got).toContain(target.id);
        expect((await planned.list(asCaller(scope), { status, view: 'summary', q: idNumber })).items.map((m) => m.id)).toEqual([target.id]);
      }
    }
    // a one-character search (a surname) pages through exactly the truth: in a county (its own index), in the
    // province (walking that character's entries newest first), in two counties (planned) and in one union
    // of a county (the index led by the first character and the union path), also when walks run short
    for (const scope of [...scopes, company]) {
      for (const status of ['current', 'all'] as const) {
        const truth = (await t.db.db.selectFrom('membership').select('id').where(sql<boolean>`left(name, 1) = '欧'`)
          .where((eb) => eb.or(scope.paths.map((p) => eb('org_path', 'like', `${p}%`))))
          .$if(status === 'current', (qb) => qb.where('status', 'in', ['active', 'retained'])).orderBy('id', 'desc').execute()).map((r) => r.id);
        const got = await searched(walk, scope, status, '欧');
        expect(got).toEqual(truth);
        expect(got).toContain(target.id);
        expect(await searched(tight, scope, status, '欧')).toEqual(truth);
      }
    }
  });

  it('hides members of another county (404, absent from lists and searches)', async () => {
    expect((await zhongshan.get(`/api/members/${target.id}`)).statusCode).toBe(404);
    expect((await zhongshan.get(`/api/members/${target.id}/history`)).statusCode).toBe(404);
    expect((await zhongshan.get(`/api/members/${target.id}/card`)).statusCode).toBe(404);
    expect((await zhongshan.patch(`/api/members/${target.id}`, { version: 1, name: '改名' })).statusCode).toBe(404);
    expect((await zhongshan.post(`/api/members/${target.id}/reveal`, { field: 'idNumber', reason: '核对身份' })).statusCode).toBe(404);
    expect((await zhongshan.post(`/api/members/${target.id}/leave`, { type: 'withdraw', reason: '测试越权' })).statusCode).toBe(404);
    expect((await zhongshan.get(`/api/members?q=${idNumber}`)).json().items).toEqual([]);
    expect((await zhongshan.get(`/api/members?orgId=${tree.hepingCompany}`)).statusCode).toBe(404);
    expect((await zhongshan.post('/api/members', member(tree.hepingCompany))).statusCode).toBe(404);
  });

  it('reveals a full number only with a reason, audited without the value; viewers cannot', async () => {
    expect((await viewer.post(`/api/members/${target.id}/reveal`, { field: 'idNumber', reason: '核对身份' })).statusCode).toBe(403);
    expect((await viewer.get(`/api/members/${target.id}`)).json().maskedIdNumber).toContain('****');
    const res = await heping.post(`/api/members/${target.id}/reveal`, { field: 'idNumber', reason: '办理困难帮扶核对身份' });
    expect(res.json()).toEqual({ field: 'idNumber', value: idNumber });
    const audit = await t.db.db.selectFrom('audit_log').selectAll().where('action', '=', 'member.reveal').execute();
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).toContain('办理困难帮扶核对身份');
    expect(JSON.stringify(audit)).not.toContain(idNumber);
    expect((await heping.post(`/api/members/${target.id}/reveal`, { field: 'phone' })).statusCode).toBe(400);
  });

  it('edits details with a version check', async () => {
    const m = (await heping.get(`/api/members/${target.id}`)).json();
    const res = await heping.patch(`/api/members/${target.id}`, { version: m.version, phone: '13600000001', education: '20' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ maskedPhone: '136****0001', education: '20' });
    expect((await heping.patch(`/api/members/${target.id}`, { version: m.version, education: '30' })).statusCode).toBe(409);
    expect((await heping.patch(`/api/members/${target.id}`, { version: m.version + 1, phone: '10086' })).statusCode).toBe(400);
  });
});

describe('leaving (保留 / 除名 / 退会)', () => {
  it('records each change and refuses illegal moves', async () => {
    const m = (await heping.post('/api/members', member(tree.hepingCompany))).json();
    const r1 = await heping.post(`/api/members/${m.id}/leave`, { type: 'retain', reason: '下岗待岗，保留会籍', reasonCode: '2' });
    expect(r1.json()).toMatchObject({ status: 'retained' });
    expect((await heping.post(`/api/members/${m.id}/leave`, { type: 'retain', reason: '再次保留' })).statusCode).toBe(409);
    const r2 = await heping.post(`/api/members/${m.id}/leave`, { type: 'withdraw', reason: '本人申请退会', reasonCode: '5' });
    expect(r2.json()).toMatchObject({ status: 'withdrawn' });
    expect(r2.json().endedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const h = (await heping.get(`/api/members/${m.id}/history`)).json();
    expect(h.map((x: { changeType: string }) => x.changeType)).toEqual(['1', '3', '6']);
    expect((await heping.get(`/api/members?status=withdrawn`)).json().items.map((x: { id: number }) => x.id)).toContain(m.id);
    expect((await heping.get(`/api/members`)).json().items.map((x: { id: number }) => x.id)).not.toContain(m.id);
    // a person who left may join again, keeping the member number
    const again = await zhongshan.post('/api/members', { ...member(tree.zhongshanCompany), idNumber: (await heping.post(`/api/members/${m.id}/reveal`, { field: 'idNumber', reason: '重新入会核对' })).json().value });
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json().memberNo).toBe(m.memberNo);
  });
});

describe('member card', () => {
  it('gives a signed, expiring QR token that verifies without PII', async () => {
    const m = (await heping.post('/api/members', member(tree.hepingCompany, { name: '赵卫东' }))).json();
    const card = (await heping.get(`/api/members/${m.id}/card`)).json();
    expect(card).toMatchObject({ memberNo: m.memberNo, name: '赵卫东', orgName: '和平区恒通物流有限公司工会委员会' });
    expect(card.qr).toMatch(/^data:image\/png;base64,/);
    const ok = await t.app.inject({ method: 'GET', url: `/api/cards/verify?token=${encodeURIComponent(card.token)}` });
    expect(ok.json()).toMatchObject({ valid: true, name: '赵**', orgName: '和平区恒通物流有限公司工会委员会' });
    expect(ok.body).not.toMatch(/\d{6}\*+|139/);
    const forged = card.token.replace(/^\d+/, String(m.id + 1));
    expect((await t.app.inject({ method: 'GET', url: `/api/cards/verify?token=${encodeURIComponent(forged)}` })).json()).toMatchObject({ valid: false });
    const later = createMemberService({ db: t.db.db, pii: createPiiCipher(TEST_PII_KEY), orgs: t.services.orgs, dictionaries: t.services.dictionaries, now: () => new Date(Date.now() + 11 * 60_000) });
    expect(await later.verifyCard(card.token)).toMatchObject({ valid: false, reason: expect.stringContaining('过期') });
    await heping.post(`/api/members/${m.id}/leave`, { type: 'expel', reason: '因犯罪被开除会籍', reasonCode: '6' });
    expect((await t.app.inject({ method: 'GET', url: `/api/cards/verify?token=${encodeURIComponent(card.token)}` })).json()).toMatchObject({ valid: false });
  });
});

describe('12351 caller who is a member', () => {
  it('links the work order to the membership', async () => {
    const body = member(tree.hepingCompany);
    const m = (await heping.post('/api/members', body)).json();
    const agent = await login(t.app, 'agent');
    const tk = await agent.post('/api/hotline/tickets', {
      channel: 'phone', caller: { name: '李建国', phone: body.phone, idNumber: body.idNumber }, category: 'wage_arrears', content: '公司拖欠两个月工资', regionCode: '210102', difficulty: 'general',
    });
    expect(tk.statusCode, tk.body).toBe(201);
    expect(tk.json().memberId).toBe(m.id);
    const stranger = await agent.post('/api/hotline/tickets', {
      channel: 'phone', caller: { name: '路人甲', phone: '13512345678', idNumber: residentId(999) }, category: 'other', content: '咨询入会', regionCode: '210102', difficulty: 'general',
    });
    expect(stranger.json().memberId).toBeNull();
  });
});
