import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeTestApp, makeTree, type Session, type TestApp, type Tree } from '../../../../test/helpers/app.js';
import { systemActor } from '../../platform/audit.js';
import { systemCaller } from '../../platform/caller.js';
import type { ReviewDecision } from '../../platform/review.js';
import { nextReviewer } from '../../platform/review.js';

let t: TestApp;
let tree: Tree;
let clerk: Session; // the company union's officer who files the application
let company: Session; // another officer of the same union, who reviews it
let county: Session;
let city: Session;
let clerkId = 0;
const decided: ReviewDecision[] = [];
let nextEntity = 1;

/** A case of a test service, filed with the company union by the clerk: its review starts. */
async function file(over: { org?: number; submittedBy?: number | null } = {}) {
  const entityId = nextEntity++;
  const org = (await t.services.orgs.publicInfo({ id: over.org ?? tree.hepingCompany }))!;
  const stepId = await t.db.db.transaction().execute((trx) => t.services.reviews.start(trx, {
    entityType: 'test_case', entityId, provinceCode: '21', org: { id: org.id, path: org.path }, summary: `测试事项 ${entityId} 张*三`,
    submittedBy: over.submittedBy === undefined ? clerkId : over.submittedBy,
  }));
  return { entityId, stepId };
}
const pendingOf = async (s: Session, entityId: number) =>
  ((await s.get('/api/reviews?entityType=test_case&limit=200')).json().items as Array<{ id: number; entityId: number; seq: number; orgId: number; abilities: string[] }>).find((i) => i.entityId === entityId);

beforeAll(async () => {
  t = await makeTestApp();
  tree = await makeTree(t);
  t.services.reviews.register({
    entityType: 'test_case', label: '测试审核', permission: 'member.manage', top: () => 'city', deadline: 'working_days:3',
    onDecided: async (_trx, d) => { decided.push(d); },
  });
  const s = systemCaller(systemActor);
  for (const username of ['company_clerk', 'company_officer']) {
    const u = await t.services.users.create(s, { username, name: username, password: 'Officer@Test2026', roles: [{ orgId: tree.hepingCompany, role: 'officer' }] });
    if (username === 'company_clerk') clerkId = u.id;
  }
  await t.services.users.create(s, { username: 'shenhe_officer', name: '沈河', password: 'Officer@Test2026', roles: [{ orgId: tree.shenhe, role: 'officer' }] });
  clerk = await login(t.app, 'company_clerk');
  company = await login(t.app, 'company_officer');
  county = await login(t.app, 'heping_officer');
  city = await login(t.app, 'shenyang');
});
afterAll(async () => { await t.close(); });

describe('the review chain engine (逐级审核)', () => {
  it('stops at the configured level, and only at the levels named', () => {
    const up = [{ id: 3, level: 'county' }, { id: 2, level: 'city' }, { id: 1, level: 'province' }];
    expect(nextReviewer({ level: 'grassroots' }, up, 'city')?.id).toBe(3);
    expect(nextReviewer({ level: 'county' }, up.slice(1), 'city')?.id).toBe(2);
    expect(nextReviewer({ level: 'city' }, up.slice(2), 'city')).toBeNull();
    expect(nextReviewer({ level: 'grassroots' }, up, 'province', ['province'])?.id).toBe(1);
    expect(nextReviewer({ level: 'grassroots' }, [{ id: 9, level: 'street' }, ...up], 'county', ['county'])?.id).toBe(3);
    expect(nextReviewer({ level: 'grassroots' }, up, 'grassroots')).toBeNull();
  });

  it('goes grassroots → county → city, each level held by its own union, and ends at the top', async () => {
    const { entityId, stepId } = await file();
    const first = await pendingOf(company, entityId);
    expect(first).toMatchObject({ id: stepId, seq: 1, orgId: tree.hepingCompany, abilities: ['approve', 'return', 'reject', 'handover'] });
    // the deadline is 3 working days after the day it was filed, at the end of the day in Shanghai
    const detail = (await company.get(`/api/reviews/${stepId}`)).json();
    expect(detail.deadline).toMatch(/T15:59:59\.000Z$/);
    expect(detail.history).toHaveLength(1);
    // the clerk who filed it may not review it
    expect((await pendingOf(clerk, entityId))?.abilities).toEqual([]);
    expect((await clerk.post(`/api/reviews/${stepId}/approve`, {})).json().error.code).toBe('REVIEW_OWN_APPLICATION');
    // the county sees it below and cannot skip the level
    expect((await pendingOf(county, entityId))?.abilities).toEqual([]);
    const skip = await county.post(`/api/reviews/${stepId}/approve`, {});
    expect([skip.statusCode, skip.json().error.code]).toEqual([422, 'REVIEW_NOT_HOLDER']);
    // another county never sees it
    const zs = await login(t.app, 'zhongshan');
    expect((await zs.get(`/api/reviews/${stepId}`)).statusCode).toBe(404);
    expect((await zs.post(`/api/reviews/${stepId}/approve`, {})).statusCode).toBe(404);
    expect(await pendingOf(zs, entityId)).toBeUndefined();

    const a1 = await company.post(`/api/reviews/${stepId}/approve`, { note: '情况属实' });
    expect(a1.statusCode, a1.body).toBe(200);
    expect(a1.json()).toMatchObject({ status: 'approved', statusLabel: '审核通过', decidedByName: 'company_officer', abilities: [] });
    expect((await company.post(`/api/reviews/${stepId}/approve`, {})).json().error).toMatchObject({ code: 'REVIEW_STATE_CONFLICT', details: { status: 'approved' } });
    const second = (await pendingOf(county, entityId))!;
    expect(second).toMatchObject({ seq: 2, orgId: tree.heping, abilities: ['approve', 'return', 'reject', 'handover'] });
    // the county was told
    const notes = (await county.get('/api/notifications?unread=true')).json().items as Array<{ entityType: string; entityId: number; kind: string; message: string }>;
    expect(notes.find((n) => n.entityType === 'review_step' && n.entityId === second.id)).toMatchObject({ kind: 'review_pending', message: expect.stringContaining('测试审核待审核') });
    expect(decided.filter((d) => d.entityId === entityId)).toEqual([]);

    await county.post(`/api/reviews/${second.id}/approve`, {});
    const third = (await pendingOf(city, entityId))!;
    expect(third).toMatchObject({ seq: 3, orgId: tree.shenyang });
    const done = await city.post(`/api/reviews/${third.id}/approve`, {});
    expect(done.json().status).toBe('approved');
    // the city is the top: the chain ends and the module hears it once
    expect(decided.filter((d) => d.entityId === entityId)).toEqual([{ entityId, provinceCode: '21', outcome: 'approved', final: true, reason: null, orgId: tree.shenyang }]);
    expect(await pendingOf(await login(t.app, 'province'), entityId)).toBeUndefined();
    const hist = (await city.get(`/api/reviews/${third.id}`)).json().history as Array<{ seq: number; status: string; orgName: string }>;
    expect(hist.map((h) => `${h.seq}:${h.status}:${h.orgName}`)).toEqual(['1:approved:和平区恒通物流有限公司工会委员会', '2:approved:和平区总工会', '3:approved:沈阳市总工会']);
    const audit = await t.db.db.selectFrom('audit_log').select('action').where('entity_type', '=', 'review_step').where('entity_id', 'in', [String(stepId), String(second.id), String(third.id)]).execute();
    expect(audit.map((a) => a.action)).toEqual(['review.approve', 'review.approve', 'review.approve']);
  });

  it('退回补正 ends the round with a reason; the resubmission is a new round; 驳回 is final', async () => {
    const { entityId, stepId } = await file();
    expect((await company.post(`/api/reviews/${stepId}/return`, {})).statusCode).toBe(400);
    expect((await company.post(`/api/reviews/${stepId}/return`, { reason: '' })).statusCode).toBe(400);
    const r = await company.post(`/api/reviews/${stepId}/return`, { reason: '缺少收入证明' });
    expect(r.json()).toMatchObject({ status: 'returned', reason: '缺少收入证明' });
    expect(decided.filter((d) => d.entityId === entityId)).toMatchObject([{ outcome: 'returned', final: true, reason: '缺少收入证明' }]);
    const path = (await t.services.orgs.publicInfo({ id: tree.hepingCompany }))!.path;
    const again = await t.db.db.transaction().execute((trx) => t.services.reviews.start(trx, {
      entityType: 'test_case', entityId, provinceCode: '21', org: { id: tree.hepingCompany, path }, summary: '重新提交', submittedBy: clerkId,
    }));
    const round2 = (await company.get(`/api/reviews/${again}`)).json();
    expect(round2).toMatchObject({ round: 2, seq: 1, status: 'pending' });
    const rej = await company.post(`/api/reviews/${again}/reject`, { reason: '不符合条件' });
    expect(rej.json().status).toBe('rejected');
    expect(decided.filter((d) => d.entityId === entityId).map((d) => d.outcome)).toEqual(['returned', 'rejected']);
  });

  it('one pending step per entity; two officers deciding at once: one wins, one next step', async () => {
    const { entityId, stepId } = await file();
    await expect(t.db.db.transaction().execute((trx) => t.services.reviews.start(trx, {
      entityType: 'test_case', entityId, provinceCode: '21', org: { id: tree.hepingCompany, path: '/x/' }, summary: '重复', submittedBy: null,
    }))).rejects.toMatchObject({ code: 'REVIEW_PENDING' });
    const other = await login(t.app, 'company_officer');
    const [a, b] = await Promise.all([company.post(`/api/reviews/${stepId}/approve`, {}), other.post(`/api/reviews/${stepId}/reject`, { reason: '不符合条件' })]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const steps = await t.db.db.selectFrom('review_step').select(['status']).where('entity_type', '=', 'test_case').where('entity_id', '=', entityId).execute();
    expect(steps.filter((s) => s.status === 'pending').length).toBe(a.statusCode === 200 ? 1 : 0);
  });

  it('a stale version is 409 and changes nothing', async () => {
    const { stepId } = await file();
    const s = (await company.get(`/api/reviews/${stepId}`)).json();
    const stale = await company.post(`/api/reviews/${stepId}/approve`, { version: s.version + 1 });
    expect([stale.statusCode, stale.json().error.code]).toEqual([409, 'VERSION_CONFLICT']);
    expect((await company.get(`/api/reviews/${stepId}`)).json().status).toBe('pending');
    expect((await company.post(`/api/reviews/${stepId}/approve`, { version: s.version })).json().status).toBe('approved');
  });

  it('转办 hands the step to another union at the same level, whose parent reviews next', async () => {
    const { entityId } = await file();
    await company.post(`/api/reviews/${(await pendingOf(company, entityId))!.id}/approve`, {});
    const atCounty = (await pendingOf(county, entityId))!;
    expect((await county.post(`/api/reviews/${atCounty.id}/handover`, { orgId: tree.heping, reason: '转给自己' })).json().error.code).toBe('REVIEW_HANDOVER_INVALID');
    expect((await county.post(`/api/reviews/${atCounty.id}/handover`, { orgId: 2_000_000_000, reason: '不存在' })).statusCode).toBe(404);
    const h = await county.post(`/api/reviews/${atCounty.id}/handover`, { orgId: tree.shenhe, reason: '户籍在沈河区' });
    expect(h.json()).toMatchObject({ status: 'handed_over', handedToOrgId: tree.shenhe });
    const shenhe = await login(t.app, 'shenhe_officer');
    const there = (await pendingOf(shenhe, entityId))!;
    expect(there).toMatchObject({ seq: 2, orgId: tree.shenhe, abilities: ['approve', 'return', 'reject', 'handover'] });
    await shenhe.post(`/api/reviews/${there.id}/approve`, {});
    expect(await pendingOf(city, entityId)).toMatchObject({ seq: 3, orgId: tree.shenyang });
  });

  it('an overdue step is marked 超期 and its union and parent told, once; it is never refused for the delay', async () => {
    const { entityId, stepId } = await file();
    await t.db.db.updateTable('review_step').set({ deadline: new Date(Date.now() - 60_000) }).where('id', '=', stepId).execute();
    expect(await t.services.reviews.sweepOverdue()).toBeGreaterThanOrEqual(1);
    expect(await t.services.reviews.sweepOverdue()).toBe(0);
    const s = (await company.get(`/api/reviews/${stepId}`)).json();
    expect(s).toMatchObject({ status: 'pending', overdue: true });
    expect((await company.get('/api/reviews?overdue=true&limit=200')).json().items.map((i: { id: number }) => i.id)).toContain(stepId);
    const told = await t.db.db.selectFrom('notification').select(['org_id']).where('entity_type', '=', 'review_step').where('entity_id', '=', stepId).where('kind', '=', 'review_overdue').execute();
    expect(told.map((n) => n.org_id).sort()).toEqual([tree.heping, tree.hepingCompany].sort());
    expect(decided.filter((d) => d.entityId === entityId)).toEqual([]);
  });

  it('a holiday change recomputes pending steps\' deadlines (the calendar registry)', async () => {
    const { stepId } = await file();
    const before = (await company.get(`/api/reviews/${stepId}`)).json().deadline as string;
    const admin = await login(t.app, 'admin', 'Chief#Test2026');
    const deadlineDay = new Date(new Date(before).getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    expect((await admin.put(`/api/calendar/days/${deadlineDay}`, { workday: false, name: '临时休假' })).statusCode).toBe(200);
    const after = (await company.get(`/api/reviews/${stepId}`)).json().deadline as string;
    expect(new Date(after).getTime()).toBeGreaterThan(new Date(before).getTime());
    await admin.put(`/api/calendar/days/${deadlineDay}`, { workday: true, name: null });
  });

  it('refuses bad queries and bodies with a Chinese reason, changing nothing', async () => {
    const { stepId } = await file();
    for (const q of ['entityType=DROP%20TABLE', 'overdue=maybe', 'limit=0', 'limit=100000', 'cursor=%%%', 'extra=1']) {
      const r = await company.get(`/api/reviews?${q}`);
      expect(r.statusCode, q).toBe(400);
      expect(r.json().error.message).toMatch(/[\u4e00-\u9fff]/);
    }
    for (const [action, body] of [['approve', { note: 'x'.repeat(1001) }], ['reject', { reason: 'x' }], ['handover', { reason: '转给别人' }], ['handover', { orgId: 'a', reason: '转给别人' }], ['approve', { version: 0 }]] as const) {
      expect((await company.post(`/api/reviews/${stepId}/${action}`, body)).statusCode, `${action} ${JSON.stringify(body)}`).toBe(400);
    }
    expect((await company.get('/api/reviews/abc')).statusCode).toBe(400);
    expect((await company.get(`/api/reviews/${stepId}`)).json()).toMatchObject({ status: 'pending', version: 1 });
  });

  it('an unsigned caller gets 401; a viewer sees the queue but may not decide', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/reviews' })).statusCode).toBe(401);
    const { entityId, stepId } = await file({ submittedBy: null });
    await company.post(`/api/reviews/${stepId}/approve`, {});
    const viewer = await login(t.app, 'heping_viewer');
    // member.manage is the chain's permission: a viewer holds none, so has no queue
    expect(await pendingOf(viewer, entityId)).toBeUndefined();
  });
});
