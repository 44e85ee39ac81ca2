import { sql, type Kysely } from 'kysely';

/**
 * A search by one character — in practice a surname (姓), the commonest search an officer types —
 * reads only the scope's members with that first character. The name index leads with the whole
 * name, so for "王" it read every 王… of the province (5–7 % of 8M memberships) and kept a county's
 * share: a county officer's surname search was bound by the database at ≈300 requests/s
 * (BENCHMARKS.md). This index leads with the first character, then the union path, so the same
 * search reads the county's 王 alone (a few thousand index entries), index-only. The name itself
 * is included because the planner takes an index-only scan only when every column the query
 * names is in the index; with the expression alone it fetched every match from the table (for
 * the largest county's 吴 at 7.4M members, warm: 1.75 ms against 0.36 ms index-only).
 */
const statements = [
  sql`create index membership_initial_idx on membership (left(name, 1), org_path text_pattern_ops) include (id, status, name)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const s of statements) await s.execute(db);
}
