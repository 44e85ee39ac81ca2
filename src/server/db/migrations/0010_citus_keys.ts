import { sql, type Kysely } from 'kysely';

/**
 * Keys ready for Citus (issue 15, point 8; plan in README "National scale"): on a distributed table
 * every primary and unique key must hold the distribution column, and a foreign key between two
 * distributed tables must join on it.
 * - `hotline_ticket` is keyed (province_code, id) and its number is unique per province;
 *   `hotline_event` and `notification` carry the ticket's province (co-located with it) and
 *   reference the ticket by (province_code, ticket_id). Plain indexes on the ticket's id and
 *   number keep lookups by either one an index scan on one server.
 * - `member_transfer` is keyed (person_id, id), co-located with the person's memberships.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    sql`alter table hotline_event add column province_code char(2)`,
    sql`update hotline_event e set province_code = t.province_code from hotline_ticket t where t.id = e.ticket_id`,
    sql`alter table hotline_event alter column province_code set not null`,
    sql`alter table notification add column province_code char(2)`,
    sql`update notification n set province_code = t.province_code from hotline_ticket t where t.id = n.ticket_id`,
    sql`update notification n set province_code = left(coalesce(o.region_code, '00'), 2) from org o where n.province_code is null and o.id = n.org_id`,
    sql`alter table notification alter column province_code set not null`,

    sql`alter table hotline_event drop constraint hotline_event_ticket_id_fkey`,
    sql`alter table notification drop constraint notification_ticket_id_fkey`,
    sql`alter table hotline_ticket drop constraint hotline_ticket_pkey`,
    sql`alter table hotline_ticket add constraint hotline_ticket_pkey primary key (province_code, id)`,
    sql`create index hotline_ticket_id_idx on hotline_ticket (id)`,
    sql`alter table hotline_ticket drop constraint hotline_ticket_no_unique`,
    sql`alter table hotline_ticket add constraint hotline_ticket_no_unique unique (province_code, ticket_no)`,
    sql`create index hotline_ticket_no_idx on hotline_ticket (ticket_no)`,

    sql`alter table hotline_event drop constraint hotline_event_pkey`,
    sql`alter table hotline_event add constraint hotline_event_pkey primary key (province_code, id)`,
    sql`alter table hotline_event add constraint hotline_event_ticket_fkey foreign key (province_code, ticket_id) references hotline_ticket (province_code, id)`,

    sql`alter table notification drop constraint notification_pkey`,
    sql`alter table notification add constraint notification_pkey primary key (province_code, id)`,
    sql`alter table notification drop constraint notification_once`,
    sql`alter table notification add constraint notification_once unique (province_code, org_id, ticket_id, kind, deadline)`,
    sql`alter table notification add constraint notification_ticket_fkey foreign key (province_code, ticket_id) references hotline_ticket (province_code, id)`,

    sql`alter table member_transfer drop constraint member_transfer_pkey`,
    sql`alter table member_transfer add constraint member_transfer_pkey primary key (person_id, id)`,
    sql`create index member_transfer_id_idx on member_transfer (id)`,
  ]) await statement.execute(db);
}
