import { sql, type Kysely } from 'kysely';
import { eventTable } from '../migration-helpers.js';

/**
 * The workflow kernel's timelines (issue 16, point 1): transfers get one (made by the helper every
 * service's migration uses), and join applications' events record the status before and after, as
 * the hotline's do. Citus: `member_transfer_event` is distributed by person_id with its transfer.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    ...eventTable('member_transfer_event', { entity: 'member_transfer', key: 'transfer_id', distribution: { column: 'person_id', type: 'bigint' } }),
    sql`alter table join_application_event add column from_status varchar(20), add column to_status varchar(20)`,
  ]) await statement.execute(db);
}
