import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import type { Database, HotlineTicketTable } from '../../db/types.js';
import { inScope, inSubtree, inSubtreeOf, type Scope } from '../../platform/scope.js';
import { OPEN_STATUSES } from './schemas.js';

type Q = Kysely<Database> | Transaction<Database>;

/** Ticket columns plus the handling union's name and path (the path decides scope). */
function base(db: Q) {
  return db
    .selectFrom('hotline_ticket as t')
    .innerJoin('org as h', 'h.id', 't.handling_org_id')
    .selectAll('t')
    .select(['h.name as handling_org_name']);
}
export type TicketRow = Awaited<ReturnType<ReturnType<typeof base>['executeTakeFirstOrThrow']>>;

export async function nextId(trx: Transaction<Database>): Promise<number> {
  const r = await sql<{ id: number }>`select nextval(pg_get_serial_sequence('hotline_ticket', 'id'))::int as id`.execute(trx);
  return r.rows[0]?.id ?? 0;
}

export function insert(trx: Transaction<Database>, values: Insertable<HotlineTicketTable>) {
  return trx.insertInto('hotline_ticket').values(values).returning('id').executeTakeFirstOrThrow();
}

/** A ticket whose handling union lies in the scope. */
export function findById(db: Q, scope: Scope, id: number): Promise<TicketRow | undefined> {
  return base(db).where('t.id', '=', id).where(inScope(scope, 't.handling_org_path')).executeTakeFirst();
}

/**
 * A ticket the caller has just acted on, read without scope: a return or a dispatch may move it
 * out of the caller's subtree, and the caller is still owed the result of its own action.
 */
export function findActedOn(db: Q, id: number): Promise<TicketRow | undefined> {
  return base(db).where('t.id', '=', id).executeTakeFirst();
}

/** The same, locking the ticket row for a transition. */
export function findByIdForUpdate(trx: Transaction<Database>, scope: Scope, id: number): Promise<TicketRow | undefined> {
  return base(trx).where('t.id', '=', id).where(inScope(scope, 't.handling_org_path')).forUpdate('t').executeTakeFirst();
}

export function update(trx: Transaction<Database>, id: number, values: Record<string, unknown>) {
  return trx.updateTable('hotline_ticket').set({ ...values, version: sql`version + 1` } as never).where('id', '=', id).execute();
}

/** The ticket's province, for the rows co-located with it (its events and notifications). */
function provinceOf(ticketId: number) {
  return sql<string>`(select province_code from hotline_ticket where id = ${ticketId})`;
}

export function insertEvent(trx: Q, ev: {
  ticket_id: number; action: string; from_status: string | null; to_status: string | null; actor_id: number | null; actor_name: string | null;
  org_id: number | null; target_org_id?: number | null; note?: string | null;
}) {
  return trx.insertInto('hotline_event').values({
    ...ev, province_code: provinceOf(ev.ticket_id), target_org_id: ev.target_org_id ?? null, note: ev.note ?? null, at: new Date(),
  }).execute();
}

/** The timeline of a ticket the caller already holds in scope. */
export function events(db: Q, ticketId: number) {
  return db
    .selectFrom('hotline_event as e')
    .leftJoin('org as o', 'o.id', 'e.org_id')
    .leftJoin('org as g', 'g.id', 'e.target_org_id')
    .select(['e.id', 'e.action', 'e.from_status', 'e.to_status', 'e.actor_name', 'e.org_id', 'o.name as org_name', 'e.target_org_id', 'g.name as target_org_name', 'e.note', 'e.at'])
    .where('e.ticket_id', '=', ticketId)
    .orderBy('e.id')
    .execute();
}

/** The last dispatch that sent the ticket to `orgId` (to know where a return goes next). */
export function lastDispatchTo(db: Q, ticketId: number, orgId: number) {
  return db.selectFrom('hotline_event').select('org_id').where('ticket_id', '=', ticketId).where('action', '=', 'dispatch')
    .where('target_org_id', '=', orgId).orderBy('id', 'desc').limit(1).executeTakeFirst();
}

export interface ListFilter {
  status?: string; orgId?: number; orgPath?: string; overdue?: boolean; open?: boolean; dueBefore?: Date;
  excludeOrgIds?: number[]; limit: number; after?: { deadline: string; id: number };
}

/** Tickets handled inside the scope, most urgent first (deadline, id), keyset-paginated. */
export function list(db: Q, scope: Scope, f: ListFilter): Promise<TicketRow[]> {
  let q = base(db).where(inScope(scope, 't.handling_org_path')).orderBy('t.deadline').orderBy('t.id').limit(f.limit);
  if (f.status) q = q.where('t.status', '=', f.status);
  if (f.orgPath) q = q.where(inSubtree('t.handling_org_path', f.orgPath));
  if (f.open || f.overdue || f.dueBefore) q = q.where('t.status', 'in', [...OPEN_STATUSES]);
  if (f.overdue) q = q.where('t.deadline', '<', sql<Date>`now()`);
  if (f.dueBefore) q = q.where('t.deadline', '<=', f.dueBefore);
  if (f.excludeOrgIds?.length) q = q.where('t.handling_org_id', 'not in', f.excludeOrgIds);
  if (f.after) {
    const a = f.after;
    q = q.where((eb) => eb.or([eb('t.deadline', '>', new Date(a.deadline)), eb.and([eb('t.deadline', '=', new Date(a.deadline)), eb('t.id', '>', a.id)])]));
  }
  return q.execute();
}

/** Public lookup: both the ticket number and the caller's phone (by blind index) must match. */
export function lookup(db: Q, ticketNo: string, phoneIdx: string) {
  return base(db).where('t.ticket_no', '=', ticketNo).where('t.caller_phone_idx', '=', phoneIdx).executeTakeFirst();
}

/**
 * Claims up to `limit` open tickets past their deadline and not yet marked, skipping rows another
 * sweeper holds (FOR UPDATE SKIP LOCKED), so two sweepers never fire twice.
 */
export function claimOverdue(trx: Transaction<Database>, limit: number) {
  return trx
    .selectFrom('hotline_ticket as t')
    .select('t.id')
    .where('t.status', 'in', [...OPEN_STATUSES])
    .where('t.overdue', '=', false)
    .where('t.deadline', '<', sql<Date>`now()`)
    .orderBy('t.deadline')
    .limit(limit)
    .forUpdate('t')
    .skipLocked()
    .execute();
}

/** Marks claimed tickets overdue with one event each, set-based; returns what their notices need. */
export async function markOverdue(trx: Transaction<Database>, ids: number[]) {
  if (ids.length === 0) return [];
  await trx.updateTable('hotline_ticket').set({ overdue: true }).where('id', 'in', ids).execute();
  await sql`insert into hotline_event (province_code, ticket_id, action, from_status, to_status, actor_name, org_id, note, at)
    select province_code, id, 'overdue', status, status, '系统', handling_org_id, '超过办理时限', now() from hotline_ticket where id = any(${sql.val(ids)}::bigint[])`.execute(trx);
  return trx.selectFrom('hotline_ticket').select(['id', 'province_code', 'ticket_no', 'deadline', 'handling_org_id']).where('id', 'in', ids).execute();
}

/** Figures for the subtree at `path` over [from, to). */
export async function stats(db: Q, path: string, from: Date, to: Date) {
  const totals = await db.selectFrom('hotline_ticket as t')
    .select((eb) => [
      eb.fn.count<number>('t.id').filterWhere(eb.and([eb('t.received_at', '>=', from), eb('t.received_at', '<', to)])).as('received'),
      eb.fn.count<number>('t.id').filterWhere(eb.and([eb('t.resolved_at', '>=', from), eb('t.resolved_at', '<', to)])).as('resolved'),
      eb.fn.count<number>('t.id').filterWhere(eb.and([eb('t.resolved_at', '>=', from), eb('t.resolved_at', '<', to), eb('t.resolved_on_time', '=', true)])).as('resolved_on_time'),
      eb.fn.count<number>('t.id').filterWhere(eb.and([eb('t.status', 'in', [...OPEN_STATUSES]), eb('t.deadline', '<', sql<Date>`now()`)])).as('overdue'),
      eb.fn.count<number>('t.id').filterWhere(eb.and([eb('t.evaluated_at', '>=', from), eb('t.evaluated_at', '<', to)])).as('evaluated'),
      eb.fn.count<number>('t.id').filterWhere(eb.and([eb('t.evaluated_at', '>=', from), eb('t.evaluated_at', '<', to), eb('t.satisfaction', 'in', ['satisfied', 'basically_satisfied'])])).as('satisfied'),
      sql<string>`coalesce(sum(t.amount_recovered_fen) filter (where t.resolved_at >= ${from} and t.resolved_at < ${to}), 0)`.as('amount'),
    ])
    .where(inSubtree('t.handling_org_path', path))
    .executeTakeFirstOrThrow();
  const byCategory = await db.selectFrom('hotline_ticket as t')
    .select((eb) => [
      't.category',
      eb.fn.count<number>('t.id').filterWhere(eb.and([eb('t.received_at', '>=', from), eb('t.received_at', '<', to)])).as('received'),
      eb.fn.count<number>('t.id').filterWhere(eb.and([eb('t.resolved_at', '>=', from), eb('t.resolved_at', '<', to)])).as('resolved'),
    ])
    .where(inSubtree('t.handling_org_path', path)).groupBy('t.category').orderBy('t.category').execute();
  return { totals, byCategory };
}

/** Per child union (by its path) with any ticket in its subtree: received, resolved, overdue, in the order given. */
export async function statsUnder(db: Q, paths: readonly string[], from: Date, to: Date) {
  if (paths.length === 0) return [];
  const r = await sql<{ path: string; received: number; resolved: number; overdue: number }>`
    select c.path,
      count(t.id) filter (where t.received_at >= ${from} and t.received_at < ${to})::int as received,
      count(t.id) filter (where t.resolved_at >= ${from} and t.resolved_at < ${to})::int as resolved,
      count(t.id) filter (where t.status = any(${sql.val([...OPEN_STATUSES])}::text[]) and t.deadline < now())::int as overdue
    from unnest(${sql.val([...paths])}::text[]) with ordinality as c(path, n)
    join hotline_ticket t on ${inSubtreeOf('t.handling_org_path', 'c.path')}
    group by c.path, c.n having count(t.id) > 0 order by c.n`.execute(db);
  return r.rows;
}

/** Requests from one phone since `since` (abuse limit of the public form). */
export async function countRecentByPhone(db: Q, phoneIdx: string, since: Date): Promise<number> {
  const r = await db.selectFrom('hotline_ticket').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('caller_phone_idx', '=', phoneIdx).where('received_at', '>=', since).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Locks a ticket found by public lookup (number + phone already matched). */
export function lockForPublic(trx: Transaction<Database>, id: number) {
  return trx.selectFrom('hotline_ticket').select(['id', 'status']).where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
}

/** A signed-in worker's own requests: by the membership linked, the identity given, or the phone on record. */
export function forWorker(db: Q, k: { idIdx: string; phoneIdx: string; membershipIds: number[] }): Promise<TicketRow[]> {
  return base(db).where((eb) => eb.or([
    eb('t.caller_phone_idx', '=', k.phoneIdx),
    eb('t.caller_id_idx', '=', k.idIdx),
    ...(k.membershipIds.length ? [eb('t.membership_id', 'in', k.membershipIds)] : []),
  ])).orderBy('t.received_at', 'desc').limit(50).execute();
}
