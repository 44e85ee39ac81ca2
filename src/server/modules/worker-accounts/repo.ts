import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/types.js';

type Q = Kysely<Database> | Transaction<Database>;

export function insertAccount(trx: Transaction<Database>, row: { personId: number; phoneIdx: string; passwordHash: string }) {
  return trx.insertInto('worker_account').values({ person_id: row.personId, phone_idx: row.phoneIdx, password_hash: row.passwordHash, created_at: sql<Date>`now()` })
    .returning(['id', 'person_id']).executeTakeFirstOrThrow();
}

export function findByPhone(db: Q, phoneIdx: string) {
  return db.selectFrom('worker_account').selectAll().where('phone_idx', '=', phoneIdx).executeTakeFirst();
}

export function markLogin(db: Q, id: number) {
  return db.updateTable('worker_account').set({ last_login_at: sql<Date>`now()` }).where('id', '=', id).execute();
}

export function insertSession(db: Q, s: { id: string; workerId: number; csrfToken: string; expiresAt: Date }) {
  return db.insertInto('worker_session').values({ id: s.id, worker_id: s.workerId, csrf_token: s.csrfToken, created_at: sql<Date>`now()`, last_seen_at: sql<Date>`now()`, expires_at: s.expiresAt }).execute();
}

/** A session that has not expired, of an account that is not disabled. */
export function findLiveSession(db: Q, id: string) {
  return db.selectFrom('worker_session as s').innerJoin('worker_account as w', 'w.id', 's.worker_id')
    .select(['s.id', 's.csrf_token', 's.created_at', 's.last_seen_at', 'w.id as worker_id', 'w.person_id', 'w.disabled'])
    .where('s.id', '=', id).where('s.expires_at', '>', sql<Date>`now()`).executeTakeFirst();
}

export function touchSession(db: Q, id: string, expiresAt: Date) {
  return db.updateTable('worker_session').set({ last_seen_at: sql<Date>`now()`, expires_at: expiresAt }).where('id', '=', id).execute();
}

export function deleteSession(db: Q, id: string) {
  return db.deleteFrom('worker_session').where('id', '=', id).execute();
}

export function deleteExpired(db: Q) {
  return db.deleteFrom('worker_session').where('expires_at', '<=', sql<Date>`now()`).execute();
}
