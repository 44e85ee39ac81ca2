import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import type { Caller } from '../../platform/caller.js';
import { appError } from '../../platform/errors.js';
import { countUnread, listNotifications, markAllRead, markRead, type NotificationRow, type Reader } from '../../platform/notifications.js';
import { decodeCursor, page } from '../../platform/pagination.js';

/** The officer's inbox: the notices of the unions where they hold a role, read state their own. */
function officerReader(caller: Caller): Reader {
  if (caller.actor.userId === null) throw appError('NOT_AUTHENTICATED');
  return { userId: caller.actor.userId, orgIds: [...new Set(caller.roles.map((r) => r.orgId))] };
}

export function toNotification(n: NotificationRow) {
  return {
    id: n.id, kind: n.kind, message: n.message, orgId: n.orgId, entityType: n.entityType, entityId: n.entityId,
    createdAt: n.createdAt.toISOString(), read: n.read,
  };
}

/** One reader's inbox, shared by officers' and workers' routes. */
export async function inbox(db: Kysely<Database>, reader: Reader, q: { unread?: boolean; limit?: number; cursor?: string }) {
  const limit = q.limit ?? 50;
  const before = decodeCursor(q.cursor, { id: 'id' });
  const [rows, unreadCount] = await Promise.all([
    listNotifications(db, reader, { limit: limit + 1, beforeId: before?.id, unread: q.unread }),
    countUnread(db, reader),
  ]);
  return { ...page(rows.map(toNotification), limit, (n) => ({ id: n.id })), unreadCount };
}

/** Marks one of the reader's notices read; another's, or none, is 404 alike. */
export async function readOne(db: Kysely<Database>, reader: Reader, id: number) {
  if (!(await markRead(db, reader, id))) throw appError('NOTIFICATION_NOT_FOUND');
  return { id, read: true as const, unreadCount: await countUnread(db, reader) };
}

export async function readAll(db: Kysely<Database>, reader: Reader) {
  const marked = await markAllRead(db, reader);
  return { marked, unreadCount: await countUnread(db, reader) };
}

export function createNotificationService({ db }: { db: Kysely<Database> }) {
  return {
    list: (caller: Caller, q: { unread?: boolean; limit?: number; cursor?: string }) => inbox(db, officerReader(caller), q),
    read: (caller: Caller, id: number) => readOne(db, officerReader(caller), id),
    readAll: (caller: Caller) => readAll(db, officerReader(caller)),
  };
}
export type NotificationService = ReturnType<typeof createNotificationService>;
