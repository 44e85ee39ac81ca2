import { createHash, createHmac } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/types.js';
import { inScope, type Scope } from './scope.js';
import type { AuditAction } from '../../common/audit.js';

/** Who did it, from which request: carried from the route into every service call that writes. */
export interface Actor {
  userId: number | null;
  username: string | null;
  requestId: string | null;
  ip: string | null;
}

export const systemActor: Actor = { userId: null, username: 'system', requestId: null, ip: null };

export interface AuditEntry {
  /** One of the catalog (src/common/audit.ts). */
  action: AuditAction;
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

/**
 * The hash of one record over the previous one: HMAC-SM3 with the chain key (rows marked keyed,
 * all rows written since migration 0009), or plain SHA-256 (older rows, key null). Without the key,
 * a keyed row cannot be recomputed after an edit.
 */
export function chainHash(prevHash: string, f: HashedFields, key: Buffer | null = null): string {
  const h = key ? createHmac('sm3', key) : createHash('sha256');
  return h.update(prevHash).update('\n').update(canonicalJson(f)).digest('hex');
}

let chainKey: Buffer | null = null;

/** Sets this process's audit chain key (auditKeyFrom of the master key) before anything is audited. */
export function configureAuditKey(key: Buffer): void {
  chainKey = key;
}

/**
 * Appends one record to the hash-chained audit log. Must run inside the transaction of the write
 * it describes, so the record and the change commit or roll back together.
 */
export async function recordAudit(trx: Transaction<Database>, actor: Actor, entry: AuditEntry): Promise<void> {
  const key = chainKey;
  if (!key) throw new Error('audit chain key not configured: call configureAuditKey(auditKeyFrom(masterKey)) at start');
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
      hash: chainHash(prevHash, fields, key),
      keyed: true,
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
  headId: number;
  headHash: string;
  problems: Array<{ id: number; problem: string }>;
}

/**
 * Walks the whole chain in id order, recomputing every hash (keyed rows with the chain key).
 * Detects an edited row (its hash no longer matches, and without the key it cannot be made to),
 * a deleted row (the next row's prev_hash no longer matches) and an unkeyed row after a keyed one
 * (a rewrite with plain hashes). Removing the newest rows leaves a valid shorter chain: `head`, a
 * head hash noted elsewhere earlier (audit:verify --head-file), must still be in the chain.
 */
export async function verifyAuditChain(db: Kysely<Database>, opts: { key: Buffer | null; head?: string; batch?: number }): Promise<VerifyResult> {
  const batch = opts.batch ?? 5000;
  let prev = GENESIS;
  let lastId = 0;
  let checked = 0;
  let sawKeyed = false;
  let headSeen = opts.head === undefined;
  const problems: VerifyResult['problems'] = [];
  for (;;) {
    const rows = await db.selectFrom('audit_log').selectAll().where('id', '>', lastId).orderBy('id').limit(batch).execute();
    if (rows.length === 0) break;
    for (const r of rows) {
      checked++;
      if (r.prev_hash !== prev) problems.push({ id: r.id, problem: '前一条记录缺失或被修改（prev_hash 不连续）' });
      if (r.keyed) sawKeyed = true;
      else if (sawKeyed) problems.push({ id: r.id, problem: '带密钥的记录之后出现不带密钥的记录（日志疑似被重写）' });
      if (r.keyed && !opts.key) {
        problems.push({ id: r.id, problem: '缺少审计密钥，无法校验带密钥的记录' });
      } else {
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
        }, r.keyed ? opts.key : null);
        if (expected !== r.hash) problems.push({ id: r.id, problem: '记录内容被篡改（哈希不符）' });
      }
      if (r.hash === opts.head) headSeen = true;
      prev = r.hash;
      lastId = r.id;
    }
  }
  if (!headSeen) problems.push({ id: lastId, problem: '此前记下的链头哈希已不在日志中（最新的记录被删除，或日志被整体重写）' });
  return { ok: problems.length === 0, checked, headId: lastId, headHash: prev, problems };
}
