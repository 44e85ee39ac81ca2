import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDb } from '../../../test/helpers/db.js';
import type { Db } from './connect.js';

/**
 * The Citus plan (README, "National scale") as a table: every table of the schema is planned —
 * distributed by a column, a small reference table copied to every node, or kept on the
 * coordinator — and a new table that is not planned fails here. On a distributed table every
 * primary and unique key must hold the distribution column (Citus enforces a key only inside one
 * shard); the two keys of `person` that cannot are named with what replaces them.
 */
type Plan = { distributed: string } | { reference: true } | { coordinator: string };

const PLAN: Record<string, Plan> = {
  person: { distributed: 'id' },
  membership: { distributed: 'person_id' },
  membership_change: { distributed: 'person_id' },
  member_transfer: { distributed: 'person_id' },
  member_transfer_event: { distributed: 'person_id' },
  hotline_ticket: { distributed: 'province_code' },
  hotline_event: { distributed: 'province_code' },
  notification: { distributed: 'province_code' },
  notification_read: { distributed: 'province_code' },
  attachment: { distributed: 'province_code' },
  review_step: { distributed: 'province_code' },
  publicity_notice: { distributed: 'province_code' },
  publicity_objection: { distributed: 'province_code' },
  member_stat: { distributed: 'org_id' },
  member_count: { distributed: 'org_id' },
  org: { reference: true },
  dictionary_item: { reference: true },
  calendar_day: { reference: true },
  app_user: { reference: true },
  user_role: { reference: true },
  audit_log: { coordinator: 'one hash chain in one order; a national deployment would chain per province' },
  join_application: { coordinator: 'applications are decided within days and looked up by number from the public page' },
  join_application_event: { coordinator: 'the timeline of join_application' },
  import_job: { coordinator: 'a few jobs per union per year' },
  job: { coordinator: 'background work, claimed by any server' },
  periodic_task: { coordinator: 'a handful of periodic tasks' },
  leader_lease: { coordinator: 'who runs the periodic tasks' },
  import_error: { coordinator: 'rows of import_job, deleted with the job' },
  session: { coordinator: 'signed-in officers only' },
  worker_account: { coordinator: 'found by phone at sign-in; one row per worker who opened an account' },
  worker_session: { coordinator: 'signed-in workers only' },
  worker_otp: { coordinator: 'live one-time codes, beside worker_account' },
  login_throttle: { coordinator: 'failed sign-ins of the last hours' },
  kysely_migration: { coordinator: 'schema bookkeeping' },
  kysely_migration_lock: { coordinator: 'schema bookkeeping' },
};

/** Keys of a distributed table that leave the column out, each with what replaces it on Citus. */
const REPLACED: Record<string, string> = {
  person_identity_key: 'a lookup table (id_idx, id_type) → person_id distributed by id_idx',
  person_member_no_key: 'a lookup table member_no → person_id distributed by member_no',
};

describe('Citus readiness', () => {
  let db: Db;
  beforeAll(async () => { db = await createTestDb(); });
  afterAll(async () => { await db.close(); });

  it('plans every table, and every key of a distributed table holds its distribution column', async () => {
    const tables = await sql<{ name: string }>`
      select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p') order by 1`.execute(db.db);
    const unplanned = tables.rows.map((t) => t.name).filter((t) => !(t in PLAN));
    expect(unplanned, 'tables with no Citus plan: add them to PLAN (and the README)').toEqual([]);
    expect(Object.keys(PLAN).filter((t) => !tables.rows.some((r) => r.name === t)), 'planned tables that do not exist').toEqual([]);

    const keys = await sql<{ table_name: string; key_name: string; columns: string[] }>`
      select c.relname as table_name, i.relname as key_name,
        array(select a.attname::text from unnest(ix.indkey) with ordinality k(n, ord) join pg_attribute a on a.attrelid = c.oid and a.attnum = k.n order by k.ord) as columns
      from pg_index ix join pg_class i on i.oid = ix.indexrelid join pg_class c on c.oid = ix.indrelid
      join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and ix.indisunique`.execute(db.db);
    const missing: string[] = [];
    const replaced = new Set<string>();
    for (const k of keys.rows) {
      const plan = PLAN[k.table_name];
      if (!plan || !('distributed' in plan)) continue;
      if (k.columns.includes(plan.distributed)) continue;
      if (REPLACED[k.key_name]) { replaced.add(k.key_name); continue; }
      missing.push(`${k.table_name}.${k.key_name} (${k.columns.join(', ')}) lacks ${plan.distributed}`);
    }
    expect(missing).toEqual([]);
    expect([...replaced].sort(), 'a replaced key that no longer exists: drop it from REPLACED').toEqual(Object.keys(REPLACED).sort());

    // a foreign key between two distributed tables joins on the distribution column (co-location)
    const fks = await sql<{ table_name: string; ref_table: string; columns: string[]; ref_columns: string[] }>`
      select c.relname as table_name, r.relname as ref_table,
        array(select a.attname::text from unnest(f.conkey) with ordinality k(n, ord) join pg_attribute a on a.attrelid = c.oid and a.attnum = k.n order by k.ord) as columns,
        array(select a.attname::text from unnest(f.confkey) with ordinality k(n, ord) join pg_attribute a on a.attrelid = r.oid and a.attnum = k.n order by k.ord) as ref_columns
      from pg_constraint f join pg_class c on c.oid = f.conrelid join pg_class r on r.oid = f.confrelid
      join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and f.contype = 'f'`.execute(db.db);
    const badFks = fks.rows.filter((f) => {
      const a = PLAN[f.table_name];
      const b = PLAN[f.ref_table];
      if (!a || !b || !('distributed' in a) || !('distributed' in b)) return false;
      const i = f.ref_columns.indexOf(b.distributed);
      return i < 0 || f.columns[i] !== a.distributed;
    }).map((f) => `${f.table_name}(${f.columns.join(', ')}) → ${f.ref_table}(${f.ref_columns.join(', ')})`);
    expect(badFks).toEqual([]);
  });
});
