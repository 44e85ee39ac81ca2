import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import type { Database, ReviewStepTable } from '../../db/types.js';
import { inScope, type Scope } from '../../platform/scope.js';

type Q = Kysely<Database> | Transaction<Database>;

function base(db: Q) {
  return db.selectFrom('review_step as s').innerJoin('org as o', 'o.id', 's.org_id').selectAll('s').select(['o.name as org_name', 'o.level as org_level']);
}
export type StepRow = Awaited<ReturnType<ReturnType<typeof base>['executeTakeFirstOrThrow']>>;

/** A step by id, without scope: only to learn its chain (and so the permission that scopes it). */
export function entityTypeOf(db: Q, id: number) {
  return db.selectFrom('review_step').select('entity_type').where('id', '=', id).executeTakeFirst();
}

export function find(db: Q, scope: Scope, id: number): Promise<StepRow | undefined> {
  return base(db).where('s.id', '=', id).where(inScope(scope, 's.org_path')).executeTakeFirst();
}

export function lock(trx: Transaction<Database>, scope: Scope, id: number): Promise<StepRow | undefined> {
  return base(trx).where('s.id', '=', id).where(inScope(scope, 's.org_path')).forUpdate('s').executeTakeFirst();
}

export async function lastRound(trx: Transaction<Database>, provinceCode: string, entityType: string, entityId: number): Promise<number> {
  const r = await trx.selectFrom('review_step').select((eb) => eb.fn.max('round').as('round'))
    .where('province_code', '=', provinceCode).where('entity_type', '=', entityType).where('entity_id', '=', entityId).executeTakeFirst();
  return Number(r?.round ?? 0);
}

export function insert(trx: Transaction<Database>, v: Insertable<ReviewStepTable>) {
  return trx.insertInto('review_step').values(v).returning('id').executeTakeFirstOrThrow();
}

export function decide(trx: Transaction<Database>, id: number, v: { status: string; decided_by: number | null; decided_by_name: string | null; reason: string | null; handed_to_org_id?: number | null }) {
  return trx.updateTable('review_step').set({ ...v, decided_at: new Date(), version: sql`version + 1` }).where('id', '=', id).execute();
}

/** The unions above a path, nearest first, with their levels (the chain's candidates). */
export async function ancestors(db: Q, path: string) {
  const ids = path.split('/').filter(Boolean).map(Number).slice(0, -1);
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('org').select(['id', 'name', 'path', 'level']).where('id', 'in', ids).execute();
  return rows.sort((a, b) => b.path.length - a.path.length);
}

export function orgInfo(db: Q, id: number) {
  return db.selectFrom('org').select(['id', 'name', 'path', 'level', 'parent_id']).where('id', '=', id).executeTakeFirst();
}

export interface QueueFilter { byType: Array<{ entityType: string; scope: Scope }>; overdue?: boolean; limit: number; after?: { deadline: string; id: number } }

/** Pending steps held inside the scope of each chain's permission, most urgent first (deadline, id). */
export function queue(db: Q, f: QueueFilter): Promise<StepRow[]> {
  if (f.byType.length === 0) return Promise.resolve([]);
  let q = base(db).where('s.status', '=', 'pending')
    .where((eb) => eb.or(f.byType.map((t) => eb.and([eb('s.entity_type', '=', t.entityType), inScope(t.scope, 's.org_path')]))))
    .orderBy('s.deadline').orderBy('s.id').limit(f.limit);
  if (f.overdue) q = q.where('s.deadline', '<', sql<Date>`now()`);
  if (f.after) {
    const a = f.after;
    q = q.where((eb) => eb.or([eb('s.deadline', '>', new Date(a.deadline)), eb.and([eb('s.deadline', '=', new Date(a.deadline)), eb('s.id', '>', a.id)])]));
  }
  return q.execute();
}

/** Every step of an entity, in order (its review history). */
export function history(db: Q, entityType: string, entityId: number): Promise<StepRow[]> {
  return base(db).where('s.entity_type', '=', entityType).where('s.entity_id', '=', entityId).orderBy('s.id').execute();
}

/** Claims pending steps past their deadline not yet marked, skipping rows another sweeper holds. */
export function claimOverdue(trx: Transaction<Database>, limit: number) {
  return trx.selectFrom('review_step').select(['id']).where('status', '=', 'pending').where('overdue', '=', false)
    .where('deadline', '<', sql<Date>`now()`).orderBy('deadline').limit(limit).forUpdate().skipLocked().execute();
}

export async function markOverdue(trx: Transaction<Database>, ids: number[]) {
  if (ids.length === 0) return [];
  await trx.updateTable('review_step').set({ overdue: true }).where('id', 'in', ids).execute();
  return trx.selectFrom('review_step as s').innerJoin('org as o', 'o.id', 's.org_id')
    .select(['s.id', 's.province_code', 's.entity_type', 's.entity_id', 's.summary', 's.deadline', 's.org_id', 'o.name as org_name', 'o.parent_id'])
    .where('s.id', 'in', ids).execute();
}
