import { sql, type Kysely } from 'kysely';

/**
 * One-time codes (短信验证码) of the worker pages, when the deployment sends SMS (WORKER_SMS):
 * one live code per phone and purpose, kept as a keyed hash, with its expiry and the wrong tries.
 * Citus: on the coordinator, beside worker_account.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table worker_otp (
    phone_idx char(64) not null,
    purpose varchar(20) not null,
    code_hash char(64) not null,
    sent_at timestamptz not null,
    expires_at timestamptz not null,
    attempts integer not null default 0,
    primary key (phone_idx, purpose)
  )`.execute(db);
}
