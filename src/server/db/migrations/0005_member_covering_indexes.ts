import { sql, type Kysely } from 'kysely';

/**
 * Member lists and searches answered from indexes alone (index-only scans; BENCHMARKS.md):
 * each index that finds a scoped page of memberships also carries what the page is filtered
 * by (union path, status) and ordered by (id), so the 5,000-odd candidates a county list or a
 * surname search weighs are read from the index, not fetched one heap page each.
 *  - id (newest first): with the union path and status, a backward walk keeps only rows in scope;
 *  - union path range: with the status, a small subtree's rows are ranked without the heap;
 *  - name prefix and last four: with id and status, matches are collected and ranked likewise.
 */
const statements = [
  sql`drop index membership_id_idx`,
  sql`create index membership_id_idx on membership (id) include (org_path, status)`,
  sql`drop index membership_path_idx`,
  sql`create index membership_path_idx on membership (org_path text_pattern_ops, id) include (status)`,
  sql`drop index membership_last4_idx`,
  sql`create index membership_last4_idx on membership (id_last4, org_path text_pattern_ops) include (id, status)`,
  sql`drop index membership_name_idx`,
  sql`create index membership_name_idx on membership (name text_pattern_ops, org_path text_pattern_ops) include (id, status)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const s of statements) await s.execute(db);
}
