import { sql, type Kysely } from 'kysely';

/**
 * Hardening (issue 14):
 * - `login_throttle` (登录限制): failed sign-ins counted per typed username and client address, so
 *   that a stranger's guesses slow down only that stranger, never lock the officer out, and an
 *   unknown username is throttled exactly like a known one. The username is kept only as its
 *   SHA-256 (the same string typed again finds its row; the table lists no names).
 * - `audit_log.keyed`: rows from now on are chained with an HMAC whose key lives outside the
 *   database (derived from the master key), so recomputing the hashes after an edit is detected.
 *   Older rows keep their plain SHA-256 chain; once a keyed row exists, every later one must be.
 * - `membership.ended_snapshot`: the person's details as they were when a membership ended (a
 *   transfer, 除名, 退会), so the former union keeps reading what it had, not what the new union
 *   changed since.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    sql`create table login_throttle (
      username_key char(64) not null,
      ip varchar(64) not null,
      failures integer not null default 0,
      last_failed_at timestamptz not null,
      blocked_until timestamptz,
      primary key (username_key, ip)
    )`,
    sql`create index login_throttle_age_idx on login_throttle (last_failed_at)`,
    sql`alter table audit_log add column keyed boolean not null default false`,
    sql`alter table membership add column ended_snapshot jsonb`,
  ]) await statement.execute(db);
}
