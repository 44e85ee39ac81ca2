import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeTestApp, makeTree, PASSWORD, type Session, type TestApp, type Tree } from '../../../../test/helpers/app.js';
import { systemCaller } from '../../platform/caller.js';

let t: TestApp;
let tree: Tree;
let heping: Session;

beforeAll(async () => {
  t = await makeTestApp();
  tree = await makeTree(t);
  heping = await login(t.app, 'heping');
});
afterAll(async () => t?.close());

const loginRaw = (username: string, password: string) =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });

describe('auth', () => {
  it('unknown user and wrong password get the same answer', async () => {
    const a = await loginRaw('nobody', 'Whatever@123');
    const b = await loginRaw('heping_viewer', 'Wrong@Password1');
    expect(a.statusCode).toBe(401);
    expect(b.statusCode).toBe(401);
    expect(a.json()).toEqual(b.json());
    expect(a.json().error.code).toBe('BAD_CREDENTIALS');
  });

  it('throttles a username from one address after 5 failures, known or not alike, and never locks the officer out elsewhere', async () => {
    await t.services.users.create(systemCaller({ userId: null, username: 'test', requestId: null, ip: null }), {
      username: 'lockme', name: '锁定测试', password: PASSWORD, roles: [{ orgId: tree.heping, role: 'viewer' }],
    });
    const from = (username: string, password: string, ip: string) => t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: ip, payload: { username, password } });
    const answers: Record<string, Array<{ status: number; body: unknown }>> = { lockme: [], ghost: [] };
    for (const name of ['lockme', 'ghost'] as const) {
      for (let i = 0; i < 6; i++) {
        const r = await from(name, 'Wrong@Password1', '203.0.113.7');
        const body = r.json() as { error: { code: string; message: string; details?: unknown } };
        answers[name]?.push({ status: r.statusCode, body: { code: body.error.code, message: body.error.message.replace(/\d+/g, 'N') } });
      }
    }
    // a name that does not exist answers exactly like one that does, before and after the fifth try
    expect(answers.ghost).toEqual(answers.lockme);
    expect(answers.lockme?.map((a) => a.status)).toEqual([401, 401, 401, 401, 423, 423]);
    // blocked, even with the right password, from that address; Retry-After says for how long
    const right = await from('lockme', PASSWORD, '203.0.113.7');
    expect(right.statusCode).toBe(423);
    expect(right.json().error.code).toBe('ACCOUNT_LOCKED');
    const wait = Number(right.headers['retry-after']);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(30);
    // the officer at their own desk signs in meanwhile: the stranger locked out only the stranger
    expect((await from('lockme', PASSWORD, '198.51.100.20')).statusCode).toBe(200);
    // delays grow with each further failure once the wait is over (tries while blocked do not count)
    for (const max of [60, 120, 240]) {
      await t.db.db.updateTable('login_throttle').set({ blocked_until: new Date(Date.now() - 1000) }).execute();
      expect((await from('lockme', 'Wrong@Password1', '203.0.113.7')).statusCode).toBe(423);
      const next = await from('lockme', PASSWORD, '203.0.113.7');
      expect(Number(next.headers['retry-after'])).toBeGreaterThan(max / 2);
      expect(Number(next.headers['retry-after'])).toBeLessThanOrEqual(max);
    }
    // the list shows it locked, and an admin unlocks it
    const listed = (await heping.get('/api/users?q=lockme')).json().items[0];
    expect(listed.locked).toBe(true);
    const unlocked = await heping.patch(`/api/users/${listed.id}`, { unlock: true });
    expect(unlocked.statusCode, unlocked.body).toBe(200);
    expect((await from('lockme', PASSWORD, '203.0.113.7')).statusCode).toBe(200);
    // the throttle keeps no usernames
    const rows = await t.db.db.selectFrom('login_throttle').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain('ghost');
  });

  it('counts the client behind a named proxy by X-Forwarded-For, and ignores the header from anyone else', async () => {
    const behind = await makeTestApp({ TRUST_PROXY: '127.0.0.1' });
    try {
      await makeTree(behind);
      const via = (xff: string, password: string, remoteAddress = '127.0.0.1') => behind.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress, headers: { 'x-forwarded-for': xff }, payload: { username: 'heping_viewer', password } });
      for (let i = 0; i < 5; i++) await via('203.0.113.9', 'Wrong@Password1');
      expect((await via('203.0.113.9', PASSWORD)).statusCode).toBe(423);
      expect((await via('198.51.100.7', PASSWORD)).statusCode).toBe(200); // another client behind the same proxy
      // a client that is not the proxy cannot pick its address by the header
      for (let i = 0; i < 5; i++) await via(`192.0.2.${i}`, 'Wrong@Password1', '192.0.2.200');
      expect((await via('192.0.2.99', PASSWORD, '192.0.2.200')).statusCode).toBe(423);
    } finally { await behind.close(); }
  });

  it('takes about as long for an unknown username as for a wrong password', async () => {
    const time = async (username: string) => { const t0 = performance.now(); await t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '192.0.2.50', payload: { username, password: 'Wrong@Password1' } }); return performance.now() - t0; };
    await time('heping_viewer');
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 4; i++) { known.push(await time('heping_viewer')); unknown.push(await time(`nobody${i}`)); }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    // both verify an argon2id hash (tens of ms); a skipped verification would be ~1 ms
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.5);
  });

  it('sets an httpOnly SameSite=Lax cookie, requires the CSRF header on writes, and logs out', async () => {
    const res = await loginRaw('heping_officer', PASSWORD);
    const c = res.cookies.find((x) => x.name === 'gh_session');
    expect(c).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    const cookie = `gh_session=${c?.value}`;
    const body = { name: 'CSRF测试工会', parentId: tree.heping, level: 'grassroots', kind: 'grassroots', regionCode: '210102' };
    const noCsrf = await t.app.inject({ method: 'POST', url: '/api/orgs', headers: { cookie }, payload: body });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().error.code).toBe('CSRF_TOKEN_INVALID');
    const wrong = await t.app.inject({ method: 'POST', url: '/api/orgs', headers: { cookie, 'x-csrf-token': 'forged' }, payload: body });
    expect(wrong.statusCode).toBe(403);
    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
    expect(me.json()).toMatchObject({ user: { username: 'heping_officer' }, roles: [{ orgId: tree.heping, orgName: '和平区总工会', role: 'officer' }] });
    expect(me.json().permissions).toContain('org.create');
    expect(me.json().permissions).not.toContain('user.manage');
    const countyAdmin = await heping.get('/api/auth/me');
    expect(countyAdmin.json().permissions).toContain('user.manage');
    expect(countyAdmin.json().permissions).not.toContain('dictionary.update');
    const root = await login(t.app, 'admin', 'Chief#Test2026');
    expect((await root.get('/api/auth/me')).json().permissions).toContain('dictionary.update');
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie, 'x-csrf-token': res.json().csrfToken } });
    expect(out.statusCode).toBe(204);
    const after = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
    expect(after.statusCode).toBe(401);
  });

  it('an expired session is refused', async () => {
    const s = await login(t.app, 'heping_viewer');
    await t.db.db.updateTable('session').set({ expires_at: new Date(Date.now() - 1000) }).execute();
    const res = await s.get('/api/auth/me');
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('SESSION_EXPIRED');
    heping = await login(t.app, 'heping');
  });

  it('no session → 401 on protected routes', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/orgs' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error).toMatchObject({ code: 'NOT_AUTHENTICATED', message: '请先登录' });
  });

  it('stores argon2id hashes only', async () => {
    const rows = await t.db.db.selectFrom('app_user').select('password_hash').execute();
    for (const r of rows) expect(r.password_hash).toMatch(/^\$argon2id\$/);
  });
});

describe('accounts', () => {
  it('creates an officer in scope with a strong password; weak passwords are refused', async () => {
    const weak = await heping.post('/api/users', { username: 'weakling', name: '弱密码', password: 'abc12345', roles: [{ orgId: tree.heping, role: 'officer' }] });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.code).toBe('PASSWORD_TOO_WEAK');
    const ok = await heping.post('/api/users', { username: 'hp_new', name: '新干部', password: 'Strong@Pass2026', roles: [{ orgId: tree.hepingCompany, role: 'officer' }] });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ username: 'hp_new', roles: [{ orgId: tree.hepingCompany, role: 'officer' }] });
    expect(ok.body).not.toContain('argon2');
    const dup = await heping.post('/api/users', { username: 'HP_NEW', name: '重复', password: 'Strong@Pass2026', roles: [{ orgId: tree.heping, role: 'viewer' }] });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('USERNAME_TAKEN');
  });

  it('cannot grant roles outside its scope, by creating or by granting (404, nothing written)', async () => {
    const before = await t.db.db.selectFrom('app_user').select('id').execute();
    const res = await heping.post('/api/users', { username: 'spy', name: '越权', password: 'Strong@Pass2026', roles: [{ orgId: tree.zhongshan, role: 'admin' }] });
    expect(res.statusCode).toBe(404);
    expect((await t.db.db.selectFrom('app_user').select('id').execute()).length).toBe(before.length);
    const mine = (await heping.get('/api/users?q=hp_new')).json().items[0];
    const grant = await heping.post(`/api/users/${mine.id}/roles`, { orgId: tree.province, role: 'admin' });
    expect(grant.statusCode).toBe(404);
    const up = await heping.post(`/api/users/${mine.id}/roles`, { orgId: tree.heping, role: 'viewer' });
    expect(up.statusCode).toBe(200);
    expect(up.json().roles).toHaveLength(2);
  });

  it('cannot see or change accounts of another county', async () => {
    const zs = await t.db.db.selectFrom('app_user').select('id').where('username', '=', 'zhongshan').executeTakeFirstOrThrow();
    expect((await heping.get(`/api/users/${zs.id}`)).statusCode).toBe(404);
    expect((await heping.patch(`/api/users/${zs.id}`, { disabled: true })).statusCode).toBe(404);
    expect((await heping.post(`/api/users/${zs.id}/roles`, { orgId: tree.heping, role: 'admin' })).statusCode).toBe(404);
    const list = (await heping.get('/api/users?limit=200')).json().items.map((u: { username: string }) => u.username);
    expect(list).toContain('heping_officer');
    expect(list).not.toContain('zhongshan');
    expect(list).not.toContain('shenyang');
  });

  it('cannot change an account that also holds roles above its scope', async () => {
    const sy = await login(t.app, 'shenyang');
    const created = (await sy.post('/api/users', { username: 'two_hats', name: '双重身份', password: 'Strong@Pass2026', roles: [{ orgId: tree.shenyang, role: 'viewer' }, { orgId: tree.heping, role: 'officer' }] })).json();
    const res = await heping.patch(`/api/users/${created.id}`, { disabled: true });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('USER_SCOPE_PARTIAL');
    const view = (await heping.get(`/api/users/${created.id}`)).json();
    expect(view.roles.map((r: { orgId: number }) => r.orgId)).toEqual([tree.heping]);
  });

  it('a disabled account cannot sign in and its sessions end', async () => {
    const s = await login(t.app, 'hp_new', 'Strong@Pass2026');
    const id = (await heping.get('/api/users?q=hp_new')).json().items[0].id;
    expect((await heping.patch(`/api/users/${id}`, { disabled: true })).json().disabled).toBe(true);
    expect((await s.get('/api/auth/me')).statusCode).toBe(401);
    expect((await loginRaw('hp_new', 'Strong@Pass2026')).statusCode).toBe(401);
  });
});

describe('passwords', () => {
  // each sign-in from its own address: the login route's rate limit is per address
  let n = 0;
  const addr = () => `198.51.100.${++n}`;
  const signIn = (username: string, password = PASSWORD) => login(t.app, username, password, addr());
  const tryLogin = (username: string, password: string) => t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: addr(), payload: { username, password } });
  const mk = (username: string, orgId: number, role: 'officer' | 'viewer' | 'admin' = 'officer') =>
    t.services.users.create(systemCaller({ userId: null, username: 'test', requestId: null, ip: null }), { username, name: username, password: PASSWORD, roles: [{ orgId, role }] });

  it('an officer changes their own password: the current one checked, the policy kept, the other sessions ended', async () => {
    await mk('pw_self', tree.heping);
    const here = await signIn('pw_self');
    const elsewhere = await signIn('pw_self');
    const change = (body: object) => here.post('/api/auth/password', body);
    expect((await change({ currentPassword: 'Wrong@Password1', newPassword: 'Fresh#Pass2026x' })).json().error.code).toBe('PASSWORD_CURRENT_WRONG');
    expect((await change({ currentPassword: PASSWORD, newPassword: 'short' })).statusCode).toBe(400);
    expect((await change({ currentPassword: PASSWORD, newPassword: PASSWORD })).json().error.code).toBe('PASSWORD_UNCHANGED');
    expect((await change({ currentPassword: PASSWORD })).statusCode).toBe(400);
    expect((await tryLogin('pw_self', PASSWORD)).statusCode).toBe(200); // nothing changed so far
    const ok = await change({ currentPassword: PASSWORD, newPassword: 'Fresh#Pass2026x' });
    expect(ok.statusCode, ok.body).toBe(204);
    expect((await here.get('/api/auth/me')).statusCode).toBe(200);
    expect((await elsewhere.get('/api/auth/me')).statusCode).toBe(401);
    expect((await tryLogin('pw_self', PASSWORD)).statusCode).toBe(401);
    expect((await tryLogin('pw_self', 'Fresh#Pass2026x')).statusCode).toBe(200);
    const audit = await t.db.db.selectFrom('audit_log').select(['action', 'after']).where('action', '=', 'auth.password.change').execute();
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain('Fresh#Pass2026x');
    // the printed admin password can be changed too
    const admin = await signIn('admin', 'Chief#Test2026');
    expect((await admin.post('/api/auth/password', { currentPassword: 'Chief#Test2026', newPassword: 'Chief#Changed2026' })).statusCode).toBe(204);
    expect((await tryLogin('admin', 'Chief#Changed2026')).statusCode).toBe(200);
    expect((await admin.post('/api/auth/password', { currentPassword: 'Chief#Changed2026', newPassword: 'Chief#Test2026' })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: 'a', newPassword: 'b' } })).statusCode).toBe(401);
  });

  it('wrong current passwords count toward the sign-in throttle', async () => {
    await mk('pw_guess', tree.heping);
    const s = await signIn('pw_guess');
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await s.post('/api/auth/password', { currentPassword: `Guess#${i}Password`, newPassword: 'Fresh#Pass2026x' })).statusCode);
    expect(codes.slice(0, 4)).toEqual([422, 422, 422, 422]);
    expect(codes.at(-1)).toBe(423);
  });

  it('an admin resets an account in scope: its sessions end, the new password works; not outside scope, not by a viewer, not one\'s own', async () => {
    const target = await mk('pw_reset', tree.hepingCompany);
    const victim = await signIn('pw_reset');
    const reset = (s: Session, id: number, newPassword = 'Reset#Pass2026x') => s.post(`/api/users/${id}/password`, { newPassword });
    const zs = await signIn('zhongshan');
    expect((await reset(zs, target.id)).statusCode).toBe(404);
    const viewer = await signIn('heping_viewer');
    expect((await reset(viewer, target.id)).statusCode).toBe(403);
    expect((await reset(heping, target.id, 'weak')).statusCode).toBe(400);
    const me = (await heping.get('/api/auth/me')).json().user.id as number;
    expect((await reset(heping, me)).json().error.code).toBe('PASSWORD_RESET_SELF');
    expect((await tryLogin('pw_reset', PASSWORD)).statusCode).toBe(200);
    expect((await reset(heping, target.id)).statusCode).toBe(204);
    expect((await victim.get('/api/auth/me')).statusCode).toBe(401);
    expect((await tryLogin('pw_reset', PASSWORD)).statusCode).toBe(401);
    expect((await tryLogin('pw_reset', 'Reset#Pass2026x')).statusCode).toBe(200);
    expect((await t.db.db.selectFrom('audit_log').select('action').where('action', '=', 'user.password.reset').execute())).toHaveLength(1);
  });
});

describe('audit log', () => {
  it('records every write with actor and request id, shown only within scope', async () => {
    const created = await heping.post('/api/orgs', { name: '审计测试有限公司工会', parentId: tree.heping, level: 'grassroots', kind: 'grassroots', regionCode: '210102' });
    const reqId = created.headers['x-request-id'];
    const res = await heping.get('/api/audit?action=org.create&limit=5');
    expect(res.statusCode).toBe(200);
    const entry = res.json().items[0];
    expect(entry).toMatchObject({ action: 'org.create', actorName: 'heping', entityId: String(created.json().id), requestId: reqId });
    const zs = await login(t.app, 'zhongshan');
    const theirs = (await zs.get('/api/audit?limit=200')).json().items;
    expect(theirs.some((e: { entityId: string; action: string }) => e.entityId === String(created.json().id) && e.action === 'org.create')).toBe(false);
    const officer = await login(t.app, 'heping_officer');
    expect((await officer.get('/api/audit')).statusCode).toBe(403);
    const users = (await heping.get('/api/audit?entityType=user&limit=200')).json().items;
    expect(JSON.stringify(users)).not.toMatch(/argon2|Strong@Pass/);
  });
});
