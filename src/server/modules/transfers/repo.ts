import { sql, type Expression, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { Database } from '../../db/types.js';
import { inScope, type Scope } from '../../platform/scope.js';

type Q = Kysely<Database> | Transaction<Database>;

/** member_transfer 转会 rows with the person's name and both unions' names and paths. */
export function base(db: Q) {
  return db.selectFrom('member_transfer as t')
    .innerJoin('person as p', 'p.id', 't.person_id')
    .innerJoin('org as f', 'f.id', 't.from_org_id')
    .innerJoin('org as d', 'd.id', 't.to_org_id')
    .selectAll('t')
    .select(['p.name', 'p.id_masked', 'p.member_no', 'f.name as from_org_name', 'f.path as from_org_path', 'd.name as to_org_name', 'd.path as to_org_path']);
}
export type TransferRow = Awaited<ReturnType<ReturnType<typeof base>['executeTakeFirstOrThrow']>>;

/**
 * The transfers a scope sees: those leaving it, and those coming in once the old union has
 * released them. A request the new union started by identity number stays out of its sight until
 * then, so that neither the request nor its rejection tells the new union whether that number
 * belongs to a member, or where.
 */
export function incoming(scope: Scope) {
  return sql<boolean>`(${inScope(scope, 'd.path')} and t.released_at is not null)`;
}
export function outgoing(scope: Scope) {
  return inScope(scope, 'f.path');
}
export function eitherSide(scope: Scope) {
  return sql<boolean>`(${outgoing(scope)} or ${incoming(scope)})`;
}

export function find(db: Q, scope: Scope, id: number) {
  return base(db).where('t.id', '=', id).where(eitherSide(scope)).executeTakeFirst();
}

export function lock(trx: Transaction<Database>, scope: Scope, id: number) {
  return base(trx).where('t.id', '=', id).where(eitherSide(scope)).forUpdate('t').executeTakeFirst();
}

export function byId(db: Q, id: number) {
  return base(db).where('t.id', '=', id).executeTakeFirstOrThrow();
}

export function list(db: Q, where: Expression<SqlBool>, f: { status?: string | undefined; beforeId?: number | undefined; limit: number }) {
  let q = base(db).where(where);
  if (f.status) q = q.where('t.status', '=', f.status);
  if (f.beforeId !== undefined) q = q.where('t.id', '<', f.beforeId);
  return q.orderBy('t.id', 'desc').limit(f.limit).execute();
}

export function insert(trx: Transaction<Database>, v: {
  person_id: number; from_membership_id: number; from_org_id: number; to_org_id: number; reason: string; status: 'requested' | 'released'; created_by: number | null;
  released_by?: number | null; released_at?: Date;
}) {
  return trx.insertInto('member_transfer').values(v).returning('id').executeTakeFirstOrThrow();
}

export function setReleased(trx: Transaction<Database>, personId: number, id: number, by: number | null) {
  return trx.updateTable('member_transfer').set({ status: 'released', released_by: by, released_at: new Date(), version: sql`version + 1` })
    .where('person_id', '=', personId).where('id', '=', id).execute();
}

export function setAccepted(trx: Transaction<Database>, personId: number, id: number, by: number | null, newMembershipId: number) {
  return trx.updateTable('member_transfer').set({ status: 'accepted', decided_by: by, decided_at: new Date(), new_membership_id: newMembershipId, version: sql`version + 1` })
    .where('person_id', '=', personId).where('id', '=', id).execute();
}

export function setRejected(trx: Transaction<Database>, personId: number, id: number, by: number | null, reason: string) {
  return trx.updateTable('member_transfer').set({ status: 'rejected', reject_reason: reason, decided_by: by, decided_at: new Date(), version: sql`version + 1` })
    .where('person_id', '=', personId).where('id', '=', id).execute();
}

/** Closes the person's open transfer (their membership ended: 除名 or 退会). */
export function cancelOpenFor(trx: Transaction<Database>, personId: number) {
  return trx.updateTable('member_transfer').set({ status: 'rejected', reject_reason: '会籍已终止', decided_at: new Date() })
    .where('person_id', '=', personId).where('status', 'in', ['requested', 'released']).execute();
}

/** A transfer's timeline (read after the transfer itself was found in scope). */
export function events(db: Q, personId: number, transferId: number) {
  return db.selectFrom('member_transfer_event as e').leftJoin('org as o', 'o.id', 'e.org_id')
    .select(['e.action', 'e.from_status', 'e.to_status', 'o.name as org_name', 'e.note', 'e.actor_name', 'e.at'])
    .where('e.person_id', '=', personId).where('e.transfer_id', '=', transferId).orderBy('e.id').execute();
}
