import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeTestApp, makeTree, type Session, type TestApp, type Tree } from '../../../../test/helpers/app.js';
import { shanghaiDate } from '../../platform/calendar.js';
import { AppError } from '../../platform/errors.js';
import type { Publish } from './service.js';

let t: TestApp;
let tree: Tree;
let county: Session;
let nextEntity = 1;
let ip = 0;

const publish = async (over: Partial<Publish> = {}) => {
  const org = (await t.services.orgs.publicInfo({ id: tree.heping }))!;
  return t.db.db.transaction().execute((trx) => t.services.publicity.publish(trx, {
    entityType: 'test_grant', entityId: nextEntity++, provinceCode: '21', org: { id: org.id, path: org.path }, title: '2026年金秋助学拟资助名单',
    items: [{ name: '张三丰', unit: '和平区恒通物流有限公司', item: '金秋助学', amountFen: 300_000 }], workingDays: 5, createdBy: null, ...over,
  }));
};
const object = (id: number, body: Record<string, unknown>) => {
  ip += 1;
  return t.app.inject({ method: 'POST', url: `/api/publicity/${id}/objections`, remoteAddress: `10.31.0.${ip}`, payload: body });
};
const clear = async (entityId: number) => {
  try {
    await t.services.publicity.assertClear(t.db.db, 'test_grant', entityId);
    return 'clear';
  } catch (e) {
    return e instanceof AppError ? e.code : String(e);
  }
};
const daysAgo = (n: number) => shanghaiDate(new Date(Date.now() - n * 86_400_000));

beforeAll(async () => {
  t = await makeTestApp();
  tree = await makeTree(t);
  t.services.publicity.register('test_grant', { label: '测试资助', permission: 'member.manage' });
  county = await login(t.app, 'heping_officer');
});
afterAll(async () => { await t.close(); });

describe('公示 (public notice)', () => {
  it('counts its window in working days on the holiday calendar: 5 from Thu 2025-10-09 end Tue 2025-10-14', async () => {
    const n = await publish({ startsOn: '2025-10-09' });
    expect(n).toMatchObject({ startsOn: '2025-10-09', endsOn: '2025-10-14', workingDays: 5, running: false });
  });

  it('shows masked names on the public page, takes objections while it runs, and holds the next step', async () => {
    const n = await publish();
    const entityId = nextEntity - 1;
    expect(n.items).toEqual([{ name: '张**', unit: '和平区恒通物流有限公司', item: '金秋助学', amountFen: 300_000 }]);
    const page = await t.app.inject({ method: 'GET', url: `/api/publicity?orgId=${tree.heping}` });
    expect(page.statusCode).toBe(200);
    const shown = page.json().items.find((i: { id: number }) => i.id === n.id);
    expect(shown).toMatchObject({ running: true, orgName: '和平区总工会', entityLabel: '测试资助' });
    expect(page.body).not.toContain('张三丰');
    expect(await clear(entityId)).toBe('PUBLICITY_RUNNING');

    const o = await object(n.id, { content: '该职工家庭收入情况与实际不符', contactName: '李先生', contactPhone: '13912340000' });
    expect(o.statusCode, o.body).toBe(201);
    const row = await t.db.db.selectFrom('publicity_objection').selectAll().where('id', '=', o.json().id).executeTakeFirstOrThrow();
    expect(row.contact_enc).not.toContain('13912340000');
    expect(row.contact_masked).toBe('139****0000');
    // officers see the objection with the contact masked, reveal it with a reason (audited), and resolve it once
    const detail = (await county.get(`/api/publicity/notices/${n.id}`)).json();
    expect(detail.objections).toMatchObject([{ status: 'open', maskedContact: '139****0000', contactName: '李先生' }]);
    expect(JSON.stringify(detail)).not.toContain('13912340000');
    expect((await county.get('/api/publicity/notices')).json().items.find((i: { id: number }) => i.id === n.id)).toMatchObject({ openObjections: 1 });
    const reveal = await county.post(`/api/publicity/objections/${o.json().id}/reveal`, { reason: '回电核实' });
    expect(reveal.json()).toEqual({ contactPhone: '13912340000' });
    const audited = await t.db.db.selectFrom('audit_log').select('action').where('action', 'like', 'publicity.%').execute();
    expect(audited.map((a) => a.action)).toEqual(expect.arrayContaining(['publicity.publish', 'publicity.object', 'publicity.reveal']));

    // the window ends with the objection still open: the next step still waits
    await t.db.db.updateTable('publicity_notice').set({ starts_on: daysAgo(10), ends_on: daysAgo(1) }).where('id', '=', n.id).execute();
    expect(await clear(entityId)).toBe('PUBLICITY_OBJECTION_OPEN');
    expect((await object(n.id, { content: '公示期已过还能提吗', contactPhone: '13912340001' })).json().error.code).toBe('PUBLICITY_CLOSED');
    const res = await county.post(`/api/publicity/objections/${o.json().id}/resolve`, { resolution: '经入户核实，收入情况属实' });
    expect(res.json()).toMatchObject({ status: 'resolved' });
    expect((await county.post(`/api/publicity/objections/${o.json().id}/resolve`, { resolution: '再处理一次' })).statusCode).toBe(409);
    expect(await clear(entityId)).toBe('clear');
  });

  it('one live notice per entity; a withdrawn one frees it; an entity with none passes', async () => {
    const n = await publish();
    const entityId = nextEntity - 1;
    await expect(publish({ entityId })).rejects.toMatchObject({ code: 'PUBLICITY_EXISTS' });
    await t.db.db.transaction().execute((trx) => t.services.publicity.withdraw(trx, 'test_grant', entityId));
    expect(await clear(entityId)).toBe('clear');
    expect((await t.app.inject({ method: 'GET', url: `/api/publicity?orgId=${tree.heping}` })).json().items.map((i: { id: number }) => i.id)).not.toContain(n.id);
    expect(await clear(999_999)).toBe('clear');
    await expect(publish({ workingDays: 0 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(publish({ workingDays: 31 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(publish({ items: [] })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('refuses bad objections with a Chinese reason and writes nothing; rate-limits them', async () => {
    const n = await publish();
    const before = await t.db.db.selectFrom('publicity_objection').select((eb) => eb.fn.countAll<number>().as('c')).executeTakeFirstOrThrow();
    for (const [body, field] of [
      [{ content: '收入不实的情况', contactPhone: '123' }, 'contactPhone'],
      [{ content: '短', contactPhone: '13912340002' }, 'content'],
    ] as const) {
      const r = await object(n.id, body);
      expect(r.statusCode).toBe(400);
      expect(r.json().error.details.fields[field]).toMatch(/[\u4e00-\u9fff]/);
    }
    expect((await object(n.id, { content: '收入不实的情况', contactPhone: '13912340002', extra: 1 })).statusCode).toBe(400);
    expect((await object(2_000_000_000, { content: '收入不实的情况', contactPhone: '13912340002' })).statusCode).toBe(404);
    const after = await t.db.db.selectFrom('publicity_objection').select((eb) => eb.fn.countAll<number>().as('c')).executeTakeFirstOrThrow();
    expect(Number(after.c)).toBe(Number(before.c));
    const same = () => t.app.inject({ method: 'POST', url: `/api/publicity/${n.id}/objections`, remoteAddress: '10.32.0.1', payload: { content: '同一地址多次提交', contactPhone: '13912340003' } });
    const codes = [];
    for (let i = 0; i < 6; i++) codes.push((await same()).statusCode);
    expect(codes).toEqual([201, 201, 201, 201, 201, 429]);
  });

  it('officers outside the union see none of its notices; a viewer without the kind\'s permission neither', async () => {
    const n = await publish();
    const zs = await login(t.app, 'zhongshan');
    expect((await zs.get(`/api/publicity/notices/${n.id}`)).statusCode).toBe(404);
    expect((await zs.get('/api/publicity/notices')).json().items).toEqual([]);
    const viewer = await login(t.app, 'heping_viewer');
    expect((await viewer.get(`/api/publicity/notices/${n.id}`)).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/publicity/notices' })).statusCode).toBe(401);
  });
});
