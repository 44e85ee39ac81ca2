import { sql, type Kysely } from 'kysely';

/**
 * A county union's (县级工会) newest members, in id order, straight from one index. A county holds
 * 0.3–1.5 % of a province's members: too few for the walk of the id index (a county officer's
 * first page read ≈4,800 index entries to find 51 of the county's, 0.6 ms of the database's time
 * per page at 7.4M members) and too many to sort (≈90,000 for the largest county). This index
 * leads with the path's first four segments — national/province/city/county under the default
 * national root — then the id, so the page is the index's last 51 entries under that head
 * (0.06–0.09 ms). The expression must stay exactly as `repo.COUNTY_HEAD` writes it, or the
 * planner will not match it. Under a province root (GONGHUI_ROOT_LEVEL=province) the four
 * segments name a street union instead: the bootstrap remakes both indexes for the root's level
 * at start (members/repo.ts, ensureCountyIndexes), three segments there.
 *
 * The same for the commonest search a county officer types, one character (a surname): the first
 * character, then the county head, then the id. Migration 0006's index (first character, then the
 * union path) gave the county's matches in path order, all of them read and sorted (≈940 for the
 * largest county's 苏: 0.30 ms against 0.08 ms, pgbench, one client, 7.4M members). 0006's index
 * stays for the other scopes. Both indexes ≈360 MB at 7.4M members.
 */
const statements = [
  sql`create index membership_county_idx on membership ((substring(org_path from '^(?:/[0-9]+){4}/')), id)`,
  sql`create index membership_county_initial_idx on membership (left(name, 1), (substring(org_path from '^(?:/[0-9]+){4}/')), id)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const s of statements) await s.execute(db);
}
