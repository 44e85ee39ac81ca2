import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeTestApp, makeTree, type Session, type TestApp, type Tree } from '../../../../test/helpers/app.js';
import { mobile, residentId } from '../../../../test/helpers/ids.js';

let t: TestApp;
let tree: Tree;
let heping: Session;
let zhongshan: Session;
let ip = 0;
let seq = 400;

const submit = (body: Record<string, unknown>) => {
  ip += 1;
  return t.app.inject({ method: 'POST', url: '/api/join-applications', remoteAddress: `10.9.${Math.floor(ip / 200)}.${ip % 200}`, payload: body });
};
const application = (orgId: number, over: Record<string, unknown> = {}) => {
  seq += 1;
  return { orgId, name: '陈晓东', idType: 'resident_id', idNumber: residentId(seq, '210202', '19950505'), phone: mobile(seq), employer: '顺丰速运沈阳分公司', occupation: '快递员', groups: ['courier'], channel: 'qr', ...over };
};
const status = (applicationNo: string, phone: string) =>
  t.app.inject({ method: 'GET', url: `/api/join-applications/status?applicationNo=${applicationNo}&phone=${phone}` });

beforeAll(async () => {
  t = await makeTestApp();
  tree = await makeTree(t);
  heping = await login(t.app, 'heping_officer');
  zhongshan = await login(t.app, 'zhongshan_officer');
});
afterAll(async () => { await t.close(); });

describe('joining online (网上入会 / 扫码入会)', () => {
  it('submit → status → approve creates the membership; a second decision is 409', async () => {
    const body = application(tree.hepingCompany);
    const res = await submit(body);
    expect(res.statusCode, res.body).toBe(201);
    const { applicationNo } = res.json();
    expect(applicationNo).toMatch(/^\d{16}$/);
    expect((await status(applicationNo, body.phone)).json()).toMatchObject({ status: 'pending', statusLabel: '待审核', orgName: '和平区恒通物流有限公司工会委员会' });
    expect((await status(applicationNo, '13000000000')).statusCode).toBe(404);

    const list = (await heping.get('/api/join-applications?status=pending')).json();
    const app = list.items.find((a: { applicationNo: string }) => a.applicationNo === applicationNo);
    expect(app).toMatchObject({ name: '陈晓东', maskedPhone: expect.stringContaining('****'), groups: ['courier'], status: 'pending' });
    expect(JSON.stringify(list)).not.toContain(body.idNumber);
    // another county cannot see or decide it
    expect((await zhongshan.get(`/api/join-applications/${app.id}`)).statusCode).toBe(404);
    expect((await zhongshan.post(`/api/join-applications/${app.id}/approve`)).statusCode).toBe(404);
    expect((await zhongshan.get('/api/join-applications')).json().items).toEqual([]);

    // two officers decide at once: exactly one wins
    const other = await login(t.app, 'heping');
    const [a, b] = await Promise.all([heping.post(`/api/join-applications/${app.id}/approve`), other.post(`/api/join-applications/${app.id}/reject`, { reason: '材料不全' })]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const after = (await heping.get(`/api/join-applications/${app.id}`)).json();
    if (a.statusCode === 200) {
      expect(after).toMatchObject({ status: 'approved', memberId: expect.any(Number) });
      const m = (await heping.get(`/api/members/${after.memberId}`)).json();
      expect(m).toMatchObject({ name: '陈晓东', orgId: tree.hepingCompany, channel: 'qr', status: 'active', groups: ['courier'] });
      expect((await status(applicationNo, body.phone)).json().status).toBe('approved');
      // the worker sees the card with application number + phone
      const card = await t.app.inject({ method: 'POST', url: '/api/cards/mine', payload: { applicationNo, phone: body.phone } });
      expect(card.statusCode, card.body).toBe(200);
      expect(card.json()).toMatchObject({ name: '陈晓东', memberNo: m.memberNo });
      expect((await t.app.inject({ method: 'POST', url: '/api/cards/mine', payload: { applicationNo, phone: '13000000000' } })).statusCode).toBe(404);
    } else {
      expect(after.status).toBe('rejected');
    }
    expect((await heping.post(`/api/join-applications/${app.id}/approve`)).statusCode).toBe(409);
    expect((await heping.post(`/api/join-applications/${app.id}/reject`, { reason: '重复处理' })).json().error.code).toBe('APPLICATION_DECIDED');
  });

  it('answers an existing member exactly like anyone else, telling what a member should do; officers see the flag', async () => {
    const body = application(tree.hepingCompany);
    const m = await heping.post('/api/members', { orgId: tree.hepingCompany, name: body.name, idType: body.idType, idNumber: body.idNumber, phone: body.phone });
    expect(m.statusCode).toBe(201);
    const stranger = await submit(application(tree.zhongshanCompany));
    const elsewhere = await submit({ ...body, orgId: tree.zhongshanCompany });
    const here = await submit(body);
    // the public answer tells nothing about membership: same status and shape, member or not
    const shape = (r: typeof stranger) => ({ status: r.statusCode, keys: Object.keys(r.json()).sort(), message: r.json().message, state: r.json().status });
    expect(shape(elsewhere)).toEqual(shape(stranger));
    expect({ ...shape(here), keys: shape(here).keys }).toEqual({ ...shape(stranger) });
    expect(stranger.json().message).toContain('办理转会');
    expect(elsewhere.body).not.toContain('恒通');
    // the union's officers see that the applicant already is a member (a transfer, not a new membership)
    const zs = (await zhongshan.get('/api/join-applications?status=pending')).json().items as Array<{ applicationNo: string; alreadyMember: boolean; id: number }>;
    expect(zs.find((a) => a.applicationNo === elsewhere.json().applicationNo)?.alreadyMember).toBe(true);
    expect(zs.find((a) => a.applicationNo === stranger.json().applicationNo)?.alreadyMember).toBe(false);
    const approve = await zhongshan.post(`/api/join-applications/${zs.find((a) => a.applicationNo === elsewhere.json().applicationNo)?.id}/approve`);
    expect(approve.statusCode).toBe(422);
    expect(approve.json().error.code).toBe('ALREADY_MEMBER');

    const fresh = application(tree.shenhe);
    expect((await submit(fresh)).statusCode).toBe(201);
    const dup = await submit(fresh);
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('APPLICATION_PENDING');
  });

  it.each([
    [{ idNumber: '210202199505054011' }, 'idNumber'],
    [{ phone: '1234' }, 'phone'],
    [{ name: '' }, 'name'],
    [{ groups: ['pilot'] }, 'groups'],
    [{ orgId: undefined, orgCode: '91350100M000100Y44' }, 'orgCode'],
  ])('refuses bad input %j', async (over, field) => {
    const res = await submit(application(tree.hepingCompany, over));
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json().error.details)).toContain(field);
  });

  it('finds the union by credit code, 404 for an unknown union', async () => {
    const org = (await heping.get(`/api/orgs/${tree.hepingCompany}`)).json();
    const res = await submit({ ...application(0), orgId: undefined, orgCode: org.creditCode });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().orgName).toBe(org.name);
    expect((await submit(application(999999))).statusCode).toBe(404);
  });

  it('sends the actions the caller may take; a stale version is 409 and changes nothing', async () => {
    const { applicationNo } = (await submit(application(tree.hepingCompany))).json();
    const app = (await heping.get('/api/join-applications?status=pending')).json().items.find((a: { applicationNo: string }) => a.applicationNo === applicationNo);
    expect(app.abilities).toEqual(['approve', 'reject', 'forward']);
    const viewer = await login(t.app, 'heping_viewer');
    expect((await viewer.get(`/api/join-applications/${app.id}`)).json().abilities).toEqual([]);
    const stale = await heping.post(`/api/join-applications/${app.id}/reject`, { reason: '材料不全', version: app.version + 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({ code: 'VERSION_CONFLICT', details: { version: app.version, status: 'pending' } });
    expect((await heping.get(`/api/join-applications/${app.id}`)).json()).toMatchObject({ status: 'pending', version: app.version });
    const ok = await heping.post(`/api/join-applications/${app.id}/reject`, { reason: '材料不全', version: app.version });
    expect(ok.json()).toMatchObject({ status: 'rejected', abilities: [] });
    const again = await heping.post(`/api/join-applications/${app.id}/approve`);
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'APPLICATION_DECIDED', details: { status: 'rejected', statusLabel: '未通过' } });
    const audit = (await t.db.db.selectFrom('audit_log').select(['action', 'before', 'after']).where('entity_type', '=', 'join_application').where('entity_id', '=', String(app.id)).orderBy('id').execute());
    expect(audit.map((a) => a.action)).toEqual(['join.submit', 'join.reject']);
    expect(audit[1]).toMatchObject({ before: { status: 'pending' }, after: { status: 'rejected' } });
  });

  it('forwards (转办) to another union, which then decides', async () => {
    const body = application(tree.hepingCompany);
    const { applicationNo } = (await submit(body)).json();
    const app = (await heping.get('/api/join-applications?status=pending')).json().items.find((a: { applicationNo: string }) => a.applicationNo === applicationNo);
    expect((await heping.post(`/api/join-applications/${app.id}/forward`, { toOrgId: tree.hepingCompany, reason: '转给自己' })).statusCode).toBe(422);
    const fw = await heping.post(`/api/join-applications/${app.id}/forward`, { toOrgId: tree.zhongshanCompany, reason: '劳动关系在大连中山区' });
    expect(fw.statusCode, fw.body).toBe(200);
    expect(fw.json()).toMatchObject({ orgId: tree.zhongshanCompany, status: 'pending' });
    expect((await heping.get(`/api/join-applications/${app.id}`)).statusCode).toBe(404);
    const seen = (await zhongshan.get(`/api/join-applications/${app.id}`)).json();
    expect(seen.events.map((e: { action: string }) => e.action)).toEqual(['submit', 'forward']);
    const rej = await zhongshan.post(`/api/join-applications/${app.id}/reject`, { reason: '非本单位职工' });
    expect(rej.json()).toMatchObject({ status: 'rejected', rejectReason: '非本单位职工' });
    expect((await status(applicationNo, body.phone)).json()).toMatchObject({ status: 'rejected', statusLabel: '未通过', rejectReason: '非本单位职工' });
  });

  it('a former member who applies again keeps the member number and the details the form does not ask', async () => {
    const body = application(tree.hepingCompany);
    const m = (await heping.post('/api/members', { orgId: tree.hepingCompany, name: body.name, idType: body.idType, idNumber: body.idNumber, phone: body.phone, ethnicity: '03', education: '20' })).json();
    await heping.post(`/api/members/${m.id}/leave`, { type: 'withdraw', reason: '离职退会', reasonCode: '1' });
    const { applicationNo } = (await submit({ ...body, phone: '13600001111' })).json();
    const app = (await heping.get('/api/join-applications?status=pending')).json().items.find((a: { applicationNo: string }) => a.applicationNo === applicationNo);
    const approved = (await heping.post(`/api/join-applications/${app.id}/approve`)).json();
    const again = (await heping.get(`/api/members/${approved.memberId}`)).json();
    expect(again).toMatchObject({ memberNo: m.memberNo, ethnicity: '03', education: '20', maskedPhone: '136****1111', groups: ['courier'], status: 'active' });
    expect((await heping.get(`/api/members/${approved.memberId}/history`)).json().map((h: { changeType: string }) => h.changeType)).toEqual(['1', '6', '1']);
  });

  it('rate-limits submissions per address', async () => {
    const codes: number[] = [];
    let last: Awaited<ReturnType<typeof t.app.inject>> | undefined;
    for (let i = 0; i < 11; i++) {
      last = await t.app.inject({ method: 'POST', url: '/api/join-applications', remoteAddress: '10.200.0.1', payload: application(tree.hepingCompany) });
      codes.push(last.statusCode);
    }
    expect(codes.slice(0, 10).every((c) => c === 201)).toBe(true);
    expect(codes[10]).toBe(429);
    // Retry-After is what is left of the route's one-hour window, not a fixed minute
    const wait = Number(last?.headers['retry-after']);
    expect(wait).toBeGreaterThan(3000);
    expect(wait).toBeLessThanOrEqual(3600);
  });

  it('gives each union a QR code PNG of its join link, within scope', async () => {
    const res = await heping.get(`/api/orgs/${tree.hepingCompany}/join-qrcode`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.rawPayload.subarray(1, 4).toString()).toBe('PNG');
    expect((await zhongshan.get(`/api/orgs/${tree.hepingCompany}/join-qrcode`)).statusCode).toBe(404);
    const pub = await t.app.inject({ method: 'GET', url: `/api/join/orgs/${tree.hepingCompany}` });
    expect(pub.json()).toEqual({ id: tree.hepingCompany, name: '和平区恒通物流有限公司工会委员会' });
  });
});
