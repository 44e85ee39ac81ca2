import { sql, type Kysely } from 'kysely';

/**
 * Money in one form (issue 16, point 8): amounts are integers of fen (分) in every table. The
 * hotline's recovered wages were numeric yuan; they become `amount_recovered_fen` (bigint, never
 * negative), converted exactly (numeric(14,2) × 100 is a whole number).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    sql`alter table hotline_ticket add column amount_recovered_fen bigint constraint hotline_amount_recovered_fen_check check (amount_recovered_fen >= 0)`,
    sql`update hotline_ticket set amount_recovered_fen = (amount_recovered * 100)::bigint where amount_recovered is not null`,
    sql`alter table hotline_ticket drop column amount_recovered`,
  ]) await statement.execute(db);
}
