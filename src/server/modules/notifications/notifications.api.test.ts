import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../platform/audit.js';
import { systemCaller } from '../../platform/caller.js';
import { countUnread, listNotifications, markAllRead, markRead, notify, type NewNotification } from '../../platform/notifications.js';
import { login, makeTestApp, makeTree, type Session, type TestApp, type Tree } from '../../../../test/helpers/app.js';

let t: TestApp;
let tree: Tree;
let agent: Session;
let heping: Session;
let hepingOfficer: Session;
let zhongshan: Session;

const call = (regionCode: string) => ({
  channel: 'phone', caller: { name: '李师傅', phone: '139 0000 1234' }, category: 'wage_arrears',
  content: '拖欠两个月工资', regionCode, difficulty: 'general',
});

/** A ticket dispatched to `orgId` and supervised by the province: a 督办 notice to that union. */
async function supervised(orgId: number, regionCode: string): Promise<number> {
  const tk = (await agent.post('/api/hotline/tickets', call(regionCode))).json() as { id: number };
  expect((await agent.post(`/api/hotline/tickets/${tk.id}/dispatch`, { orgId })).statusCode).toBe(200);
  expect((await agent.post(`/api/hotline/tickets/${tk.id}/supervise`, { note: '请加快办理' })).statusCode).toBe(200);
  return tk.id;
}

type Inbox = { items: Array<{ id: number; kind: string; entityType: string; entityId: number; orgId: number | null; read: boolean }>; unreadCount: number; nextCursor: string | null };
const inbox = async (s: Session, qs = '') => (await s.get(`/api/notifications${qs}`)).json() as Inbox;

async function send(rows: NewNotification[]) {
  await t.db.db.transaction().execute((trx) => notify(trx, rows));
}
const notice = (to: NewNotification['to'], key: string, entityId = 1): NewNotification => ({
  provinceCode: '21', to, entity: { type: 'test_entity', id: entityId }, kind: 'test', message: '测试通知', dedupeKey: key,
});

beforeAll(async () => {
  t = await makeTestApp();
  tree = await makeTree(t);
  agent = await login(t.app, 'agent');
  heping = await login(t.app, 'heping');
  hepingOfficer = await login(t.app, 'heping_officer');
  zhongshan = await login(t.app, 'zhongshan');
});
afterAll(async () => t?.close());

describe('the officer inbox', () => {
  it('a 督办 reaches every officer of the union, each with their own read state', async () => {
    const ticketId = await supervised(tree.heping, '210102');
    const a = await inbox(heping);
    const b = await inbox(hepingOfficer);
    const na = a.items.find((n) => n.entityId === ticketId);
    expect(na).toMatchObject({ kind: 'supervise', entityType: 'hotline_ticket', orgId: tree.heping, read: false });
    expect(b.items.find((n) => n.entityId === ticketId)?.id).toBe(na?.id);
    expect(a.unreadCount).toBeGreaterThanOrEqual(1);

    const r = await hepingOfficer.post(`/api/notifications/${na?.id}/read`);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ id: na?.id, read: true, unreadCount: b.unreadCount - 1 });
    // read again: still read, counted once
    expect((await hepingOfficer.post(`/api/notifications/${na?.id}/read`)).json().unreadCount).toBe(b.unreadCount - 1);
    expect((await inbox(hepingOfficer)).items.find((n) => n.id === na?.id)?.read).toBe(true);
    expect((await inbox(hepingOfficer, '?unread=true')).items.some((n) => n.id === na?.id)).toBe(false);
    // the county admin has not read it
    expect((await inbox(heping)).unreadCount).toBe(a.unreadCount);
    expect((await inbox(heping, '?unread=true')).items.some((n) => n.id === na?.id)).toBe(true);
  });

  it('an officer sees the notices of the unions of their roles only, not of the unions below nor of another county', async () => {
    const other = await supervised(tree.zhongshan, '210202');
    expect((await inbox(heping)).items.some((n) => n.entityId === other)).toBe(false);
    const shenyang = await login(t.app, 'shenyang');
    const city = await inbox(shenyang);
    expect(city.items.some((n) => n.orgId === tree.heping)).toBe(false);
    const theirs = (await inbox(zhongshan)).items.find((n) => n.entityId === other);
    expect(theirs?.read).toBe(false);
    // another county's notice is "not there" for 和平区
    const foreign = await heping.post(`/api/notifications/${theirs?.id}/read`);
    const missing = await heping.post('/api/notifications/2000000000/read');
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json()).toEqual({ error: { code: 'NOTIFICATION_NOT_FOUND', message: '通知不存在' } });
    expect(missing.body).toBe(foreign.body);
    expect((await inbox(zhongshan)).items.find((n) => n.id === theirs?.id)?.read).toBe(false);
  });

  it('read-all marks the own notices read and leaves the other officers\' and the other county\'s alone', async () => {
    await supervised(tree.heping, '210102');
    const zsBefore = (await inbox(zhongshan)).unreadCount;
    const adminBefore = (await inbox(heping)).unreadCount;
    expect(adminBefore).toBeGreaterThanOrEqual(2);
    const all = await heping.post('/api/notifications/read-all');
    expect(all.json()).toEqual({ marked: adminBefore, unreadCount: 0 });
    expect((await inbox(heping, '?unread=true')).items).toEqual([]);
    expect((await heping.post('/api/notifications/read-all')).json()).toEqual({ marked: 0, unreadCount: 0 });
    expect((await inbox(zhongshan)).unreadCount).toBe(zsBefore);
    expect((await inbox(hepingOfficer)).unreadCount).toBeGreaterThanOrEqual(1);
  });

  it('pages newest first with a cursor', async () => {
    for (let i = 0; i < 5; i++) await send([notice({ orgId: tree.shenhe }, `page:${i}`, 100 + i)]);
    const shenhe = await t.services.users.create(systemCaller(systemActor), {
      username: 'shenhe', name: '沈河区', password: 'Officer@Test2026', roles: [{ orgId: tree.shenhe, role: 'viewer' }],
    });
    expect(shenhe.id).toBeGreaterThan(0);
    const s = await login(t.app, 'shenhe');
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const p: Inbox = await inbox(s, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(p.items.length).toBeLessThanOrEqual(2);
      expect(p.unreadCount).toBe(5);
      seen.push(...p.items.map((n) => n.id));
      cursor = p.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(5);
    expect([...seen].sort((x, y) => y - x)).toEqual(seen);
  });

  it.each([
    ['a broken cursor', '/api/notifications?cursor=bm90LWpzb24', 'GET'],
    ['an unknown filter', '/api/notifications?status=read', 'GET'],
    ['a limit past 200', '/api/notifications?limit=500', 'GET'],
    ['an id that is not a number', '/api/notifications/abc/read', 'POST'],
    ['id 0', '/api/notifications/0/read', 'POST'],
  ])('answers 400 for %s', async (_l, url, method) => {
    const res = method === 'GET' ? await heping.get(url) : await heping.post(url);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('needs a signed-in officer', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/notifications' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/api/notifications/read-all' })).statusCode).toBe(401);
  });
});

describe('the platform table', () => {
  it('notifies once per addressee and key', async () => {
    const k = notice({ orgId: tree.dalian }, 'once:1', 7);
    await send([k, k]);
    await send([k, notice({ orgId: tree.province }, 'once:1', 7)]);
    const rows = await t.db.db.selectFrom('notification').select(['org_id']).where('dedupe_key', '=', 'once:1').execute();
    expect(rows.map((r) => r.org_id).sort()).toEqual([tree.province, tree.dalian].sort());
  });

  it('a notice to a worker is theirs alone: no officer reads it', async () => {
    const personId = 424242;
    await send([notice({ personId }, 'worker:1', 9), notice({ personId }, 'worker:2', 9), notice({ personId: personId + 1 }, 'worker:1', 9)]);
    const worker = { personId };
    expect(await countUnread(t.db.db, worker)).toBe(2);
    const rows = await listNotifications(t.db.db, worker, { limit: 10 });
    expect(rows.map((r) => r.orgId)).toEqual([null, null]);
    expect(await markRead(t.db.db, worker, rows[0]?.id ?? 0)).toBe(true);
    expect(await countUnread(t.db.db, worker)).toBe(1);
    expect(await markRead(t.db.db, { personId: personId + 1 }, rows[1]?.id ?? 0)).toBe(false);
    expect(await markAllRead(t.db.db, worker)).toBe(1);
    expect(await countUnread(t.db.db, { personId: personId + 1 })).toBe(1);
    const province = await login(t.app, 'province');
    expect((await inbox(province)).items.some((n) => n.entityType === 'test_entity' && n.orgId === null)).toBe(false);
  });

  it('refuses a notice with no addressee or two', async () => {
    await expect(t.db.db.insertInto('notification').values({
      province_code: '21', org_id: null, person_id: null, entity_type: 'x', entity_id: 1, kind: 'x', message: 'x', dedupe_key: 'none', created_at: new Date(),
    }).execute()).rejects.toThrow(/notification_addressee_check/);
    await expect(t.db.db.insertInto('notification').values({
      province_code: '21', org_id: tree.dalian, person_id: 5, entity_type: 'x', entity_id: 1, kind: 'x', message: 'x', dedupe_key: 'both', created_at: new Date(),
    }).execute()).rejects.toThrow(/notification_addressee_check/);
  });

  it('concurrent read and read-all count each notice once', async () => {
    for (let i = 0; i < 6; i++) await send([notice({ orgId: tree.dalian }, `race:${i}`, 200 + i)]);
    await t.services.users.create(systemCaller(systemActor), {
      username: 'dalian_viewer', name: '大连', password: 'Officer@Test2026', roles: [{ orgId: tree.dalian, role: 'viewer' }],
    });
    const s = await login(t.app, 'dalian_viewer');
    const before = await inbox(s);
    const first = before.items[0]?.id;
    const answers = await Promise.all([
      s.post('/api/notifications/read-all'), s.post('/api/notifications/read-all'),
      s.post(`/api/notifications/${first}/read`), s.post(`/api/notifications/${first}/read`),
    ]);
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200]);
    const marked = answers.slice(0, 2).map((a) => a.json().marked as number);
    expect(marked.reduce((x, y) => x + y, 0)).toBeLessThanOrEqual(before.unreadCount);
    expect((await inbox(s)).unreadCount).toBe(0);
    const receipts = await t.db.db.selectFrom('notification_read').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', (await s.get('/api/auth/me')).json().user.id).executeTakeFirstOrThrow();
    expect(Number(receipts.n)).toBe(before.unreadCount);
  });
});
