import { sql, type ExpressionBuilder, type Kysely, type Transaction } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { prepared } from '../../db/connect.js';
import type { Database, UserRow } from '../../db/types.js';
import { containsText, inScope, type Scope } from '../../platform/scope.js';

type Q = Kysely<Database> | Transaction<Database>;

export interface RoleRow { id: number; user_id: number; org_id: number; role: string; org_name: string; org_path: string }

/** Account by login name (case-insensitive), for signing in (system use). */
export function findByUsername(db: Q, username: string): Promise<UserRow | undefined> {
  return db.selectFrom('app_user').selectAll().where(sql`lower(username)`, '=', username.toLowerCase()).executeTakeFirst();
}

/** Account by id (system use: session resolution). */
export function findByIdUnscoped(db: Q, id: number): Promise<UserRow | undefined> {
  return db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Every role of the given users, with the union's name and path. Unscoped: callers filter. */
export function rolesOf(db: Q, userIds: number[]): Promise<RoleRow[]> {
  if (userIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('user_role')
    .innerJoin('org', 'org.id', 'user_role.org_id')
    .select(['user_role.id', 'user_role.user_id', 'user_role.org_id', 'user_role.role', 'org.name as org_name', 'org.path as org_path'])
    .where('user_role.user_id', 'in', userIds)
    .orderBy('user_role.id')
    .execute();
}

/** `app_user` holds at least one role on a union inside the scope (optionally on one union). */
function holdsRoleInScope(scope: Scope, orgId?: number) {
  return (eb: ExpressionBuilder<Database, 'app_user'>) =>
    eb.exists(
      eb
        .selectFrom('user_role')
        .innerJoin('org', 'org.id', 'user_role.org_id')
        .select(sql`1`.as('one'))
        .whereRef('user_role.user_id', '=', 'app_user.id')
        .where(inScope(scope, 'org.path'))
        .$if(orgId !== undefined, (qb) => qb.where('user_role.org_id', '=', orgId ?? 0)),
    );
}

/** Accounts holding at least one role on a union inside the scope, keyset by id. */
export function list(db: Q, scope: Scope, opts: { q?: string; orgId?: number; limit: number; afterId?: number }): Promise<UserRow[]> {
  let query = db.selectFrom('app_user').selectAll('app_user').where(holdsRoleInScope(scope, opts.orgId)).orderBy('app_user.id').limit(opts.limit);
  if (opts.q) {
    const q = opts.q;
    query = query.where((eb) => eb.or([containsText('app_user.username', q), containsText('app_user.name', q)]));
  }
  if (opts.afterId !== undefined) query = query.where('app_user.id', '>', opts.afterId);
  return query.execute();
}

/** The account with `id` if it holds a role inside the scope. */
export function findById(db: Q, scope: Scope, id: number): Promise<UserRow | undefined> {
  return db.selectFrom('app_user').selectAll('app_user').where('app_user.id', '=', id).where(holdsRoleInScope(scope)).executeTakeFirst();
}

export function insert(trx: Transaction<Database>, values: { username: string; name: string; password_hash: string }): Promise<UserRow> {
  return trx.insertInto('app_user').values(values).returningAll().executeTakeFirstOrThrow();
}

export function update(
  trx: Transaction<Database>,
  id: number,
  values: Partial<Pick<UserRow, 'name' | 'password_hash' | 'disabled' | 'locked_until' | 'failed_logins' | 'first_failed_at'>>,
): Promise<UserRow | undefined> {
  if (Object.keys(values).length === 0) return trx.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirst(); // nothing to set (an unlock alone)
  return trx.updateTable('app_user').set(values).where('id', '=', id).returningAll().executeTakeFirst();
}

export function insertRole(trx: Transaction<Database>, userId: number, orgId: number, role: string) {
  return trx
    .insertInto('user_role')
    .values({ user_id: userId, org_id: orgId, role })
    .onConflict((oc) => oc.columns(['user_id', 'org_id', 'role']).doNothing())
    .returning('id')
    .executeTakeFirst();
}

/** Deletes a role if its union lies in the scope; returns the deleted row. */
export function deleteRole(trx: Transaction<Database>, scope: Scope, userId: number, roleId: number) {
  return trx
    .deleteFrom('user_role')
    .where('id', '=', roleId)
    .where('user_id', '=', userId)
    .where('org_id', 'in', (eb) => eb.selectFrom('org').select('org.id').where(inScope(scope, 'org.path')))
    .returning((eb) => ['id', 'org_id', 'role', eb.selectFrom('org').select('org.path').whereRef('org.id', '=', 'user_role.org_id').as('org_path')])
    .executeTakeFirst();
}

/** The throttle row of a typed username (its SHA-256) from one client address. */
export function findThrottle(db: Q, usernameKey: string, ip: string) {
  return db.selectFrom('login_throttle').selectAll().where('username_key', '=', usernameKey).where('ip', '=', ip).executeTakeFirst();
}

/**
 * Counts one failed sign-in of a typed username from one address, in one statement (concurrent
 * failures all count). Failures reset after `windowMinutes` without one; from the `blockAfter`th on,
 * the pair is blocked for `firstBlockSeconds`, doubling with each further failure up to `maxBlockSeconds`.
 */
export async function registerThrottleFailure(db: Q, usernameKey: string, ip: string, o: { windowMinutes: number; blockAfter: number; firstBlockSeconds: number; maxBlockSeconds: number }) {
  const fresh = sql<boolean>`t.last_failed_at >= now() - make_interval(mins => ${o.windowMinutes})`;
  const r = await sql<{ failures: number; blocked_until: Date | null }>`
    insert into login_throttle as t (username_key, ip, failures, last_failed_at, blocked_until)
    values (${usernameKey}, ${ip}, 1, now(), ${o.blockAfter <= 1 ? sql`now() + make_interval(secs => ${o.firstBlockSeconds})` : sql`null`})
    on conflict (username_key, ip) do update set
      failures = case when ${fresh} then t.failures + 1 else 1 end,
      last_failed_at = now(),
      blocked_until = case when ${fresh} and t.failures + 1 >= ${o.blockAfter}
        then now() + make_interval(secs => least(${o.maxBlockSeconds}, ${o.firstBlockSeconds} * power(2, t.failures + 1 - ${o.blockAfter}))::int)
        else null end
    returning failures, blocked_until`.execute(db);
  const row = r.rows[0];
  if (!row) throw new Error('login_throttle upsert returned nothing');
  return row;
}

export function clearThrottle(db: Q, usernameKey: string, ip?: string) {
  let q = db.deleteFrom('login_throttle').where('username_key', '=', usernameKey);
  if (ip !== undefined) q = q.where('ip', '=', ip);
  return q.execute();
}

/** Which of these usernames' keys are blocked from some address now. */
export async function blockedKeys(db: Q, usernameKeys: string[]): Promise<Set<string>> {
  if (!usernameKeys.length) return new Set();
  const rows = await db.selectFrom('login_throttle').select('username_key').distinct()
    .where('username_key', 'in', usernameKeys).where('blocked_until', '>', sql<Date>`now()`).execute();
  return new Set(rows.map((r) => r.username_key));
}

/** Forgets throttle rows nobody has failed on for a day. */
export function purgeThrottle(db: Q) {
  return db.deleteFrom('login_throttle').where('last_failed_at', '<', sql<Date>`now() - interval '1 day'`).execute();
}

/** Sessions are system rows keyed by the sha256 of the cookie token. */
export function insertSession(db: Kysely<Database>, s: { id: string; userId: number; csrfToken: string; expiresAt: Date }) {
  return db
    .insertInto('session')
    .values({ id: s.id, user_id: s.userId, csrf_token: s.csrfToken, last_seen_at: new Date(), expires_at: s.expiresAt })
    .execute();
}

/**
 * A live session with its officer and the officer's roles, in one round trip, as a prepared
 * statement: every authenticated request runs this first, and planning it cost more than running it.
 */
export async function findLiveSession(db: Kysely<Database>, id: string) {
  const query = db
    .selectFrom('session')
    .innerJoin('app_user', 'app_user.id', 'session.user_id')
    .select(['session.id', 'session.csrf_token', 'session.created_at', 'session.last_seen_at', 'app_user.id as user_id', 'app_user.username', 'app_user.name', 'app_user.disabled'])
    .select((eb) => jsonArrayFrom(
      eb.selectFrom('user_role').innerJoin('org', 'org.id', 'user_role.org_id')
        .select(['user_role.role', 'user_role.org_id', 'org.name as org_name', 'org.path as org_path'])
        .whereRef('user_role.user_id', '=', 'app_user.id')
        .orderBy('user_role.id'),
    ).as('roles'))
    .where('session.id', '=', id)
    .where('session.expires_at', '>', sql<Date>`now()`);
  const r = await prepared(db, query);
  return r.rows[0];
}

export function touchSession(db: Kysely<Database>, id: string, expiresAt: Date) {
  return db.updateTable('session').set({ last_seen_at: new Date(), expires_at: expiresAt }).where('id', '=', id).execute();
}

export function deleteSession(db: Kysely<Database>, id: string) {
  return db.deleteFrom('session').where('id', '=', id).execute();
}

export function deleteUserSessions(db: Kysely<Database>, userId: number) {
  return db.deleteFrom('session').where('user_id', '=', userId).execute();
}

export function deleteExpired(db: Kysely<Database>) {
  return db.deleteFrom('session').where('expires_at', '<=', sql<Date>`now()`).execute();
}
