import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../platform/audit.js';
import { systemCaller } from '../../platform/caller.js';
import { login, makeTestApp, makeTree, type Session, type TestApp, type Tree } from '../../../../test/helpers/app.js';

let t: TestApp;
let tree: Tree;
let agent: Session;
let heping: Session;
let zhongshan: Session;
let street: number;

const call = (extra: Record<string, unknown> = {}) => ({
  channel: 'phone', caller: { name: '王师傅', phone: '138 0013 8000', idNumber: '11010519491231002X' }, category: 'wage_arrears',
  content: '工地拖欠三个月工资共 2.4 万元', employer: { name: '沈阳某建筑劳务有限公司', creditCode: '91350100M000100Y43' },
  regionCode: '210102', difficulty: 'difficult', ...extra,
});

async function ticketCount() {
  return Number((await t.db.db.selectFrom('hotline_ticket').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
}

beforeAll(async () => {
  t = await makeTestApp();
  tree = await makeTree(t);
  street = (await t.services.orgs.create(systemCaller(systemActor), { parentId: tree.heping, name: '新华街道总工会', level: 'street', kind: 'federation', regionCode: '210102' })).id;
  agent = await login(t.app, 'agent');
  heping = await login(t.app, 'heping_officer');
  zhongshan = await login(t.app, 'zhongshan_officer');
});
afterAll(async () => t?.close());

describe('intake', () => {
  it('an agent takes a call: working-day deadline, masked PII, encrypted at rest', async () => {
    const res = await agent.post('/api/hotline/tickets', call({ receivedAt: '2025-09-30T10:15:00+08:00' }));
    expect(res.statusCode).toBe(201);
    const tk = res.json();
    expect(tk).toMatchObject({ status: 'accepted', deadline: '2025-10-14T15:59:59.000Z', maskedPhone: '138****8000', maskedIdNumber: '110105********002X', handlingOrgId: tree.province });
    expect(tk.ticketNo).toMatch(/^20250930\d{6}$/);
    expect(res.body).not.toContain('13800138000');
    expect(res.body).not.toContain('11010519491231002X');
    const row = await t.db.db.selectFrom('hotline_ticket').selectAll().where('id', '=', tk.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain('13800138000');
    expect(JSON.stringify(row)).not.toContain('11010519491231002X');
    const audit = await t.db.db.selectFrom('audit_log').select(['after']).where('entity_type', '=', 'hotline_ticket').execute();
    expect(JSON.stringify(audit)).not.toContain('13800138000');
  });

  it.each([
    ['a call from the future', { receivedAt: '2099-01-01T00:00:00+08:00' }, 'RECEIVED_IN_FUTURE'],
    ['a bad phone', { caller: { name: '张三', phone: '12345' } }, 'PHONE_INVALID'],
    ['a bad ID check digit', { caller: { name: '张三', phone: '13800138000', idNumber: '110105194912310021' } }, 'ID_NUMBER_INVALID'],
    ['an unknown category', { category: 'aliens' }, 'VALIDATION_FAILED'],
    ['an unknown region', { regionCode: '219999' }, 'REGION_CODE_UNKNOWN'],
    ['a bad employer credit code', { employer: { name: 'X 公司', creditCode: '91350100M000100Y44' } }, 'CREDIT_CODE_INVALID'],
    ['an unknown difficulty', { difficulty: 'easy' }, 'VALIDATION_FAILED'],
  ])('rejects %s with a clear error and writes nothing', async (_l, extra, code) => {
    const before = await ticketCount();
    const res = await agent.post('/api/hotline/tickets', call(extra));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe(code);
    expect(res.json().error.message).toMatch(/[\u4e00-\u9fa5]/);
    expect(await ticketCount()).toBe(before);
  });

  it('only agents take calls', async () => {
    expect((await heping.post('/api/hotline/tickets', call())).statusCode).toBe(403);
  });
});

describe('dispatch down the tree, handle, evaluate', () => {
  it('province → county → street, signed and resolved there, evaluated; illegal moves answer 409 with the state', async () => {
    const tk = (await agent.post('/api/hotline/tickets', call({ difficulty: 'general' }))).json();
    const d1 = await agent.post(`/api/hotline/tickets/${tk.id}/dispatch`, { orgId: tree.heping, note: '请和平区核实' });
    expect(d1.json()).toMatchObject({ status: 'dispatched', handlingOrgId: tree.heping, handlingOrgName: '和平区总工会' });
    const early = await heping.post(`/api/hotline/tickets/${tk.id}/resolve`, { result: '未签收就办结' });
    expect(early.statusCode).toBe(409);
    expect(early.json().error).toMatchObject({ code: 'TICKET_STATE_CONFLICT', details: { status: 'dispatched' } });
    const d2 = await heping.post(`/api/hotline/tickets/${tk.id}/dispatch`, { orgId: street, note: '转街道' });
    expect(d2.json().handlingOrgId).toBe(street);
    // the county is no longer the handler: it cannot sign for the street
    const notMine = await heping.post(`/api/hotline/tickets/${tk.id}/sign`, {});
    expect(notMine.statusCode).toBe(422);
    expect(notMine.json().error.code).toBe('TICKET_NOT_HANDLER');
    // the street officer
    await t.services.users.create(systemCaller(systemActor), { username: 'xinhua', name: '新华街道', password: 'Officer@Test2026', roles: [{ orgId: street, role: 'officer' }] });
    const xinhua = await login(t.app, 'xinhua');
    expect((await xinhua.post(`/api/hotline/tickets/${tk.id}/sign`, {})).json().status).toBe('signed');
    const resolved = await xinhua.post(`/api/hotline/tickets/${tk.id}/resolve`, { result: '协调企业当场支付', amountRecovered: 24000 });
    expect(resolved.json()).toMatchObject({ status: 'resolved', amountRecovered: 24000, amountRecoveredFen: 2_400_000, resolvedOnTime: true });
    expect((await xinhua.post(`/api/hotline/tickets/${tk.id}/resolve`, { result: '再办一次' })).statusCode).toBe(409);
    const ev = await agent.post(`/api/hotline/tickets/${tk.id}/evaluate`, { satisfaction: 'satisfied' });
    expect(ev.json().status).toBe('evaluated');
    expect((await agent.post(`/api/hotline/tickets/${tk.id}/reopen`, { reason: '再看看' })).json().error.code).toBe('TICKET_REOPEN_SATISFIED');
    expect((await agent.post(`/api/hotline/tickets/${tk.id}/close`, {})).json().status).toBe('closed');
    const full = (await agent.get(`/api/hotline/tickets/${tk.id}`)).json();
    expect(full.events.map((e: { action: string }) => e.action)).toEqual(['accept', 'dispatch', 'dispatch', 'sign', 'resolve', 'evaluate', 'close']);
    expect(full.events[2]).toMatchObject({ orgName: '和平区总工会', targetOrgName: '新华街道总工会', actorName: 'heping_officer', note: '转街道' });
  });

  it('an action with a stale version is 409 and moves nothing; the current one goes through', async () => {
    const tk = (await agent.post('/api/hotline/tickets', call({ difficulty: 'general' }))).json();
    const { version } = await t.db.db.selectFrom('hotline_ticket').select('version').where('id', '=', tk.id).executeTakeFirstOrThrow();
    const stale = await agent.post(`/api/hotline/tickets/${tk.id}/dispatch`, { orgId: tree.heping, version: version + 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({ code: 'VERSION_CONFLICT', details: { status: 'accepted' } });
    expect((await agent.get(`/api/hotline/tickets/${tk.id}`)).json()).toMatchObject({ status: 'accepted', handlingOrgId: tk.handlingOrgId });
    expect((await agent.post(`/api/hotline/tickets/${tk.id}/dispatch`, { orgId: tree.heping, version })).json()).toMatchObject({ status: 'dispatched', handlingOrgId: tree.heping });
    expect((await agent.post(`/api/hotline/tickets/${tk.id}/dispatch`, { orgId: tree.heping, version: 'x' })).statusCode).toBe(400);
  });

  it('a return goes back to the union that dispatched it', async () => {
    const tk = (await agent.post('/api/hotline/tickets', call())).json();
    await agent.post(`/api/hotline/tickets/${tk.id}/dispatch`, { orgId: tree.heping });
    await heping.post(`/api/hotline/tickets/${tk.id}/sign`, {});
    const back = await heping.post(`/api/hotline/tickets/${tk.id}/return`, { reason: '不属于本区管辖' });
    expect(back.json()).toMatchObject({ status: 'returned', handlingOrgId: tree.province, returned: true });
    expect((await heping.get(`/api/hotline/tickets/${tk.id}`)).statusCode).toBe(404);
    const re = await agent.post(`/api/hotline/tickets/${tk.id}/dispatch`, { orgId: tree.zhongshan });
    expect(re.json().handlingOrgId).toBe(tree.zhongshan);
  });

  it('a higher union supervises; the handling union cannot supervise itself', async () => {
    const tk = (await agent.post('/api/hotline/tickets', call())).json();
    await agent.post(`/api/hotline/tickets/${tk.id}/dispatch`, { orgId: tree.heping });
    const own = await heping.post(`/api/hotline/tickets/${tk.id}/supervise`, { note: '自己督办自己' });
    expect(own.json().error.code).toBe('TICKET_SUPERVISE_OWN');
    const sup = await agent.post(`/api/hotline/tickets/${tk.id}/supervise`, { note: '请加快办理' });
    expect(sup.json()).toMatchObject({ supervised: true, status: 'dispatched' });
    const notes = (await heping.get('/api/notifications')).json();
    expect(notes.items.some((n: { kind: string; entityType: string; entityId: number }) => n.kind === 'supervise' && n.entityType === 'hotline_ticket' && n.entityId === tk.id)).toBe(true);
    const detail = (await heping.get(`/api/hotline/tickets/${tk.id}`)).json();
    expect(detail.abilities).toEqual(expect.arrayContaining(['sign', 'return', 'dispatch']));
    expect(detail.abilities).not.toContain('supervise');
  });

  it.each([
    ['more than two decimals', { amountRecovered: 24000.123 }, '金额最多保留两位小数（精确到分）'],
    ['yuan and fen that disagree', { amountRecovered: 100, amountRecoveredFen: 1000 }, '追回金额的元与分不一致'],
  ])('refuses recovered wages with %s and changes nothing', async (_l, amount, message) => {
    const tk = (await agent.post('/api/hotline/tickets', call())).json();
    const res = await agent.post(`/api/hotline/tickets/${tk.id}/resolve`, { result: '协调企业支付', ...amount });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.fields.amountRecovered).toBe(message);
    const after = (await agent.get(`/api/hotline/tickets/${tk.id}`)).json();
    expect(after).toMatchObject({ status: 'accepted', result: null, amountRecoveredFen: null });
  });

  it.each([
    ['a fractional number of fen', { amountRecoveredFen: 12.5 }],
    ['a negative amount', { amountRecovered: -5 }],
    ['an amount past the cap', { amountRecoveredFen: 1e14 }],
  ])('refuses %s by the schema', async (_l, amount) => {
    const tk = (await agent.post('/api/hotline/tickets', call())).json();
    const res = await agent.post(`/api/hotline/tickets/${tk.id}/resolve`, { result: '协调企业支付', ...amount });
    expect(res.statusCode).toBe(400);
    expect((await agent.get(`/api/hotline/tickets/${tk.id}`)).json().status).toBe('accepted');
  });

  it('recovered wages are kept in fen, sent in fen and in yuan', async () => {
    const tk = (await agent.post('/api/hotline/tickets', call())).json();
    const res = await agent.post(`/api/hotline/tickets/${tk.id}/resolve`, { result: '协调企业分两次支付', amountRecoveredFen: 123456 });
    expect(res.json()).toMatchObject({ status: 'resolved', amountRecoveredFen: 123456, amountRecovered: 1234.56 });
    const row = await t.db.db.selectFrom('hotline_ticket').select('amount_recovered_fen').where('id', '=', tk.id).executeTakeFirstOrThrow();
    expect(Number(row.amount_recovered_fen)).toBe(123456);
  });

  it('dissatisfied → reopened with a new deadline, everything kept in the timeline', async () => {
    const tk = (await agent.post('/api/hotline/tickets', call({ difficulty: 'complex', receivedAt: '2025-11-03T09:00:00+08:00' }))).json();
    await agent.post(`/api/hotline/tickets/${tk.id}/resolve`, { result: '已答复' });
    await agent.post(`/api/hotline/tickets/${tk.id}/evaluate`, { satisfaction: 'dissatisfied', comment: '没解决' });
    const re = await agent.post(`/api/hotline/tickets/${tk.id}/reopen`, { reason: '来电人不满意' });
    expect(re.json()).toMatchObject({ status: 'accepted', reopenedCount: 1, satisfaction: null, resolvedAt: null });
    expect(new Date(re.json().deadline).getTime()).toBeGreaterThan(Date.now());
    expect(re.json().events.map((e: { action: string }) => e.action)).toEqual(['accept', 'resolve', 'evaluate', 'reopen']);
  });
});

describe('scope', () => {
  it('another county neither sees nor acts on these orders', async () => {
    const tk = (await agent.post('/api/hotline/tickets', call())).json();
    await agent.post(`/api/hotline/tickets/${tk.id}/dispatch`, { orgId: tree.heping });
    expect((await zhongshan.get(`/api/hotline/tickets/${tk.id}`)).statusCode).toBe(404);
    const bodies: Record<string, object> = {
      sign: {}, return: { reason: '越权操作' }, resolve: { result: '越权办结' }, supervise: { note: '越权督办' }, dispatch: { orgId: tree.zhongshan },
    };
    for (const [a, body] of Object.entries(bodies)) {
      const res = await zhongshan.post(`/api/hotline/tickets/${tk.id}/${a}`, body);
      expect(res.statusCode).toBe(404);
    }
    const list = (await zhongshan.get('/api/hotline/tickets?limit=200')).json().items;
    expect(list.some((x: { id: number }) => x.id === tk.id)).toBe(false);
    // the county cannot dispatch outside its subtree either
    const out = await heping.post(`/api/hotline/tickets/${tk.id}/dispatch`, { orgId: tree.zhongshan });
    expect(out.statusCode).toBe(404);
    expect((await zhongshan.get(`/api/hotline/stats?orgId=${tree.heping}`)).statusCode).toBe(404);
  });
});

describe('org moves', () => {
  it('a ticket follows its handling union when the union moves to another county', async () => {
    const s2 = (await t.services.orgs.create(systemCaller(systemActor), { parentId: tree.heping, name: '搬迁测试街道总工会', level: 'street', kind: 'federation', regionCode: '210102' })).id;
    const tk = (await agent.post('/api/hotline/tickets', call())).json();
    await agent.post(`/api/hotline/tickets/${tk.id}/dispatch`, { orgId: s2 });
    expect((await heping.get(`/api/hotline/tickets/${tk.id}`)).statusCode).toBe(200);
    expect((await zhongshan.get(`/api/hotline/tickets/${tk.id}`)).statusCode).toBe(404);
    const province = await login(t.app, 'province');
    const moved = await province.post(`/api/orgs/${s2}/move`, { newParentId: tree.shenyang });
    expect(moved.statusCode).toBe(200);
    expect((await heping.get(`/api/hotline/tickets/${tk.id}`)).statusCode).toBe(404);
    const row = await t.db.db.selectFrom('hotline_ticket').select('handling_org_path').where('id', '=', tk.id).executeTakeFirstOrThrow();
    expect(row.handling_org_path).toBe(moved.json().path);
  });
});

describe('public request and lookup', () => {
  it('lookup needs both ticket number and phone and reveals only the status', async () => {
    const sub = await t.app.inject({ method: 'POST', url: '/api/hotline/requests', payload: { caller: { name: '李女士', phone: '13912345678' }, category: 'labor_contract', content: '公司不签劳动合同怎么办', regionCode: '210102' } });
    expect(sub.statusCode).toBe(201);
    const { ticketNo } = sub.json();
    const ok = await t.app.inject({ url: `/api/hotline/lookup?ticketNo=${ticketNo}&phone=139-1234-5678` });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ ticketNo, status: 'accepted', statusLabel: '已受理', canEvaluate: false });
    expect(ok.body).not.toMatch(/李|13912345678|劳动合同怎么办|和平区|辽宁/);
    const wrongPhone = await t.app.inject({ url: `/api/hotline/lookup?ticketNo=${ticketNo}&phone=13912345679` });
    const wrongNo = await t.app.inject({ url: `/api/hotline/lookup?ticketNo=20000101000001&phone=13912345678` });
    expect(wrongPhone.statusCode).toBe(404);
    expect(wrongNo.json()).toEqual(wrongPhone.json());
    const tk = (await agent.get('/api/hotline/tickets?limit=200')).json().items.find((x: { ticketNo: string }) => x.ticketNo === ticketNo);
    // a request from 和平区 (210102) waits in 和平区's queue, not the province's
    expect(tk).toMatchObject({ difficulty: null, handlingOrgId: tree.heping, channel: 'mobile' });
    // an agent sets the difficulty later and the deadline follows
    const upd = await agent.patch(`/api/hotline/tickets/${tk.id}`, { difficulty: 'complex' });
    expect(new Date(upd.json().deadline).getTime()).toBeGreaterThan(new Date(tk.deadline).getTime() + 10 * 86_400_000);
    // resolved by 和平区, which holds it → the caller evaluates with number + phone
    expect((await heping.post(`/api/hotline/tickets/${tk.id}/resolve`, { result: '已电话告知维权途径' })).statusCode).toBe(200);
    const ev = await t.app.inject({ method: 'POST', url: '/api/hotline/lookup/evaluate', payload: { ticketNo, phone: '13912345678', satisfaction: 'basically_satisfied' } });
    expect(ev.json()).toMatchObject({ status: 'evaluated', satisfaction: 'basically_satisfied' });
    const again = await t.app.inject({ method: 'POST', url: '/api/hotline/lookup/evaluate', payload: { ticketNo, phone: '13912345678', satisfaction: 'satisfied' } });
    expect(again.statusCode).toBe(409);
  });

  it('limits requests per phone', async () => {
    const body = { caller: { name: '赵先生', phone: '13700000001' }, category: 'other', content: '咨询工会入会事宜', regionCode: '210202' };
    const codes: number[] = [];
    let last: Awaited<ReturnType<typeof t.app.inject>> | undefined;
    for (let i = 0; i < 6; i++) {
      last = await t.app.inject({ method: 'POST', url: '/api/hotline/requests', remoteAddress: `10.1.1.${i}`, payload: body });
      codes.push(last.statusCode);
    }
    expect(codes.slice(0, 5)).toEqual([201, 201, 201, 201, 201]);
    expect(codes[5]).toBe(429);
    expect(last?.headers['retry-after']).toBe(String(24 * 3600)); // the limit's own window, not a fixed minute
  });
});

describe('timers and calendar', () => {
  it('marks overdue orders once and notifies the handling union and its parent', async () => {
    const tk = (await agent.post('/api/hotline/tickets', call({ difficulty: 'general', receivedAt: '2025-06-03T10:00:00+08:00' }))).json();
    await agent.post(`/api/hotline/tickets/${tk.id}/dispatch`, { orgId: tree.heping });
    const n1 = await t.services.hotline.sweepOverdue();
    expect(n1).toBeGreaterThanOrEqual(1);
    expect(await t.services.hotline.sweepOverdue()).toBe(0);
    const notes = await t.db.db.selectFrom('notification').selectAll().where('entity_type', '=', 'hotline_ticket').where('entity_id', '=', tk.id).where('kind', '=', 'overdue').execute();
    expect(notes.map((n) => n.org_id).sort()).toEqual([tree.heping, tree.shenyang].sort());
    const overdue = (await heping.get('/api/hotline/tickets?overdue=true')).json().items;
    expect(overdue.some((x: { id: number; overdue: boolean }) => x.id === tk.id && x.overdue)).toBe(true);
    const events = (await heping.get(`/api/hotline/tickets/${tk.id}`)).json().events;
    expect(events.filter((e: { action: string }) => e.action === 'overdue')).toHaveLength(1);
  });

  it('GET /api/calendar/deadline uses the seeded State Council calendar', async () => {
    const d1 = await agent.get('/api/calendar/deadline?from=2025-09-30T10:00:00%2B08:00&difficulty=difficult');
    expect(d1.json()).toEqual({ deadline: '2025-10-14T15:59:59.000Z' });
    const d2 = await agent.get('/api/calendar/deadline?from=2026-02-13T10:00:00%2B08:00&difficulty=difficult');
    expect(d2.json()).toEqual({ deadline: '2026-02-27T15:59:59.000Z' });
    const days = (await agent.get('/api/calendar/days?from=2025-10-10&to=2025-10-12')).json();
    expect(days).toEqual([
      { date: '2025-10-10', workday: true },
      { date: '2025-10-11', workday: true, name: expect.stringContaining('调休') },
      { date: '2025-10-12', workday: false },
    ]);
  });

  it('changing a holiday recomputes the deadlines of open orders; only root admins may', async () => {
    const tk = (await agent.post('/api/hotline/tickets', call({ difficulty: 'difficult', receivedAt: '2026-02-13T10:00:00+08:00' }))).json();
    expect(tk.deadline).toBe('2026-02-27T15:59:59.000Z');
    const county = await login(t.app, 'heping');
    expect((await county.put('/api/calendar/days/2026-02-25', { workday: false, name: '测试' })).statusCode).toBe(403);
    const admin = await login(t.app, 'admin', 'Chief#Test2026');
    const res = await admin.put('/api/calendar/days/2026-02-25', { workday: false, name: '临时休假' });
    expect(res.statusCode).toBe(200);
    const after = (await agent.get(`/api/hotline/tickets/${tk.id}`)).json();
    expect(after.deadline).toBe('2026-02-28T15:59:59.000Z');
  });

  it('stats for a subtree and period', async () => {
    const s = (await agent.get(`/api/hotline/stats?orgId=${tree.province}&from=2025-01-01&to=2026-12-31`)).json();
    expect(s.received).toBe(await ticketCount());
    expect(s.resolved).toBeGreaterThanOrEqual(2);
    expect(s.amountRecoveredFen).toBe(2_400_000 + 123_456);
    expect(s.amountRecovered).toBe(25234.56);
    expect(s.overdue).toBeGreaterThanOrEqual(1);
    expect(s.satisfactionRate).toBeGreaterThan(0);
    expect(s.byCategory.find((c: { category: string }) => c.category === 'wage_arrears')).toMatchObject({ label: '欠薪' });
    expect(s.byOrg.map((o: { orgName: string }) => o.orgName)).toEqual(expect.arrayContaining(['沈阳市总工会']));
    // the union's own tickets are a row of their own (本级): the bars add up to the totals
    type Row = { orgName: string; received: number; resolved: number; overdue: number };
    const add = (k: 'received' | 'resolved' | 'overdue') => (s.byOrg as Row[]).reduce((n, o) => n + o[k], 0);
    expect([add('received'), add('resolved'), add('overdue')]).toEqual([s.received, s.resolved, s.overdue]);
    expect((s.byOrg as Row[]).some((o) => o.orgName === '辽宁省总工会（本级）')).toBe(true);
    const county = (await heping.get(`/api/hotline/stats?orgId=${tree.heping}&from=2025-01-01&to=2026-12-31`)).json();
    expect(county.received).toBeLessThan(s.received);
  });
});
