import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/types.js';
import { inScope, type Scope } from '../../platform/scope.js';
import type { RowError } from './roster.js';

type Q = Kysely<Database> | Transaction<Database>;

/** An import job (名册导入任务) with its union's path (the path decides scope). */
export function jobQuery(db: Q) {
  return db.selectFrom('import_job as j').innerJoin('org as o', 'o.id', 'j.org_id').selectAll('j').select(['o.path as org_path']);
}
export type JobRow = Awaited<ReturnType<ReturnType<typeof jobQuery>['executeTakeFirstOrThrow']>>;

export function findJob(db: Q, scope: Scope, id: number) {
  return jobQuery(db).where('j.id', '=', id).where(inScope(scope, 'o.path')).executeTakeFirst();
}

export function jobById(db: Q, id: number) {
  return jobQuery(db).where('j.id', '=', id).executeTakeFirstOrThrow();
}

export function recentJobs(db: Q, scope: Scope, limit: number) {
  return jobQuery(db).where(inScope(scope, 'o.path')).orderBy('j.id', 'desc').limit(limit).execute();
}

export function insertJob(trx: Transaction<Database>, v: { org_id: number; created_by: number | null; file_name: string; file_path: string; file_sha256: string; file_size: number }) {
  return trx.insertInto('import_job').values({ ...v, kind: 'members', status: 'queued' }).returning('id').executeTakeFirstOrThrow();
}

/** One page of a job's rejected rows, in row order after `afterRow`. */
export function errorPage(db: Q, jobId: number, afterRow: number, limit: number) {
  return db.selectFrom('import_error').selectAll().where('job_id', '=', jobId).where('row_no', '>', afterRow).orderBy('row_no').limit(limit).execute();
}

/** A batch's rejected rows (a batch re-run after a crash finds them there and adds nothing). */
export function insertErrors(trx: Transaction<Database>, jobId: number, errors: readonly RowError[]) {
  return trx.insertInto('import_error').values(errors.map((e) => ({ job_id: jobId, row_no: e.rowNo, column_name: e.column, masked_value: e.value, reason: e.reason })))
    .onConflict((oc) => oc.columns(['job_id', 'row_no']).doNothing()).execute();
}

/** A batch is written: its counts added and the resume point moved, in the batch's transaction. */
export function addBatch(trx: Transaction<Database>, jobId: number, lastRowNo: number, c: { inserted: number; updated: number; skipped: number; errors: number }) {
  return trx.updateTable('import_job').set({
    processed: lastRowNo, heartbeat_at: new Date(),
    inserted: sql`inserted + ${c.inserted}`, updated: sql`updated + ${c.updated}`, skipped: sql`skipped + ${c.skipped}`, error_count: sql`error_count + ${c.errors}`,
  }).where('id', '=', jobId).execute();
}

/** The running job's heartbeat (a job whose heartbeat goes stale is taken over). */
export function beat(db: Q, jobId: number) {
  return db.updateTable('import_job').set({ heartbeat_at: new Date() }).where('id', '=', jobId).where('status', '=', 'running').execute();
}

export function setTotal(db: Q, jobId: number, total: number) {
  return db.updateTable('import_job').set({ total, heartbeat_at: new Date() }).where('id', '=', jobId).execute();
}

export function setDone(trx: Transaction<Database>, jobId: number, total: number) {
  return trx.updateTable('import_job').set({ status: 'done', total, finished_at: new Date() })
    .where('id', '=', jobId).returning(['inserted', 'updated', 'skipped', 'error_count']).executeTakeFirstOrThrow();
}

export function setFailed(db: Q, jobId: number, failure: string) {
  return db.updateTable('import_job').set({ status: 'failed', failure, finished_at: new Date() }).where('id', '=', jobId).execute();
}

export function setRunning(trx: Transaction<Database>, jobId: number) {
  return trx.updateTable('import_job').set({ status: 'running', heartbeat_at: new Date(), started_at: sql`coalesce(started_at, now())`, attempts: sql`attempts + 1` })
    .where('id', '=', jobId).execute();
}
