import { sql, type Kysely } from 'kysely';

/**
 * Notifications (站内通知) become the platform's (issue 16, point 6): a notice is addressed to one
 * union's officers (`org_id`) or to one worker (`person_id`, the identity, so a notice waits for a
 * worker who opens an account later), is about one entity (`entity_type`, `entity_id`: a hotline
 * ticket, later an application or a claim) and carries a dedupe key, unique per addressee, so a
 * timer that fires twice or two servers notify once. Read state is per reader
 * (`notification_read`: an officer's own, as several officers share a union's notices; a worker's
 * own), replacing the single `read_at` nothing wrote. The hotline's rows keep their meaning: the
 * key is the kind and the deadline (or the row id where there was none).
 * Citus: both tables distributed by province_code, the receipt co-located with its notice.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    sql`alter table notification alter column org_id drop not null`,
    sql`alter table notification add column person_id bigint`,
    sql`alter table notification add column entity_type varchar(40)`,
    sql`alter table notification add column entity_id bigint`,
    sql`alter table notification add column dedupe_key varchar(200)`,
    sql`update notification set entity_type = 'hotline_ticket', entity_id = ticket_id,
          dedupe_key = kind || ':' || coalesce((extract(epoch from deadline) * 1000)::bigint::text, 'n' || id::text)
        where ticket_id is not null`,
    sql`update notification set entity_type = 'none', entity_id = id, dedupe_key = kind || ':n' || id::text where ticket_id is null`,
    sql`alter table notification alter column entity_type set not null`,
    sql`alter table notification alter column entity_id set not null`,
    sql`alter table notification alter column dedupe_key set not null`,
    sql`alter table notification alter column kind type varchar(40)`,
    sql`alter table notification drop constraint notification_once`,
    sql`alter table notification drop constraint notification_ticket_fkey`,
    sql`alter table notification drop column ticket_id`,
    sql`alter table notification drop column deadline`,
    sql`alter table notification drop column read_at`,
    sql`alter table notification add constraint notification_addressee_check check (num_nonnulls(org_id, person_id) = 1)`,
    sql`alter table notification add constraint notification_once unique nulls not distinct (province_code, org_id, person_id, dedupe_key)`,
    sql`create index notification_person_idx on notification (person_id, id) where person_id is not null`,
    sql`create index notification_entity_idx on notification (entity_type, entity_id)`,

    // notification_read 已读: one row per notice and reader (an officer's account or a worker's person).
    sql`create table notification_read (
      province_code char(2) not null,
      notification_id bigint not null,
      user_id integer references app_user(id),
      person_id bigint,
      read_at timestamptz not null default now(),
      constraint notification_read_reader_check check (num_nonnulls(user_id, person_id) = 1),
      constraint notification_read_once unique nulls not distinct (province_code, notification_id, user_id, person_id),
      constraint notification_read_notice_fkey foreign key (province_code, notification_id) references notification (province_code, id) on delete cascade
    )`,
  ]) await statement.execute(db);
}
