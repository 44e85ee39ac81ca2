import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { notify } from '../../platform/notifications.js';
import { login, makeTestApp, makeTree, type Session, type TestApp, type Tree } from '../../../../test/helpers/app.js';
import { mobile, residentId } from '../../../../test/helpers/ids.js';

const PASSWORD = 'Worker#Pass2026';
let t: TestApp;
let tree: Tree;
let heping: Session;
let ip = 0;

/** Each request from its own address, so the per-address rate limits stay out of the way unless a test wants them. */
const send = (method: 'GET' | 'POST', url: string, payload?: object, headers: Record<string, string> = {}, remoteAddress = `10.9.${Math.floor(++ip / 250)}.${ip % 250}`) =>
  t.app.inject({ method, url, remoteAddress, headers, ...(payload ? { payload } : {}) });

interface WorkerSession { cookie: string; csrf: string; get(url: string): Promise<LightMyRequestResponse>; post(url: string, body?: object): Promise<LightMyRequestResponse> }
async function workerLogin(phone: string, password = PASSWORD): Promise<WorkerSession> {
  const res = await send('POST', '/api/worker/auth/login', { phone, password });
  if (res.statusCode !== 200) throw new Error(`worker login: ${res.statusCode} ${res.body}`);
  const c = res.cookies.find((x) => x.name === 'gh_worker');
  if (!c) throw new Error('no worker cookie');
  const cookie = `gh_worker=${c.value}`;
  const csrf = res.json().csrfToken as string;
  return { cookie, csrf, get: (u) => send('GET', u, undefined, { cookie }), post: (u, b = {}) => send('POST', u, b, { cookie, 'x-csrf-token': csrf }) };
}

async function member(seq: number) {
  const body = { orgId: tree.hepingCompany, name: '郑晓梅', idType: 'resident_id', idNumber: residentId(seq), phone: mobile(seq), joinedOn: '2024-05-01' };
  const res = await heping.post('/api/members', body);
  if (res.statusCode !== 201) throw new Error(`member: ${res.body}`);
  return { ...body, id: res.json().id as number };
}
const register = (m: { idNumber: string; phone: string }, password = PASSWORD) =>
  send('POST', '/api/worker/auth/register', { idType: 'resident_id', idNumber: m.idNumber, phone: m.phone, password });
const accounts = async () => Number((await t.db.db.selectFrom('worker_account').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

beforeAll(async () => {
  t = await makeTestApp();
  tree = await makeTree(t);
  heping = await login(t.app, 'heping');
});
afterAll(async () => t?.close());

describe('opening an account', () => {
  it('a member proves who they are with ID number and the phone on record', async () => {
    const m = await member(501);
    const res = await register(m);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ name: '郑晓梅', maskedPhone: expect.stringContaining('****'), membership: { orgName: '和平区恒通物流有限公司工会委员会', status: 'active' } });
    expect(res.body).not.toContain(m.phone);
    expect(res.body).not.toContain(m.idNumber);
    const row = await t.db.db.selectFrom('worker_account').selectAll().executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(m.phone);
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    const audit = await t.db.db.selectFrom('audit_log').select(['action', 'org_id']).where('action', '=', 'worker.register').execute();
    expect(audit).toEqual([{ action: 'worker.register', org_id: tree.hepingCompany }]);
  });

  it('answers every failed proof the same way and opens nothing', async () => {
    const m = await member(502);
    const left = await member(503);
    expect((await heping.post(`/api/members/${left.id}/leave`, { type: 'withdraw', reason: '本人申请' })).statusCode).toBe(200);
    const before = await accounts();
    const answers = await Promise.all([
      register({ idNumber: m.idNumber, phone: mobile(599) }), // another phone
      register({ idNumber: residentId(598), phone: m.phone }), // nobody's ID
      register({ idNumber: `${m.idNumber.slice(0, 17)}${m.idNumber.endsWith('0') ? '1' : '0'}`, phone: m.phone }), // a bad check digit
      register({ idNumber: m.idNumber, phone: '12345' }), // not a phone
      register(left), // no longer a member
    ]);
    expect(answers.map((a) => a.statusCode)).toEqual([422, 422, 422, 422, 422]);
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    expect(answers[0]?.json().error.code).toBe('WORKER_IDENTITY_MISMATCH');
    expect(await accounts()).toBe(before);
  });

  it('needs no SMS code when the deployment sends no SMS (the default)', async () => {
    expect((await send('GET', '/api/worker/auth/options')).json()).toEqual({ smsCode: false });
    const r = await send('POST', '/api/worker/auth/sms-code', { phone: mobile(540) });
    expect([r.statusCode, r.json().error.code]).toEqual([404, 'SMS_DISABLED']);
  });

  it('refuses a weak password and a body with unknown fields', async () => {
    const m = await member(504);
    const weak = await register(m, 'password');
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.code).toBe('PASSWORD_TOO_WEAK');
    const extra = await send('POST', '/api/worker/auth/register', { idType: 'resident_id', idNumber: m.idNumber, phone: m.phone, password: PASSWORD, role: 'admin' });
    expect(extra.statusCode).toBe(400);
    expect(await t.db.db.selectFrom('worker_account').select('id').where('person_id', '=', -1).execute()).toEqual([]);
  });

  it('one account per member, also when two registrations race', async () => {
    const m = await member(505);
    const both = await Promise.all([register(m), register(m)]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect(both.find((r) => r.statusCode === 409)?.json().error.code).toBe('WORKER_ALREADY_REGISTERED');
    expect((await register(m)).statusCode).toBe(409);
  });

  it('limits registrations per address', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 11; i++) codes.push((await send('POST', '/api/worker/auth/register', { idType: 'resident_id', idNumber: residentId(700 + i), phone: mobile(700 + i), password: PASSWORD }, {}, '10.99.0.1')).statusCode);
    expect(codes.slice(0, 10).every((c) => c === 422)).toBe(true);
    expect(codes[10]).toBe(429);
  });
});

describe('signing in', () => {
  it('phone and password open a worker session of its own: officer routes answer it 401, and an officer session opens no worker route', async () => {
    const m = await member(510);
    expect((await register(m)).statusCode).toBe(201);
    const w = await workerLogin(m.phone);
    const me = await w.get('/api/worker/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ name: '郑晓梅', memberNo: expect.any(String) });
    expect(me.body).not.toContain(m.phone);
    for (const url of ['/api/auth/me', '/api/members', '/api/notifications', '/api/hotline/tickets']) {
      expect((await w.get(url)).statusCode, url).toBe(401);
    }
    expect((await heping.get('/api/worker/me')).statusCode).toBe(401);
    const card = await w.get('/api/worker/card');
    expect(card.json()).toMatchObject({ name: '郑晓梅', orgName: '和平区恒通物流有限公司工会委员会', qr: expect.stringMatching(/^data:image\/png;base64,/) });
    // unsafe methods need the worker's CSRF token
    expect((await send('POST', '/api/worker/auth/logout', {}, { cookie: w.cookie })).statusCode).toBe(403);
    expect((await w.post('/api/worker/auth/logout')).statusCode).toBe(204);
    expect((await w.get('/api/worker/me')).statusCode).toBe(401);
  });

  it('the same answer for an unknown phone and a wrong password; locked after five failures', async () => {
    const m = await member(511);
    await register(m);
    const unknown = await send('POST', '/api/worker/auth/login', { phone: mobile(598), password: PASSWORD });
    const wrong = await send('POST', '/api/worker/auth/login', { phone: m.phone, password: 'Wrong#Pass2026' });
    expect(unknown.statusCode).toBe(401);
    expect(wrong.body).toBe(unknown.body);
    expect(wrong.json().error.code).toBe('WORKER_BAD_CREDENTIALS');
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await send('POST', '/api/worker/auth/login', { phone: m.phone, password: 'Wrong#Pass2026' }, {}, '10.98.0.1')).statusCode);
    expect(codes).toEqual([401, 401, 401, 401, 423]);
    const locked = await send('POST', '/api/worker/auth/login', { phone: m.phone, password: PASSWORD }, {}, '10.98.0.1');
    expect(locked.statusCode).toBe(423);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    // from elsewhere the worker still signs in
    expect((await send('POST', '/api/worker/auth/login', { phone: m.phone, password: PASSWORD }, {}, '10.98.0.2')).statusCode).toBe(200);
  });

  it.each([
    ['no phone', { password: PASSWORD }],
    ['an unknown field', { phone: '13800000000', password: PASSWORD, remember: true }],
    ['a phone past 20 characters', { phone: '1'.repeat(30), password: PASSWORD }],
  ])('refuses a sign-in with %s', async (_l, body) => {
    expect((await send('POST', '/api/worker/auth/login', body)).statusCode).toBe(400);
  });
});

describe('my messages', () => {
  it('a notice to the worker\'s person is theirs alone', async () => {
    const a = await member(520);
    const b = await member(521);
    await register(a);
    await register(b);
    const wa = await workerLogin(a.phone);
    const wb = await workerLogin(b.phone);
    const personOf = async (id: number) => (await t.db.db.selectFrom('membership').select('person_id').where('id', '=', id).executeTakeFirstOrThrow()).person_id;
    const pa = await personOf(a.id);
    await t.db.db.transaction().execute((trx) => notify(trx, [{ provinceCode: '21', to: { personId: pa }, entity: { type: 'join_application', id: 1 }, kind: 'join_approved', message: '您的入会申请已通过', dedupeKey: 'join:1' }]));
    const mine = (await wa.get('/api/worker/notifications')).json();
    expect(mine).toMatchObject({ unreadCount: 1, items: [{ kind: 'join_approved', message: '您的入会申请已通过', read: false }] });
    const id = mine.items[0].id as number;
    expect((await wb.get('/api/worker/notifications')).json()).toMatchObject({ unreadCount: 0, items: [] });
    const theirs = await wb.post(`/api/worker/notifications/${id}/read`);
    expect(theirs.statusCode).toBe(404);
    expect((await wa.post(`/api/worker/notifications/${id}/read`)).json()).toEqual({ id, read: true, unreadCount: 0 });
    expect((await wa.post('/api/worker/notifications/read-all')).json()).toEqual({ marked: 0, unreadCount: 0 });
  });
});

describe('my applications and my hotline requests', () => {
  it('lists only the worker\'s own, by identity and by the phone on record, without caller details', async () => {
    const a = await member(530);
    const b = await member(531);
    await register(a);
    await register(b);
    // a (former) application of a, and one of a stranger
    for (const [who, seq] of [[a, 530], [{ idNumber: residentId(532), phone: mobile(532) }, 532]] as const) {
      const r = await send('POST', '/api/join-applications', { orgId: tree.hepingCompany, name: '郑晓梅', idType: 'resident_id', idNumber: who.idNumber, phone: who.phone, channel: 'online' });
      expect(r.statusCode, `application ${seq}: ${r.body}`).toBe(201);
    }
    // a request a made on the public form with the phone on record, and one of b
    for (const who of [a, b]) {
      const r = await send('POST', '/api/hotline/requests', { caller: { name: '郑女士', phone: who.phone }, category: 'wage_arrears', content: '公司拖欠工资三个月', regionCode: '210102' });
      expect(r.statusCode, r.body).toBe(201);
    }
    const wa = await workerLogin(a.phone);
    const apps = (await wa.get('/api/worker/applications')).json().items;
    expect(apps).toHaveLength(1);
    expect(apps[0]).toMatchObject({ status: 'pending', statusLabel: '待审核', orgName: '和平区恒通物流有限公司工会委员会' });
    const reqs = (await wa.get('/api/worker/hotline-requests')).json().items;
    expect(reqs).toHaveLength(1);
    expect(reqs[0]).toMatchObject({ categoryLabel: '欠薪', status: 'accepted', statusLabel: '已受理', canEvaluate: false });
    expect(JSON.stringify(reqs)).not.toContain(a.phone);
    expect(JSON.stringify(reqs)).not.toContain('郑女士');
    const wb = await workerLogin(b.phone);
    expect((await wb.get('/api/worker/applications')).json().items).toEqual([]);
    expect((await wb.get('/api/worker/hotline-requests')).json().items).toHaveLength(1);
    // an officer's session opens neither
    expect((await heping.get('/api/worker/applications')).statusCode).toBe(401);
    expect((await send('GET', '/api/worker/hotline-requests')).statusCode).toBe(401);
  });
});
