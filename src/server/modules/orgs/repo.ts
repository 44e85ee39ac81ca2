import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, NewOrg, OrgRow, OrgUpdate } from '../../db/types.js';
import { containsText, inScope, inSubtree, type Scope } from '../../platform/scope.js';

type Q = Kysely<Database> | Transaction<Database>;

/** The org with `id` if it lies in the scope; undefined otherwise (absent and out of scope look alike). */
export function findById(db: Q, scope: Scope, id: number): Promise<OrgRow | undefined> {
  return db.selectFrom('org').selectAll().where('id', '=', id).where(inScope(scope, 'org.path')).executeTakeFirst();
}

/** Locks and returns the org row (inside a transaction) if it lies in the scope. */
export function findByIdForUpdate(trx: Transaction<Database>, scope: Scope, id: number): Promise<OrgRow | undefined> {
  return trx.selectFrom('org').selectAll().where('id', '=', id).where(inScope(scope, 'org.path')).forUpdate().executeTakeFirst();
}

export interface OrgListRow extends OrgRow { child_count: number }

/**
 * Orgs in the scope, keyset-paginated by id: children of `parentId`, or name matches of `q`,
 * or (neither given) the top orgs of the scope itself.
 */
export async function list(
  db: Q,
  scope: Scope,
  opts: { parentId?: number; q?: string; level?: string; top?: boolean; limit: number; afterId?: number },
): Promise<OrgListRow[]> {
  let query = db
    .selectFrom('org')
    .selectAll('org')
    .select((eb) =>
      eb.selectFrom('org as c').whereRef('c.parent_id', '=', 'org.id').select(eb.fn.countAll<number>().as('n')).as('child_count'),
    )
    .where(inScope(scope, 'org.path'))
    .orderBy('org.id')
    .limit(opts.limit);
  if (opts.parentId !== undefined) query = query.where('org.parent_id', '=', opts.parentId);
  if (opts.q) query = query.where(containsText('org.name', opts.q));
  if (opts.level) query = query.where('org.level', '=', opts.level);
  if (opts.top) {
    // The scope's own top unions (the root itself for system scope).
    query = scope.system ? query.where('org.parent_id', 'is', null) : query.where('org.path', 'in', ['', ...scope.paths]);
  }
  if (opts.afterId !== undefined) query = query.where('org.id', '>', opts.afterId);
  const rows = await query.execute();
  return rows.map((r) => ({ ...r, child_count: Number(r.child_count ?? 0) }));
}

export async function insert(trx: Transaction<Database>, values: Omit<NewOrg, 'path' | 'depth'>, parent: OrgRow | null): Promise<OrgRow> {
  // The id is taken first so that the path can hold it; both are written in one statement.
  const { id } = await sql<{ id: number }>`select nextval(pg_get_serial_sequence('org', 'id'))::int as id`
    .execute(trx)
    .then((r) => r.rows[0] ?? { id: 0 });
  const path = `${parent?.path ?? '/'}${id}/`;
  return trx
    .insertInto('org')
    .values({ ...values, id, path, depth: parent ? parent.depth + 1 : 0 })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function update(trx: Transaction<Database>, scope: Scope, id: number, values: OrgUpdate): Promise<OrgRow | undefined> {
  return trx
    .updateTable('org')
    .set({ ...values, version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', id)
    .where(inScope(scope, 'org.path'))
    .returningAll()
    .executeTakeFirst();
}

/**
 * Re-roots a subtree in one statement: every descendant's path prefix and depth change together.
 * Returns the number of rows moved (the org and all its descendants).
 */
export async function moveSubtree(
  trx: Transaction<Database>,
  scope: Scope,
  org: OrgRow,
  newParent: OrgRow,
): Promise<number> {
  const newPath = `${newParent.path}${org.id}/`;
  const depthDelta = newParent.depth + 1 - org.depth;
  const res = await trx
    .updateTable('org')
    .set({
      path: sql`${newPath} || substr(path, ${org.path.length + 1})`,
      depth: sql`depth + ${depthDelta}`,
      updated_at: sql`now()`,
    })
    .where(inSubtree('path', org.path))
    .where(inScope(scope, 'org.path'))
    .executeTakeFirst();
  await trx
    .updateTable('org')
    .set({ parent_id: newParent.id, version: sql`version + 1` })
    .where('id', '=', org.id)
    .execute();
  return Number(res.numUpdatedRows);
}

/** Figures of the subtree rooted at `org` (which the caller has already found in scope). */
export async function subtreeOrgStats(db: Q, org: OrgRow) {
  const row = await db
    .selectFrom('org')
    .select((eb) => [
      eb.fn.countAll<number>().as('org_count'),
      // below the union only: a grassroots union is not its own 基层工会 (orgCount leaves it out too)
      eb.fn.count<number>('id').filterWhere((w) => w.and([w('kind', '=', 'grassroots'), w('id', '!=', org.id)])).as('grassroots_count'),
      eb.fn.count<number>('id').filterWhere('parent_id', '=', org.id).as('child_count'),
    ])
    .where(inSubtree('path', org.path))
    .executeTakeFirstOrThrow();
  return {
    orgCount: Number(row.org_count) - 1,
    grassrootsCount: Number(row.grassroots_count),
    childCount: Number(row.child_count),
  };
}

/**
 * The parent of an org the caller already holds in scope, for the shape and region rules only
 * (its level, kind and region are never returned to the client; it may lie above the scope).
 */
export function parentForRules(db: Q, org: OrgRow): Promise<Pick<OrgRow, 'level' | 'kind' | 'region_code'>> {
  if (org.parent_id === null) throw new Error('root has no parent');
  return db.selectFrom('org').select(['level', 'kind', 'region_code']).where('id', '=', org.parent_id).executeTakeFirstOrThrow();
}

/** The root union (system use: bootstrap and seeds). */
export function findRoot(db: Q): Promise<OrgRow | undefined> {
  return db.selectFrom('org').selectAll().where('parent_id', 'is', null).executeTakeFirst();
}

export interface PublicOrg { id: number; name: string; path: string; region_code: string | null; level: string; credit_code: string | null }

/**
 * The public facts of one union (name, path, region) by id or credit code, without scope: a
 * worker joining by QR code or an officer forwarding an application names a union they do not manage.
 */
export function findPublic(db: Q, ref: { id: number } | { creditCode: string }): Promise<PublicOrg | undefined> {
  const q = db.selectFrom('org').select(['id', 'name', 'path', 'region_code', 'level', 'credit_code']);
  return ('id' in ref ? q.where('id', '=', ref.id) : q.where('credit_code', '=', ref.creditCode)).executeTakeFirst();
}

/** Unions in the scope with one of these credit codes (roster rows name their union by code). */
export function findByCreditCodes(db: Q, scope: Scope, codes: readonly string[]): Promise<PublicOrg[]> {
  if (codes.length === 0) return Promise.resolve([]);
  return db.selectFrom('org').select(['id', 'name', 'path', 'region_code', 'level', 'credit_code'])
    .where('credit_code', 'in', codes).where(inScope(scope, 'org.path')).execute();
}

/** Any union by name fragment or exact credit code (the national directory; names are public). */
export function directory(db: Q, q: string, limit: number): Promise<Array<{ id: number; name: string; region_code: string | null; level: string }>> {
  return db.selectFrom('org').select(['id', 'name', 'region_code', 'level'])
    .where((eb) => eb.or([containsText('name', q), eb('credit_code', '=', q.toUpperCase())]))
    .orderBy('depth').orderBy('id').limit(limit).execute();
}

/** The province union accepting public requests from a region (system lookup); the root if none. */
export async function acceptingUnionFor(db: Q, regionCode: string) {
  // the federation of the region itself (a county's 总工会), else of its city, else of its province
  const codes = [regionCode, `${regionCode.slice(0, 4)}00`, `${regionCode.slice(0, 2)}0000`];
  const found = await db.selectFrom('org').select(['id', 'path'])
    .where('kind', '=', 'federation').where('level', 'in', ['province', 'city', 'county']).where('region_code', 'in', codes)
    .orderBy(sql`array_position(${sql.val(codes)}::text[], region_code::text)`).orderBy('id').limit(1).executeTakeFirst();
  return found ?? db.selectFrom('org').select(['id', 'path']).where('parent_id', 'is', null).executeTakeFirstOrThrow();
}

/** The direct children of a union, in id order. */
export function children(db: Q, orgId: number) {
  return db.selectFrom('org').select(['id', 'name', 'path']).where('parent_id', '=', orgId).orderBy('id').execute();
}

/** Names and parents of unions by id. */
export function briefs(db: Q, ids: readonly number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('org').select(['id', 'name', 'path', 'parent_id']).where('id', 'in', [...ids]).execute();
}

