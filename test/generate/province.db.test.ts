import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateProvince } from '../../scripts/generate/province.js';
import { validateCreditCode } from '../../src/server/platform/credit-code.js';
import { createPiiCipher } from '../../src/server/platform/crypto.js';
import { checkPhone, checkResidentId, maskIdNumber, maskPhone } from '../../src/server/platform/pii.js';
import { regionChildren } from '../../src/server/platform/region.js';
import { TICKET_STATUSES } from '../../src/server/modules/hotline/schemas.js';
import { makeTestApp, TEST_PII_KEY, type TestApp } from '../helpers/app.js';

/**
 * The province generator (`npm run gen`) at a small size: what the benchmarks measure is only as
 * good as the data they run on, so the data is checked with the product's own validators.
 */
const OPTIONS = { members: 3000, orgs: 700, seed: 2351, provinceCode: '210000', tickets: 300 };
const pii = createPiiCipher(TEST_PII_KEY);

async function generate(t: TestApp) {
  const root = await t.db.db.selectFrom('org').select(['id', 'path', 'depth']).where('id', '=', t.rootId).executeTakeFirstOrThrow();
  return generateProvince(t.db, pii, root, OPTIONS, () => {});
}

/** Everything the seed decides, in one string: people, memberships and unions in id order. */
async function fingerprint(t: TestApp) {
  const r = await sql<{ f: string }>`select
      (select string_agg(concat_ws('|', name, id_masked, phone_masked, birth_date, gender, groups::text, id_idx), ',' order by id) from person)
      || (select string_agg(concat_ws('|', person_id, org_path, status, joined_on, ended_on, channel), ',' order by id) from membership)
      || (select string_agg(concat_ws('|', path, name, credit_code), ',' order by id) from org) as f`.execute(t.db.db);
  return r.rows[0]?.f ?? '';
}

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
  await generate(t);
});
afterAll(async () => t?.close());

describe('province generator', () => {
  it('builds the real city and county structure of the province, with valid, unique union credit codes', async () => {
    const orgs = await t.db.db.selectFrom('org').select(['name', 'level', 'credit_code', 'region_code']).where('id', '!=', t.rootId).execute();
    const cities = orgs.filter((o) => o.level === 'city').map((o) => o.name).sort();
    expect(cities).toEqual(regionChildren('210000').map((c) => `${c.name}总工会`).sort());
    expect(cities).toContain('沈阳市总工会');
    const counties = orgs.filter((o) => o.level === 'county');
    expect(counties.length).toBe(regionChildren('210000').reduce((n, c) => n + regionChildren(c.code).length, 0));
    expect(orgs.filter((o) => o.level === 'street').length).toBeGreaterThan(counties.length);
    expect(orgs.length).toBe(OPTIONS.orgs);
    for (const o of orgs) {
      expect(validateCreditCode(o.credit_code ?? '', { union: true })).toMatchObject({ ok: true });
      expect(o.region_code?.startsWith('21')).toBe(true);
    }
    expect(new Set(orgs.map((o) => o.credit_code)).size).toBe(orgs.length);
    expect(orgs.filter((o) => o.level === 'grassroots').every((o) => o.credit_code?.startsWith('81'))).toBe(true);
  });

  it('gives every person a valid, unique resident ID of the province, sealed and indexed by the product’s own code', async () => {
    const people = await t.db.db.selectFrom('person').select(['id_type', 'id_enc', 'id_idx', 'id_masked', 'birth_date', 'gender', 'phone_enc', 'phone_idx', 'phone_masked']).execute();
    expect(people.length).toBe(OPTIONS.members);
    const ids = new Set<string>();
    for (const p of people) {
      const id = pii.decrypt(p.id_enc);
      const check = checkResidentId(id);
      expect(check, id).toMatchObject({ ok: true });
      if (!check.ok) continue;
      expect(id.slice(0, 2)).toBe('21');
      expect(p.birth_date).toBe(check.birthDate);
      expect(p.gender).toBe(check.gender);
      const age = 2026 - Number(check.birthDate.slice(0, 4));
      expect(age).toBeGreaterThanOrEqual(16);
      expect(age).toBeLessThanOrEqual(70);
      expect(p.id_type).toBe('resident_id');
      expect(p.id_idx).toBe(pii.blindIndex('resident_id', id));
      expect(p.id_masked).toBe(maskIdNumber(id));
      ids.add(id);
      const phone = pii.decrypt(p.phone_enc ?? '');
      expect(checkPhone(phone, { mobileOnly: true })).toMatchObject({ ok: true });
      expect(p.phone_idx).toBe(pii.blindIndex('phone', phone));
      expect(p.phone_masked).toBe(maskPhone(phone));
    }
    expect(ids.size).toBe(people.length);
  });

  it('spreads members over grassroots unions and years, with transfers and leavers, and counters equal to the rows', async () => {
    const m = await t.db.db.selectFrom('membership as m').innerJoin('org as o', 'o.id', 'm.org_id')
      .select(['m.status', 'm.joined_on', 'm.person_id', 'm.org_path', 'o.path', 'o.level']).execute();
    const statuses = new Set(m.map((x) => x.status));
    for (const s of ['active', 'transferred']) expect(statuses).toContain(s);
    expect([...statuses].some((s) => s !== 'active' && s !== 'transferred')).toBe(true);
    expect(m.every((x) => x.level === 'grassroots' && x.org_path === x.path)).toBe(true);
    expect(new Set(m.map((x) => x.joined_on.slice(0, 4))).size).toBeGreaterThanOrEqual(15);
    // a transferred person's one current membership is elsewhere
    const current = new Map<number, number>();
    for (const x of m) if (x.status === 'active') current.set(x.person_id, (current.get(x.person_id) ?? 0) + 1);
    expect([...current.values()].every((n) => n === 1)).toBe(true);
    const counted = await sql<{ org_id: number; n: number }>`select org_id, count(*)::int as n from membership where status = 'active' group by org_id`.execute(t.db.db);
    const counters = await t.db.db.selectFrom('member_count').select(['org_id', 'active']).where('active', '>', 0).execute();
    expect(new Map(counters.map((c) => [c.org_id, Number(c.active)]))).toEqual(new Map(counted.rows.map((c) => [c.org_id, c.n])));
  });

  it('draws surnames as often as they are borne: 王 and 李 common, 龚 rare', async () => {
    const names = await t.db.db.selectFrom('person').select('name').execute();
    const share = (s: string) => names.filter((n) => n.name.startsWith(s)).length / names.length;
    expect(share('王')).toBeGreaterThan(0.05);
    expect(share('王')).toBeLessThan(0.11);
    expect(share('李')).toBeGreaterThan(0.05);
    expect(share('龚')).toBeLessThan(0.01);
    expect(names.every((n) => [...n.name].length >= 2 && [...n.name].length <= 3)).toBe(true);
  });

  it('files hotline orders in every state, open ones past their deadline marked overdue', async () => {
    const tickets = await t.db.db.selectFrom('hotline_ticket').select(['status', 'overdue', 'handling_org_path']).execute();
    expect(tickets.length).toBe(OPTIONS.tickets);
    expect(new Set(tickets.map((x) => x.status))).toEqual(new Set(TICKET_STATUSES));
    expect(tickets.some((x) => x.overdue)).toBe(true);
    expect(tickets.filter((x) => x.overdue).every((x) => ['accepted', 'dispatched', 'signed', 'returned'].includes(x.status))).toBe(true);
  });

  it('is deterministic: the same seed gives the same province', async () => {
    const again = await makeTestApp();
    try {
      await generate(again);
      expect(await fingerprint(again)).toBe(await fingerprint(t));
    } finally {
      await again.close();
    }
  });
});
