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

/** Whether any person has this phone on record (a code is sent only to such a phone). */
export async function phoneOnRecord(db: Q, phoneIdx: string): Promise<boolean> {
  return !!(await db.selectFrom('person').select('id').where('phone_idx', '=', phoneIdx).limit(1).executeTakeFirst());
}

export function findOtp(db: Q, phoneIdx: string, purpose: string) {
  return db.selectFrom('worker_otp').selectAll().where('phone_idx', '=', phoneIdx).where('purpose', '=', purpose).executeTakeFirst();
}

export function putOtp(db: Q, v: { phone_idx: string; purpose: string; code_hash: string; sent_at: Date; expires_at: Date }) {
  return db.insertInto('worker_otp').values(v)
    .onConflict((oc) => oc.columns(['phone_idx', 'purpose']).doUpdateSet({ code_hash: v.code_hash, sent_at: v.sent_at, expires_at: v.expires_at, attempts: 0 })).execute();
}

export function otpTried(db: Q, phoneIdx: string, purpose: string) {
  return db.updateTable('worker_otp').set((eb) => ({ attempts: eb('attempts', '+', 1) })).where('phone_idx', '=', phoneIdx).where('purpose', '=', purpose).execute();
}

export function dropOtp(db: Q, phoneIdx: string, purpose: string) {
  return db.deleteFrom('worker_otp').where('phone_idx', '=', phoneIdx).where('purpose', '=', purpose).execute();
}
