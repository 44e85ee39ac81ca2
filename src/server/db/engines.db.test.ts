import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../../../test/helpers/db.js';
import { bootstrap } from '../bootstrap.js';
import { buildServices } from '../app.js';
import { systemActor } from '../platform/audit.js';
import { systemCaller } from '../platform/caller.js';
import { createPiiCipher } from '../platform/crypto.js';
import { TEST_PII_KEY } from '../../../test/helpers/app.js';
import { MAX_PREPARED, prepared, preparedName, type Db, type Engine } from './connect.js';

const engines: Engine[] = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
const opened: Db[] = [];
afterAll(async () => { for (const d of opened) await d.close(); });

/** Runs the same migrations, writes and queries on a database and returns what the queries saw. */
async function scenario(engine: Engine) {
  const db = await createTestDb(engine);
  opened.push(db);
  const boot = await bootstrap(db.db, { root: { name: '中华全国总工会', level: 'national', regionCode: null }, adminPassword: 'Chief#Test2026' });
  const s = buildServices(db, { sessionIdleMinutes: 30, sessionMaxHours: 12, dataDir: path.join(os.tmpdir(), 'gonghui-test') }, boot, createPiiCipher(TEST_PII_KEY));
  const scope = systemCaller(systemActor);
  const p = await s.orgs.create(scope, { parentId: boot.rootId, name: '辽宁省总工会', level: 'province', kind: 'federation', regionCode: '210000' });
  const c = await s.orgs.create(scope, { parentId: p.id, name: '沈阳市总工会', level: 'city', kind: 'federation', regionCode: '210100' });
  await s.orgs.create(scope, { parentId: c.id, name: '和平区总工会', level: 'county', kind: 'federation', regionCode: '210102' });
  // a failing transaction leaves nothing behind on either engine
  await expect(db.db.transaction().execute(async (trx) => {
    await trx.insertInto('dictionary_item').values({ type: 't', code: 'x', label: 'x', sort: 1 }).execute();
    throw new Error('rollback');
  })).rejects.toThrow('rollback');
  const rows = await db.db.selectFrom('org').select(['id', 'path', 'depth', 'name', 'level', 'created_at']).orderBy('id').execute();
  const { figures: stats } = await s.orgs.stats(scope, p.id);
  const typed = await sql<{ n: number; d: string; b: boolean; j: unknown }>`select count(*) as n, date '2025-10-11' as d, true as b, '{"a":[1,"二"]}'::jsonb as j from org`.execute(db.db);
  const dict = await db.db.selectFrom('dictionary_item').select('code').where('type', '=', 't').execute();
  const migrations = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db.db);
  return {
    rows: rows.map((r) => ({ ...r, created_at: r.created_at instanceof Date })),
    stats, typed: typed.rows, dict, migrations: migrations.rows,
  };
}

describe('the same migrations and queries give the same results on every engine', () => {
  it(`engines: ${engines.join(' and ')}`, async () => {
    const results = [];
    for (const e of engines) results.push(await scenario(e));
    const first = results[0];
    expect(first?.rows.map((r) => r.path)).toEqual(['/1/', '/1/2/', '/1/2/3/', '/1/2/3/4/']);
    expect(first?.typed).toEqual([{ n: 4, d: '2025-10-11', b: true, j: { a: [1, '二'] } }]);
    expect(first?.dict).toEqual([]);
    expect(first?.stats).toEqual({ orgId: 2, orgCount: 2, grassrootsCount: 0, childCount: 1 });
    for (const r of results.slice(1)) expect(r).toEqual(first);
  });
});

describe('prepared statements (hot queries planned once per connection)', () => {
  for (const engine of engines) {
    it(`${engine}: gives the same rows for every parameter, and on PostgreSQL runs named`, async () => {
      const db = await createTestDb(engine);
      opened.push(db);
      await bootstrap(db.db, { root: { name: '中华全国总工会', level: 'national', regionCode: null }, adminPassword: 'Chief#Test2026' });
      const byName = (name: string) => db.db.selectFrom('org').select(['id', 'name']).where('name', '=', name);
      // more runs than PostgreSQL's five custom plans, so the cached generic plan answers too
      for (let i = 0; i < 8; i++) {
        expect((await prepared(db.db, byName('中华全国总工会'))).rows).toEqual([{ id: 1, name: '中华全国总工会' }]);
        expect((await prepared(db.db, byName(`无此工会${i}`))).rows).toEqual([]);
      }
      if (engine === 'postgres') {
        // every pooled connection that ran it holds it under one name; none holds an unnamed copy
        const held = await db.db.transaction().execute(async (trx) => {
          await prepared(trx, byName('中华全国总工会'));
          return sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(trx);
        });
        expect(held.rows.map((r) => r.name)).toEqual([expect.stringMatching(/^gh_[0-9a-f]{24}$/)]);
        expect(held.rows[0]?.statement).toBe(byName('x').compile().sql);
      }
    });
  }

  it('keeps the hot shapes prepared when more shapes than the cap have run (least recently used forgotten)', async () => {
    const db = opened[0] ?? await createTestDb('pglite');
    const shape = (n: number) => db.db.selectFrom('org').select(['id']).where('id', 'in', Array.from({ length: n }, (_, i) => i + 1));
    const hot = db.db.selectFrom('org').select(['name']).where('id', '=', 1);
    await prepared(db.db, hot);
    for (let n = 1; n <= MAX_PREPARED + 10; n++) {
      await prepared(db.db, shape(n));
      if (n % 8 === 0) await prepared(db.db, hot); // the hot query keeps running among them
    }
    const text = (q: { compile(): { sql: string } }) => q.compile().sql;
    expect(preparedName(text(hot))).toMatch(/^gh_[0-9a-f]{24}$/);
    // the newest shape is registered even though the cap was passed long ago; the oldest are forgotten
    expect(preparedName(text(shape(MAX_PREPARED + 10)))).toMatch(/^gh_/);
    expect(preparedName(text(shape(1)))).toBeUndefined();
    // a forgotten shape that runs again comes back under its old name
    const before = `gh_${(await import('node:crypto')).createHash('sha256').update(text(shape(1))).digest('hex').slice(0, 24)}`;
    await prepared(db.db, shape(1));
    expect(preparedName(text(shape(1)))).toBe(before);
  });
});
