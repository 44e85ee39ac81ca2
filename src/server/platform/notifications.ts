import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/types.js';
import { inScope, type Scope } from './scope.js';

type Q = Kysely<Database> | Transaction<Database>;

/**
 * 站内通知: a message to a union's officers about one ticket (超期, 督办). One row per (province,
 * union, ticket, kind, deadline): a timer that fires twice, or two servers, notify once. The
 * province is the ticket's (Citus: co-located with it). Modules write through `notify` and read
 * through `listNotifications`; the table belongs to the platform.
 */
export interface NewNotification { provinceCode: string; orgId: number; ticketId: number; kind: string; deadline: Date; message: string }

export async function notify(trx: Transaction<Database>, rows: readonly NewNotification[]): Promise<void> {
  if (rows.length === 0) return;
  await trx.insertInto('notification')
    .values(rows.map((n) => ({ province_code: n.provinceCode, org_id: n.orgId, ticket_id: n.ticketId, kind: n.kind, deadline: n.deadline, message: n.message, created_at: sql<Date>`now()` })))
    .onConflict((oc) => oc.columns(['province_code', 'org_id', 'ticket_id', 'kind', 'deadline']).doNothing()).execute();
}

/** Notifications of unions inside the scope, newest first. */
export function listNotifications(db: Q, scope: Scope, limit: number) {
  return db.selectFrom('notification as n').innerJoin('org as o', 'o.id', 'n.org_id')
    .select(['n.id', 'n.org_id', 'n.ticket_id', 'n.kind', 'n.message', 'n.created_at', 'n.read_at'])
    .where(inScope(scope, 'o.path')).orderBy('n.id', 'desc').limit(limit).execute();
}
