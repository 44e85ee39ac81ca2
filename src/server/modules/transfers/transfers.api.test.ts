import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeTestApp, makeTree, type Session, type TestApp, type Tree } from '../../../../test/helpers/app.js';
import { mobile, residentId } from '../../../../test/helpers/ids.js';

let t: TestApp;
let tree: Tree;
let heping: Session;
let zhongshan: Session;
let province: Session;
let seq = 600;

const newMember = async (s: Session, orgId: number) => {
  seq += 1;
  const body = { orgId, name: '孙立新', idType: 'resident_id', idNumber: residentId(seq % 1000, '210102', `19${70 + (seq % 30)}0101`), phone: mobile(seq) };
  const res = await s.post('/api/members', body);
  if (res.statusCode !== 201) throw new Error(res.body);
  return { ...(res.json() as { id: number; memberNo: string }), idNumber: body.idNumber, phone: body.phone };
};
const stats = async (s: Session, orgId: number) => (await s.get(`/api/orgs/${orgId}/stats`)).json() as { memberCount: number; directMemberCount: number; newMembersThisYear: number; retainedCount: number };

beforeAll(async () => {
  t = await makeTestApp();
  tree = await makeTree(t);
  heping = await login(t.app, 'heping_officer');
  zhongshan = await login(t.app, 'zhongshan_officer');
  province = await login(t.app, 'province');
});
afterAll(async () => { await t.close(); });

describe('transfer (转会) between cities', () => {
  it('new union starts by ID number, old union releases, new union accepts; counted in one union throughout', async () => {
    const m = await newMember(heping, tree.hepingCompany);
    const before = [await stats(province, tree.heping), await stats(province, tree.zhongshan), await stats(province, tree.province)];
    const tr = await zhongshan.post('/api/transfers', { idType: 'resident_id', idNumber: m.idNumber, toOrgId: tree.zhongshanCompany, reason: '调入大连远航软件工作' });
    expect(tr.statusCode, tr.body).toBe(202);
    // the new union learns nothing beyond "a request was sent": the same answer for a number that is no member's
    const stranger = await zhongshan.post('/api/transfers', { idType: 'resident_id', idNumber: residentId(999, '210202', '19661212'), toOrgId: tree.zhongshanCompany, reason: '调入大连远航软件工作' });
    expect(stranger.statusCode).toBe(202);
    expect(stranger.json()).toEqual(tr.json());
    expect(tr.json().message).toContain('发出转会请求');
    // asking again while the request is open: again the same answer, not a 409 that would confirm it
    const again = await zhongshan.post('/api/transfers', { idType: 'resident_id', idNumber: m.idNumber, toOrgId: tree.zhongshanCompany, reason: '重复发起' });
    expect([again.statusCode, again.json()]).toEqual([202, tr.json()]);
    // nor does its list show it before the old union lets go
    expect((await zhongshan.get('/api/transfers?direction=in')).json().items).toEqual([]);
    expect((await zhongshan.get('/api/transfers')).json().items).toEqual([]);
    // the old union sees the request in its queue
    const outList = (await heping.get('/api/transfers?direction=out')).json();
    expect(outList.items).toHaveLength(1);
    expect(outList.items[0]).toMatchObject({ status: 'requested', fromOrgId: tree.hepingCompany, toOrgId: tree.zhongshanCompany, abilities: ['release', 'reject'] });
    const id = outList.items[0].id;
    // the new union can neither release nor accept it, nor even see it
    expect((await zhongshan.post(`/api/transfers/${id}/release`)).statusCode).toBe(404);
    expect((await zhongshan.post(`/api/transfers/${id}/accept`)).statusCode).toBe(404);
    expect((await zhongshan.get(`/api/transfers/${id}`)).statusCode).toBe(404);
    // still counted in the old union
    expect((await stats(province, tree.heping)).memberCount).toBe(before[0]?.memberCount);
    expect((await heping.post(`/api/transfers/${id}/release`)).json().status).toBe('released');
    expect((await heping.post(`/api/transfers/${id}/accept`)).statusCode).toBe(403);
    expect((await stats(province, tree.heping)).memberCount).toBe(before[0]?.memberCount);
    const acc = await zhongshan.post(`/api/transfers/${id}/accept`);
    expect(acc.statusCode, acc.body).toBe(200);
    const newId = acc.json().newMemberId;
    expect((await stats(province, tree.heping)).memberCount).toBe((before[0]?.memberCount ?? 0) - 1);
    expect((await stats(province, tree.zhongshan)).memberCount).toBe((before[1]?.memberCount ?? 0) + 1);
    expect((await stats(province, tree.province)).memberCount).toBe(before[2]?.memberCount);
    // history on both sides
    const newSide = (await zhongshan.get(`/api/members/${newId}/history`)).json();
    expect(newSide.map((h: { changeType: string }) => h.changeType)).toEqual(['1', '4', '2']);
    expect(newSide[2]).toMatchObject({ orgName: '中山区远航软件有限公司工会委员会', relatedOrgName: '和平区恒通物流有限公司工会委员会' });
    const old = (await heping.get(`/api/members/${m.id}`)).json();
    expect(old).toMatchObject({ status: 'transferred', endedOn: expect.any(String) });
    // the former union reads the history as it was when the membership ended: not the new union's 转入, nor its officers' names
    const oldSide = (await heping.get(`/api/members/${m.id}/history`)).json() as Array<{ changeType: string; actorName: string | null }>;
    expect(oldSide.map((h) => h.changeType)).toEqual(['1', '4']);
    expect(newSide.map((h: { actorName: string | null }) => h.actorName)).toEqual([null, null, 'zhongshan_officer']);
    // the transfer's own timeline: asked for, let go, taken in
    const done = (await zhongshan.get(`/api/transfers/${id}`)).json();
    expect(done.events.map((e: { action: string; toStatus: string }) => `${e.action}:${e.toStatus}`)).toEqual(['request:requested', 'release:released', 'accept:accepted']);
    expect(done.events[1]).toMatchObject({ fromStatus: 'requested', orgName: '和平区总工会', actorName: 'heping_officer' }); // the union that acted
    expect(done.abilities).toEqual([]);
    const moved = (await zhongshan.get(`/api/members/${newId}`)).json();
    expect(moved).toMatchObject({ memberNo: m.memberNo, status: 'active', channel: 'transfer' });
    expect((await heping.get(`/api/members/${newId}`)).statusCode).toBe(404);
    // the new union updates the person; the former union keeps reading the membership as it ended
    const edited = await zhongshan.patch(`/api/members/${newId}`, { name: '孙新名', phone: '13611112222', education: '20', version: moved.version });
    expect(edited.statusCode, edited.body).toBe(200);
    const formerView = (await heping.get(`/api/members/${m.id}`)).json();
    expect(formerView).toMatchObject({ name: old.name, maskedPhone: old.maskedPhone, education: old.education });
    const revealed = (await heping.post(`/api/members/${m.id}/reveal`, { field: 'phone', reason: '核对原会籍' })).json();
    expect(revealed.value).toBe(m.phone);
    expect((await heping.get(`/api/members?q=${encodeURIComponent('孙新名')}&status=transferred`)).json().items).toEqual([]);
    expect((await heping.get(`/api/members?status=transferred&view=summary`)).json().items.find((i: { id: number }) => i.id === m.id)).toMatchObject({ name: old.name, maskedPhone: old.maskedPhone });
    expect((await zhongshan.get(`/api/members/${newId}`)).json()).toMatchObject({ name: '孙新名', maskedPhone: '136****2222' });
  });

  it('the old union starting it releases at once; either side may reject; outsiders see nothing', async () => {
    const m = await newMember(heping, tree.hepingCompany);
    const tr = (await heping.post('/api/transfers', { memberId: m.id, toOrgId: tree.zhongshanCompany, reason: '工作调动' })).json();
    expect(tr.status).toBe('released');
    const shenhe = await t.services.users.create((await import('../../platform/caller.js')).systemCaller((await import('../../platform/audit.js')).systemActor),
      { username: 'shenhe_officer', name: '沈河', password: 'Officer@Test2026', roles: [{ orgId: tree.shenhe, role: 'officer' }] });
    expect(shenhe.id).toBeGreaterThan(0);
    const outsider = await login(t.app, 'shenhe_officer');
    expect((await outsider.get(`/api/transfers/${tr.id}`)).statusCode).toBe(404);
    expect((await outsider.post(`/api/transfers/${tr.id}/reject`, { reason: '越权' })).statusCode).toBe(404);
    expect((await outsider.post('/api/transfers', { memberId: m.id, toOrgId: tree.shenhe, reason: '越权' })).statusCode).toBe(404);
    const rej = await zhongshan.post(`/api/transfers/${tr.id}/reject`, { reason: '本单位未录用' });
    expect(rej.json()).toMatchObject({ status: 'rejected', rejectReason: '本单位未录用' });
    expect((await zhongshan.post(`/api/transfers/${tr.id}/accept`)).statusCode).toBe(409);
    expect((await heping.get(`/api/members/${m.id}`)).json().status).toBe('active');
    expect((await heping.post('/api/transfers', { memberId: m.id, toOrgId: tree.hepingCompany, reason: '同一工会' })).statusCode).toBe(422);
    expect((await zhongshan.post('/api/transfers', { idType: 'resident_id', idNumber: residentId(998), toOrgId: tree.zhongshanCompany, reason: '不是会员' })).statusCode).toBe(202);
  });
});

describe('races', () => {
  it('a transfer accepted while the member is expelled: one 200 and one 409, never a deadlock', async () => {
    const outcomes: string[] = [];
    for (let i = 0; i < 8; i++) {
      const m = await newMember(heping, tree.hepingCompany);
      const tr = await heping.post('/api/transfers', { memberId: m.id, toOrgId: tree.zhongshanCompany, reason: '调动' });
      expect(tr.statusCode, tr.body).toBe(201);
      const [acc, exp] = await Promise.all([
        zhongshan.post(`/api/transfers/${tr.json().id}/accept`),
        heping.post(`/api/members/${m.id}/leave`, { type: 'expel', reason: '严重违纪', reasonCode: '6' }),
      ]);
      expect([acc.statusCode, exp.statusCode].sort(), `${acc.body} ${exp.body}`).toEqual([200, 409]);
      outcomes.push(acc.statusCode === 200 ? 'accepted' : 'expelled');
      // exactly one current membership, or none when the expulsion won
      const current = await sql<{ n: number }>`select count(*)::int as n from membership m join person p on p.id = m.person_id where p.member_no = ${m.memberNo} and m.status in ('active', 'retained')`.execute(t.db.db);
      expect(current.rows[0]?.n).toBe(acc.statusCode === 200 ? 1 : 0);
    }
    expect(outcomes).toHaveLength(8);
  });

  it('closes the open transfer of a member who withdraws (退会), in the same transaction', async () => {
    const m = await newMember(heping, tree.hepingCompany);
    const tr = (await heping.post('/api/transfers', { memberId: m.id, toOrgId: tree.zhongshanCompany, reason: '调动' })).json();
    expect(tr.status).toBe('released');
    expect((await heping.post(`/api/members/${m.id}/leave`, { type: 'withdraw', reason: '本人申请退会', reasonCode: '5' })).statusCode).toBe(200);
    expect((await heping.get(`/api/transfers/${tr.id}`)).json()).toMatchObject({ status: 'rejected', rejectReason: '会籍已终止', abilities: [] });
    const acc = await zhongshan.post(`/api/transfers/${tr.id}/accept`);
    expect([acc.statusCode, acc.json().error.code]).toEqual([409, 'TRANSFER_STATE_CONFLICT']);
  });
});

describe('counters', () => {
  it('equal COUNT(*) of active memberships in every subtree after a randomized sequence of operations', async () => {
    let rnd = 20261122;
    // an LCG's high bits (its low bits cycle: `rnd % 6` never came out 3, so no transfer ever ran)
    const rand = (n: number) => { rnd = (Math.imul(rnd, 1103515245) + 12345) >>> 1; return Math.floor((rnd / 2 ** 31) * n); };
    const admin = await login(t.app, 'province');
    const grassroots = [tree.hepingCompany, tree.zhongshanCompany];
    // two more grassroots unions so that moves and transfers have somewhere to go
    for (const [parent, name, region] of [[tree.shenhe, '沈河区北方重工工会委员会', '210103'], [tree.zhongshan, '中山区港湾物流工会委员会', '210202']] as const) {
      const res = await admin.post('/api/orgs', { parentId: parent, name, level: 'grassroots', kind: 'grassroots', regionCode: region });
      expect(res.statusCode, res.body).toBe(201);
      grassroots.push(res.json().id);
    }
    const members: number[] = [];
    // what succeeded, by kind: the sequence must really exercise each (a failed operation is not silently skipped)
    const done = { enrol: 0, leave: 0, transfer: 0, move: 0, approve: 0 };
    for (let step = 0; step < 120; step++) {
      const op = rand(6);
      if (op <= 1 || members.length < 3) {
        members.push((await newMember(admin, grassroots[rand(grassroots.length)] ?? tree.hepingCompany)).id);
        done.enrol += 1;
      } else if (op === 2) {
        const id = members[rand(members.length)] ?? 0;
        const res = await admin.post(`/api/members/${id}/leave`, { type: (['retain', 'expel', 'withdraw'] as const)[rand(3)], reason: '随机操作' });
        expect([200, 409, 422], res.body).toContain(res.statusCode); // 409/422: that membership already ended
        if (res.statusCode === 200) done.leave += 1;
      } else if (op === 3) {
        const id = members[rand(members.length)] ?? 0;
        const tr = await admin.post('/api/transfers', { memberId: id, toOrgId: grassroots[rand(grassroots.length)], reason: '随机转会' });
        expect([201, 409, 422], tr.body).toContain(tr.statusCode); // an ended membership, the same union, an open transfer
        if (tr.statusCode === 201) {
          const acc = await admin.post(`/api/transfers/${tr.json().id}/accept`);
          expect(acc.statusCode, acc.body).toBe(200);
          members.push(acc.json().newMemberId);
          done.transfer += 1;
        }
      } else if (op === 4) {
        // move a grassroots union under another county (subtree move)
        const g = grassroots[rand(grassroots.length)] ?? 0;
        const target = [tree.heping, tree.shenhe][rand(2)] ?? tree.heping;
        const res = await admin.post(`/api/orgs/${g}/move`, { newParentId: target });
        expect([200, 422]).toContain(res.statusCode);
        if (res.statusCode === 200) done.move += 1;
      } else {
        const sub = await t.app.inject({ method: 'POST', url: '/api/join-applications', remoteAddress: `10.7.0.${step}`, payload: { orgId: grassroots[rand(grassroots.length)], name: '周小川', idType: 'resident_id', idNumber: residentId(step, '210202', '19880808'), phone: mobile(7000 + step) } });
        expect(sub.statusCode, sub.body).toBe(201);
        const app = (await admin.get('/api/join-applications?status=pending')).json().items[0];
        const res = await admin.post(`/api/join-applications/${app.id}/approve`);
        expect(res.statusCode, res.body).toBe(200);
        members.push(res.json().memberId);
        done.approve += 1;
      }
    }
    for (const [kind, n] of Object.entries(done)) expect(n, kind).toBeGreaterThanOrEqual(kind === 'move' ? 3 : 5);
    const orgs = await t.db.db.selectFrom('org').select(['id', 'path']).execute();
    const year = new Date().getFullYear();
    for (const o of orgs) {
      const real = await sql<{ n: number; direct: number; fresh: number; retained: number }>`
        select count(*) filter (where m.status = 'active')::int as n,
               count(*) filter (where m.status = 'active' and m.org_id = ${o.id})::int as direct,
               count(*) filter (where m.status = 'active' and extract(year from m.joined_on) = ${year})::int as fresh,
               count(*) filter (where m.status = 'retained')::int as retained
        from membership m join org g on g.id = m.org_id where g.path like ${`${o.path}%`}`.execute(t.db.db);
      const s = await stats(admin, o.id);
      if (s.memberCount === undefined) continue; // outside the province admin's scope (the root)
      expect({ org: o.id, memberCount: s.memberCount, directMemberCount: s.directMemberCount, newMembersThisYear: s.newMembersThisYear, retainedCount: s.retainedCount })
        .toEqual({ org: o.id, memberCount: real.rows[0]?.n, directMemberCount: real.rows[0]?.direct, newMembersThisYear: real.rows[0]?.fresh, retainedCount: real.rows[0]?.retained });
    }
    const total = await stats(admin, tree.province);
    expect(total.memberCount).toBeGreaterThan(10);
  });
});
