import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { Database } from '../db/types.js';

type Q = Kysely<Database> | Transaction<Database>;

/**
 * 站内通知, the platform's: a notice to one union's officers or to one worker, about one entity
 * (a hotline ticket, an application, a claim), written by modules inside their own transaction
 * with `notify`. Each notice carries a dedupe key, unique per addressee: a timer that fires twice,
 * or two servers, notify once. Read state is each reader's own (`notification_read`): several
 * officers share a union's notices, and one reading them does not read them for the others.
 *
 * An officer's inbox is the notices of the unions where they hold a role (not their subtrees:
 * a higher union hears of a lower one's work when a module addresses it, as the hotline's 超期
 * notice goes to the handling union and its parent). A worker's is the notices to their person.
 */
export type Addressee = { orgId: number } | { personId: number };

export interface NewNotification {
  /** The entity's province (Citus: the notice lives beside it). */
  provinceCode: string;
  to: Addressee;
  entity: { type: string; id: number };
  /** What happened, a stable code (`overdue`, `supervise`, `review_due`, …). */
  kind: string;
  /** One line in Chinese, with no personal data beyond what the addressee may read. */
  message: string;
  /** The event's identity for this addressee: the same key notifies once. */
  dedupeKey: string;
}

/** Who reads: an officer (their account and the unions of their roles) or a worker (their person). */
export type Reader = { userId: number; orgIds: readonly number[] } | { personId: number };

export interface NotificationRow {
  id: number; provinceCode: string; orgId: number | null; entityType: string; entityId: number;
  kind: string; message: string; createdAt: Date; read: boolean;
}

/** Writes notices; those already sent to the same addressee with the same key are skipped. */
export async function notify(trx: Transaction<Database>, rows: readonly NewNotification[]): Promise<void> {
  if (rows.length === 0) return;
  await trx.insertInto('notification')
    .values(rows.map((n) => ({
      province_code: n.provinceCode,
      org_id: 'orgId' in n.to ? n.to.orgId : null,
      person_id: 'personId' in n.to ? n.to.personId : null,
      entity_type: n.entity.type, entity_id: n.entity.id, kind: n.kind, message: n.message, dedupe_key: n.dedupeKey,
      created_at: sql<Date>`now()`,
    })))
    .onConflict((oc) => oc.constraint('notification_once').doNothing()).execute();
}

/** The notices addressed to the reader. */
function addressedTo(eb: ExpressionBuilder<Database, 'notification'>, reader: Reader): Expression<SqlBool> {
  if ('personId' in reader) return eb('notification.person_id', '=', reader.personId);
  if (reader.orgIds.length === 0) return sql<SqlBool>`false`;
  return eb('notification.org_id', 'in', [...reader.orgIds]);
}

/** The reader's receipt of the notice in the outer query. */
function readBy(eb: ExpressionBuilder<Database, 'notification'>, reader: Reader) {
  return eb.selectFrom('notification_read as r').select(sql`1`.as('one'))
    .whereRef('r.province_code', '=', 'notification.province_code').whereRef('r.notification_id', '=', 'notification.id')
    .where((w) => ('personId' in reader ? w('r.person_id', '=', reader.personId) : w('r.user_id', '=', reader.userId)));
}

/** The reader's notices, newest first, a keyset page (`beforeId`); `unread` keeps the unread only. */
export async function listNotifications(db: Q, reader: Reader, opts: { limit: number; beforeId?: number; unread?: boolean }): Promise<NotificationRow[]> {
  const rows = await db.selectFrom('notification')
    .select((eb) => [
      'notification.id', 'notification.province_code', 'notification.org_id', 'notification.entity_type', 'notification.entity_id',
      'notification.kind', 'notification.message', 'notification.created_at', eb.exists(readBy(eb, reader)).as('read'),
    ])
    .where((eb) => addressedTo(eb, reader))
    .$if(opts.beforeId !== undefined, (q) => q.where('notification.id', '<', opts.beforeId ?? 0))
    .$if(opts.unread === true, (q) => q.where((eb) => eb.not(eb.exists(readBy(eb, reader)))))
    .orderBy('notification.id', 'desc').limit(opts.limit).execute();
  return rows.map((n) => ({
    id: n.id, provinceCode: n.province_code, orgId: n.org_id, entityType: n.entity_type, entityId: n.entity_id,
    kind: n.kind, message: n.message, createdAt: n.created_at, read: Boolean(n.read),
  }));
}

/** How many of the reader's notices are unread. */
export async function countUnread(db: Q, reader: Reader): Promise<number> {
  const row = await db.selectFrom('notification').select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) => eb.and([addressedTo(eb, reader), eb.not(eb.exists(readBy(eb, reader)))]))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

const receiptOf = (reader: Reader) => ('personId' in reader ? { user_id: null, person_id: reader.personId } : { user_id: reader.userId, person_id: null });

/** Marks one notice read for the reader; false when no notice of that id is addressed to them. */
export async function markRead(db: Q, reader: Reader, id: number): Promise<boolean> {
  const notice = await db.selectFrom('notification').select(['province_code', 'id'])
    .where('id', '=', id).where((eb) => addressedTo(eb, reader)).executeTakeFirst();
  if (!notice) return false;
  await db.insertInto('notification_read').values({ province_code: notice.province_code, notification_id: notice.id, ...receiptOf(reader) })
    .onConflict((oc) => oc.constraint('notification_read_once').doNothing()).execute();
  return true;
}

/** Marks every notice of the reader read, set-based; returns how many were unread. */
export async function markAllRead(db: Q, reader: Reader): Promise<number> {
  const r = receiptOf(reader);
  const result = await db.insertInto('notification_read')
    .columns(['province_code', 'notification_id', 'user_id', 'person_id'])
    .expression((eb) => eb.selectFrom('notification')
      .select(['notification.province_code', 'notification.id', sql<number | null>`${r.user_id}::integer`.as('user_id'), sql<number | null>`${r.person_id}::bigint`.as('person_id')])
      .where((w) => w.and([addressedTo(w, reader), w.not(w.exists(readBy(w, reader)))])))
    .onConflict((oc) => oc.constraint('notification_read_once').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}
