import { createHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/types.js';
import { inScope, type Scope } from './scope.js';

/** Who did it, from which request: carried from the route into every service call that writes. */
export interface Actor {
  userId: number | null;
  username: string | null;
  requestId: string | null;
  ip: string | null;
}

export const systemActor: Actor = { userId: null, username: 'system', requestId: null, ip: null };

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string | number | null;
  /** The union the change belongs to (for scoped reading of the log). */
  org: { id: number; path: string } | null;
  /** Before/after images, without PII. */
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

const GENESIS = '0'.repeat(64);
/** Advisory lock key that serializes appends, so the chain has one order. */
const AUDIT_LOCK = 23512351;

/** JSON with sorted keys, so the hash does not depend on key order (jsonb reorders keys). */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

interface HashedFields {
  at: Date;
  actorId: number | null;
  actorName: string | null;
  orgId: number | null;
  orgPath: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
  ip: string | null;
}

export function chainHash(prevHash: string, f: HashedFields): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(f)).digest('hex');
}

/**
 * Appends one record to the hash-chained audit log. Must run inside the transaction of the write
 * it describes, so the record and the change commit or roll back together.
 */
export async function recordAudit(trx: Transaction<Database>, actor: Actor, entry: AuditEntry): Promise<void> {
  await sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`.execute(trx);
  const last = await trx.selectFrom('audit_log').select('hash').orderBy('id', 'desc').limit(1).executeTakeFirst();
  const prevHash = last?.hash ?? GENESIS;
  const fields: HashedFields = {
    at: new Date(),
    actorId: actor.userId,
    actorName: actor.username,
    orgId: entry.org?.id ?? null,
    orgPath: entry.org?.path ?? null,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId === null ? null : String(entry.entityId),
    before: entry.before ?? null,
    after: entry.after ?? null,
    requestId: actor.requestId,
    ip: actor.ip,
  };
  await trx
    .insertInto('audit_log')
    .values({
      at: fields.at,
      actor_id: fields.actorId,
      actor_name: fields.actorName,
      org_id: fields.orgId,
      org_path: fields.orgPath,
      action: fields.action,
      entity_type: fields.entityType,
      entity_id: fields.entityId,
      before: fields.before === null ? null : JSON.stringify(fields.before),
      after: fields.after === null ? null : JSON.stringify(fields.after),
      request_id: fields.requestId,
      ip: fields.ip,
      prev_hash: prevHash,
      hash: chainHash(prevHash, fields),
    })
    .execute();
}

export interface AuditListItem {
  id: number;
  at: Date;
  actorName: string | null;
  orgId: number | null;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
}

/** Audit records whose union lies in the scope, newest first, keyset-paginated by id. */
export async function listAudit(
  db: Kysely<Database>,
  scope: Scope,
  opts: { limit: number; beforeId?: number; action?: string; entityType?: string },
): Promise<AuditListItem[]> {
  let q = db
    .selectFrom('audit_log')
    .select(['id', 'at', 'actor_name', 'org_id', 'action', 'entity_type', 'entity_id', 'before', 'after', 'request_id'])
    .where(inScope(scope, 'audit_log.org_path'))
    .orderBy('id', 'desc')
    .limit(opts.limit);
  if (opts.beforeId !== undefined) q = q.where('id', '<', opts.beforeId);
  if (opts.action) q = q.where('action', '=', opts.action);
  if (opts.entityType) q = q.where('entity_type', '=', opts.entityType);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    actorName: r.actor_name,
    orgId: r.org_id,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    before: r.before,
    after: r.after,
    requestId: r.request_id,
  }));
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  headHash: string;
  problems: Array<{ id: number; problem: string }>;
}

/**
 * Walks the whole chain in id order, recomputing every hash. Detects an edited row (its hash no
 * longer matches) and a deleted row (the next row's prev_hash no longer matches). The returned
 * head hash can be noted elsewhere to detect removal of the newest rows too.
 */
export async function verifyAuditChain(db: Kysely<Database>, batch = 5000): Promise<VerifyResult> {
  let prev = GENESIS;
  let lastId = 0;
  let checked = 0;
  const problems: VerifyResult['problems'] = [];
  for (;;) {
    const rows = await db.selectFrom('audit_log').selectAll().where('id', '>', lastId).orderBy('id').limit(batch).execute();
    if (rows.length === 0) break;
    for (const r of rows) {
      checked++;
      if (r.prev_hash !== prev) problems.push({ id: r.id, problem: '前一条记录缺失或被修改（prev_hash 不连续）' });
      const expected = chainHash(r.prev_hash, {
        at: r.at,
        actorId: r.actor_id,
        actorName: r.actor_name,
        orgId: r.org_id,
        orgPath: r.org_path,
        action: r.action,
        entityType: r.entity_type,
        entityId: r.entity_id,
        before: r.before,
        after: r.after,
        requestId: r.request_id,
        ip: r.ip,
      });
      if (expected !== r.hash) problems.push({ id: r.id, problem: '记录内容被篡改（哈希不符）' });
      prev = r.hash;
      lastId = r.id;
    }
  }
  return { ok: problems.length === 0, checked, headHash: prev, problems };
}
