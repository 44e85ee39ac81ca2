import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../../test/helpers/app.js';
import { DEMO_PASSWORD, demoAccountsActive } from './demo.js';
import { systemActor } from './platform/audit.js';
import { systemCaller } from './platform/caller.js';

let t: TestApp;
beforeAll(async () => { t = await makeTestApp(); });
afterAll(async () => { await t?.close(); });

describe('demo accounts', () => {
  it('count while one can still sign in with the published password, and no longer once changed or disabled', async () => {
    expect(await demoAccountsActive(t.db.db)).toBe(false);
    const u = await t.services.users.create(systemCaller(systemActor), { username: 'heping', name: '演示', password: DEMO_PASSWORD, roles: [{ orgId: t.rootId, role: 'viewer' }] });
    expect(await demoAccountsActive(t.db.db)).toBe(true);
    await t.services.users.update(systemCaller(systemActor), u.id, { password: 'Xk#9vLq2!mRt' });
    expect(await demoAccountsActive(t.db.db)).toBe(false);
    const v = await t.services.users.create(systemCaller(systemActor), { username: 'dalian', name: '演示', password: DEMO_PASSWORD, roles: [{ orgId: t.rootId, role: 'viewer' }] });
    expect(await demoAccountsActive(t.db.db)).toBe(true);
    await t.services.users.update(systemCaller(systemActor), v.id, { disabled: true });
    expect(await demoAccountsActive(t.db.db)).toBe(false);
  });
});
