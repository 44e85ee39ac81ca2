import { sql, type Kysely } from 'kysely';

/**
 * The handling union's path on the ticket itself, so a scoped queue reads one index instead of
 * joining every org of the subtree (measured in BENCHMARKS.md). A trigger keeps it right when a
 * union, or a subtree above it, moves.
 */
const statements = [
  sql`alter table hotline_ticket add column handling_org_path text collate "C"`,
  sql`update hotline_ticket t set handling_org_path = o.path from org o where o.id = t.handling_org_id`,
  sql`alter table hotline_ticket alter column handling_org_path set not null`,
  sql`drop index hotline_ticket_open_deadline_idx`,
  sql`create index hotline_ticket_open_deadline_idx on hotline_ticket (deadline, id) where status in ('accepted','dispatched','signed','returned')`,
  sql`create index hotline_ticket_open_path_idx on hotline_ticket (handling_org_path text_pattern_ops, deadline) where status in ('accepted','dispatched','signed','returned')`,
  sql`create index hotline_ticket_path_idx on hotline_ticket (handling_org_path text_pattern_ops)`,
  sql`create function hotline_ticket_follow_org_path() returns trigger language plpgsql as $$
    begin
      update hotline_ticket set handling_org_path = new.path where handling_org_id = new.id;
      return null;
    end $$`,
  sql`create trigger org_path_to_tickets after update of path on org
    for each row when (old.path is distinct from new.path) execute function hotline_ticket_follow_org_path()`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const s of statements) await s.execute(db);
}
