import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/types.js';
import { inScope, inSubtree, type Scope } from '../../platform/scope.js';

type Q = Kysely<Database> | Transaction<Database>;

/** join_application 入会申请 rows with their union's name and path (the path decides scope). */
export function base(db: Q) {
  return db.selectFrom('join_application as a').innerJoin('org as o', 'o.id', 'a.org_id').selectAll('a').select(['o.name as org_name', 'o.path as org_path']);
}
export type AppRow = Awaited<ReturnType<ReturnType<typeof base>['executeTakeFirstOrThrow']>>;

export function find(db: Q, scope: Scope, id: number) {
  return base(db).where('a.id', '=', id).where(inScope(scope, 'o.path')).executeTakeFirst();
}

export function lock(trx: Transaction<Database>, scope: Scope, id: number) {
  return base(trx).where('a.id', '=', id).where(inScope(scope, 'o.path')).forUpdate('a').executeTakeFirst();
}

export function list(db: Q, scope: Scope, f: { orgPath?: string | undefined; status?: string | undefined; beforeId?: number | undefined; limit: number }) {
  let q = base(db).where(inScope(scope, 'o.path'));
  if (f.orgPath) q = q.where(inSubtree('o.path', f.orgPath));
  if (f.status) q = q.where('a.status', '=', f.status);
  if (f.beforeId !== undefined) q = q.where('a.id', '<', f.beforeId);
  return q.orderBy('a.id', 'desc').limit(f.limit).execute();
}

/** The public lookup: number and phone together. */
export function byNumberAndPhone(db: Q, applicationNo: string, phoneIdx: string) {
  return base(db).where('a.application_no', '=', applicationNo).where('a.phone_idx', '=', phoneIdx).executeTakeFirst();
}

export function events(db: Q, applicationId: number) {
  return db.selectFrom('join_application_event as e').leftJoin('org as o', 'o.id', 'e.org_id').leftJoin('org as t', 't.id', 'e.target_org_id')
    .select(['e.action', 'o.name as org_name', 't.name as target_org_name', 'e.note', 'e.actor_name', 'e.at'])
    .where('e.application_id', '=', applicationId).orderBy('e.id').execute();
}

export function insertEvent(trx: Q, v: { application_id: number; action: string; org_id: number | null; target_org_id: number | null; note: string | null; actor_id: number | null; actor_name: string | null }) {
  return trx.insertInto('join_application_event').values(v).execute();
}

/** The next application number: the day in Asia/Shanghai and eight digits of the row's id sequence. */
export async function nextApplicationNo(trx: Transaction<Database>): Promise<string> {
  const no = await sql<{ no: string }>`select to_char(now() at time zone 'Asia/Shanghai', 'YYYYMMDD') || lpad((nextval(pg_get_serial_sequence('join_application', 'id')) % 100000000)::text, 8, '0') as no`.execute(trx);
  return no.rows[0]?.no ?? '';
}

export function insert(trx: Transaction<Database>, v: {
  application_no: string; org_id: number; channel: string; name: string; id_type: string; id_idx: string; id_enc: string; id_masked: string;
  gender: string | null; birth_date: string | null; phone_enc: string; phone_idx: string; phone_masked: string; employer: string | null; occupation: string | null; groups: string[];
}) {
  return trx.insertInto('join_application').values({ ...v, status: 'pending' }).returning('id').executeTakeFirstOrThrow();
}

export function setApproved(trx: Transaction<Database>, id: number, by: number | null, membershipId: number) {
  return trx.updateTable('join_application').set({ status: 'approved', decided_by: by, decided_at: new Date(), membership_id: membershipId, version: sql`version + 1`, updated_at: new Date() })
    .where('id', '=', id).execute();
}

export function setRejected(trx: Transaction<Database>, id: number, by: number | null, reason: string) {
  return trx.updateTable('join_application').set({ status: 'rejected', reject_reason: reason, decided_by: by, decided_at: new Date(), version: sql`version + 1`, updated_at: new Date() })
    .where('id', '=', id).execute();
}

/** 转办: the application moves to another union. */
export function setOrg(trx: Transaction<Database>, id: number, orgId: number) {
  return trx.updateTable('join_application').set({ org_id: orgId, version: sql`version + 1`, updated_at: new Date() }).where('id', '=', id).execute();
}

/** An approved application's identity by its number and phone (the worker's card lookup). */
export function approvedIdentity(db: Q, applicationNo: string, phoneIdx: string) {
  return db.selectFrom('join_application').select(['id_type', 'id_idx'])
    .where('application_no', '=', applicationNo).where('phone_idx', '=', phoneIdx).where('membership_id', 'is not', null).executeTakeFirst();
}


/** Applications of one identity (a signed-in worker's own), newest first. */
export function byIdentity(db: Q, idType: string, idIdx: string) {
  return base(db).where('a.id_type', '=', idType).where('a.id_idx', '=', idIdx).orderBy('a.id', 'desc').limit(50).execute();
}
