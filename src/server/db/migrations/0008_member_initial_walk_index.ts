import { sql, type Kysely } from 'kysely';

/**
 * A one-character search (a surname, 姓) of a large scope — a city, the province — newest first,
 * without reading all its matches. Migration 0006's index (first character, then the union path)
 * gives a scope's matches in path order, so the province's "王" were all read and sorted for a page
 * of 51 (26 ms of the database's time for the generator's 76,000 王; real data has about seven
 * times as many). This index leads with the first character, then the id: the page walks that
 * character's entries from the newest and keeps those in scope, about 51 ÷ (the scope's share of
 * all members) of them — ≈700 for a city, 51 for the province — and never more than all that
 * character's entries. Union path and status are included, so the walk is index-only. Small
 * scopes keep 0006's index (a walk would pass far more entries than they hold), counties their own
 * (0007).
 */
const statements = [
  sql`create index membership_initial_id_idx on membership (left(name, 1), id) include (org_path, status)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const s of statements) await s.execute(db);
}
