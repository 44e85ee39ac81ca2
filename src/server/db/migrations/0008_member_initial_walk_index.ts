import { sql, type Kysely } from 'kysely';

/**
 * A one-character search (a surname, 姓) of a large scope — a city, the province — newest first,
 * without reading all its matches. Migration 0006's index (first character, then the union path)
 * gives a scope's matches in path order, so the province's "王" were all read and sorted for a page
 * of 51 (26 ms of the database's time for the generator's 76,000 王; real data has about seven
 * times as many). This index leads with the first character, then the id: the page walks that
 * character's entries from the newest and keeps those in scope, about 51 ÷ (the scope's share of
 * all members) of them — ≈700 for a city, 51 for the province — and never more than all that
 * character's entries. Union path, status and name are included, so the walk is index-only (the
 * planner takes an index-only scan only when every column the query names is in the index, as for
 * 0006). Small scopes keep 0006's index (a walk would pass far more entries than they hold),
 * counties their own (0007).
 *
 * The first character is written `substr(name, 1, 1)` here, not `left(name, 1)` as in 0006 and
 * 0007 (the same character), so that the query written against it can only be answered by this
 * index: on a generic plan the scope's path filter is costed as keeping 0.5 % of the rows, and
 * with 0006's index on hand the planner read and sorted every match instead of walking (the
 * province's 王: 76,456 entries read, 22 ms, against 51).
 *
 * 604 MB at 7.4M members. A deployment already holding its members should build it by hand first
 * (`create index concurrently`, the same definition): here it is built while writes wait.
 */
const statements = [
  sql`create index membership_initial_id_idx on membership (substr(name, 1, 1), id) include (org_path, status, name)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const s of statements) await s.execute(db);
}
