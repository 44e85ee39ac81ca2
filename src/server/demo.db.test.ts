import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../../test/helpers/app.js';
import { DEMO_PASSWORD, demoAccountsActive, GIVEN_FEMALE, GIVEN_MALE, loadDemo } from './demo.js';
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

describe('the demo data', () => {
  it('covers every module, the hotline with each of its stages and notices', async () => {
    const d = await makeTestApp();
    try {
      const summary = await loadDemo(d.services, d.rootId, 'national');
      expect(summary.members).toBeGreaterThan(100);
      const count = async (table: 'membership' | 'join_application' | 'member_transfer' | 'hotline_ticket') =>
        Number((await d.db.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      expect(await count('join_application')).toBeGreaterThan(0);
      // names follow the sex the identity number says
      const people = await d.db.db.selectFrom('person').select(['name', 'gender']).execute();
      const given = (name: string) => name.slice(1);
      expect(people.filter((p) => p.gender === 'male' && GIVEN_FEMALE.includes(given(p.name)))).toEqual([]);
      expect(people.filter((p) => p.gender === 'female' && GIVEN_MALE.includes(given(p.name)))).toEqual([]);
      expect(people.filter((p) => p.gender === 'female').length).toBeGreaterThan(20);
      expect(await count('member_transfer')).toBeGreaterThan(0);
      const tickets = await d.db.db.selectFrom('hotline_ticket').select(['status', 'amount_recovered_fen', 'supervised']).execute();
      // the five stages, and the demo worker's own request (accepted)
      expect(tickets.map((r) => r.status).sort()).toEqual(['accepted', 'accepted', 'dispatched', 'dispatched', 'evaluated', 'signed']);
      expect(tickets.find((r) => r.status === 'evaluated')?.amount_recovered_fen).toBe(2_400_050);
      expect(tickets.some((r) => r.supervised)).toBe(true);
      expect(await d.services.hotline.sweepOverdue()).toBeGreaterThanOrEqual(1);
      const notices = await d.db.db.selectFrom('notification as n').innerJoin('org as o', 'o.id', 'n.org_id').select(['n.kind', 'o.name']).execute();
      expect(notices).toEqual(expect.arrayContaining([
        { kind: 'supervise', name: '和平区总工会' }, { kind: 'overdue', name: '和平区总工会' },
      ]));
    } finally {
      await d.close();
    }
  });
});
