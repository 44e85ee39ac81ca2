import { sql, type Expression, type Kysely, type SelectQueryBuilder, type SqlBool, type Transaction } from 'kysely';
import type { Database } from '../../db/types.js';
import { ORG_LEVELS, type OrgLevel } from '../../../common/enums.js';
import { prepared } from '../../db/connect.js';
import type { ListPlan } from './list-plan.js';
import { inScope, inScopeGeneric, inSubtree, startsWithText, type Scope } from '../../platform/scope.js';
import type { SealedPerson } from './person.js';
import { CURRENT_STATUSES } from './schemas.js';

type Q = Kysely<Database> | Transaction<Database>;

/** The columns every member read returns. */
const MEMBER_COLUMNS = [
  'm.id', 'm.person_id', 'm.org_id', 'm.org_path', 'm.status', 'm.joined_on', 'm.started_on', 'm.ended_on', 'm.channel', 'm.version', 'm.created_at',
  'p.member_no', 'p.name', 'p.id_type', 'p.id_masked', 'p.phone_masked', 'p.birth_date', 'p.gender', 'p.ethnicity', 'p.education',
  'p.employment_status', 'p.household_type', 'p.is_migrant_worker', 'p.groups', 'p.version as person_version',
  'o.name as org_name', 'm.ended_snapshot',
] as const;

/** Membership with its person and union name: the shape every member read returns. */
function base(db: Q) {
  return db
    .selectFrom('membership as m')
    .innerJoin('person as p', 'p.id', 'm.person_id')
    .innerJoin('org as o', 'o.id', 'm.org_id')
    .select(MEMBER_COLUMNS);
}
export type MemberRow = Awaited<ReturnType<ReturnType<typeof base>['executeTakeFirstOrThrow']>>;

/** The columns a list's summary view returns (what a roster table shows). */
const SUMMARY_COLUMNS = [
  'm.id', 'm.org_id', 'm.status', 'm.joined_on', 'p.member_no', 'p.name', 'p.id_masked', 'p.phone_masked', 'p.birth_date', 'p.gender',
  'o.name as org_name', 'm.ended_snapshot',
] as const;
export type MemberSummaryRow = Pick<MemberRow, 'id' | 'org_id' | 'status' | 'joined_on' | 'member_no' | 'name' | 'id_masked' | 'phone_masked' | 'birth_date' | 'gender' | 'org_name' | 'ended_snapshot'>;

/**
 * The person's details as they are when a membership ends (转出, 除名, 退会): what the former union
 * keeps reading, whatever the person's next union changes afterwards (service.withSnapshot).
 */
export interface EndedSnapshot {
  name: string; phone_enc: string; phone_masked: string; ethnicity: string | null; education: string | null;
  employment_status: string | null; household_type: string | null; is_migrant_worker: boolean; groups: string[];
}

/** Stores the person's details on a membership that ends now, in the transaction that ends it. */
export function snapshotOnEnd(trx: Transaction<Database>, personId: number, membershipId: number) {
  return sql`update membership m set ended_snapshot = (
      select jsonb_build_object('name', p.name, 'phone_enc', p.phone_enc, 'phone_masked', p.phone_masked, 'ethnicity', p.ethnicity, 'education', p.education,
        'employment_status', p.employment_status, 'household_type', p.household_type, 'is_migrant_worker', p.is_migrant_worker, 'groups', to_jsonb(p.groups))
      from person p where p.id = m.person_id)
    where m.person_id = ${personId} and m.id = ${membershipId}`.execute(trx);
}

/** A membership (any status) whose union lies in the scope. */
export function findMember(db: Q, scope: Scope, id: number): Promise<MemberRow | undefined> {
  return base(db).where('m.id', '=', id).where(inScope(scope, 'm.org_path')).executeTakeFirst();
}

/** The same, locking the membership and person rows. */
export function findMemberForUpdate(trx: Transaction<Database>, scope: Scope, id: number): Promise<MemberRow | undefined> {
  return base(trx).where('m.id', '=', id).where(inScope(scope, 'm.org_path')).forUpdate(['m', 'p']).executeTakeFirst();
}

/** A page's ids (found first, in a materialised CTE) joined to their membership, person and union, newest first. */
function pageRows<DB, TB extends keyof DB>(db: Q, page: SelectQueryBuilder<DB, TB, { id: number }>) {
  return db.with((cte) => cte('page').materialized(), () => page)
    .selectFrom('page')
    .innerJoin('membership as m', 'm.id', 'page.id')
    .innerJoin('person as p', 'p.id', 'm.person_id')
    .innerJoin('org as o', 'o.id', 'm.org_id')
    .orderBy('m.id', 'desc');
}

export interface ListFilter {
  orgPath?: string;
  statuses: readonly string[] | null;
  personIds?: number[];
  last4?: string;
  namePrefix?: string;
  limit: number;
  beforeId?: number;
}

/**
 * Memberships in scope, newest first, keyset-paginated by id. The page's ids are found first, in a
 * materialised CTE, and only those rows are joined to person and union. Planned as one `IN
 * (subquery)` join, the same page took longer to plan than to run (a county's first page at 8M
 * members: 2.4 ms planning and 1.9 ms running, now 0.6 ms and 1.0 ms). A search (name, last four,
 * people) collects its matches through its own index behind an optimisation fence and then orders
 * them: left to itself the planner walks the id index backwards hoping to meet 51 matches soon, and
 * for a common surname in one county it read 6.5M rows (5.9 s at 8M members; see BENCHMARKS.md).
 * A one-character search reads the index that leads with the first character and the union path
 * (migration 0006), so it weighs only the scope's members of that surname.
 * (Reading the page's rows by a second, prepared statement saved PostgreSQL its planning but cost
 * the server more for the extra round trip: no gain under load.)
 */
export function listMembers(db: Q, scope: Scope, f: ListFilter, view: 'summary'): Promise<MemberSummaryRow[]>;
export function listMembers(db: Q, scope: Scope, f: ListFilter, view?: 'full'): Promise<MemberRow[]>;
export async function listMembers(db: Q, scope: Scope, f: ListFilter, view: 'full' | 'summary' = 'full'): Promise<MemberRow[] | MemberSummaryRow[]> {
  const search = f.personIds !== undefined || f.last4 !== undefined || f.namePrefix !== undefined;
  let q = db.selectFrom('membership as m').select('m.id').where(inScope(scope, 'm.org_path'));
  if (f.orgPath) q = q.where(inSubtree('m.org_path', f.orgPath));
  if (f.statuses) q = q.where('m.status', 'in', f.statuses);
  if (f.personIds) q = f.personIds.length ? q.where('m.person_id', 'in', f.personIds) : q.where(sql<boolean>`false`);
  if (f.last4) q = q.where('m.id_last4', '=', f.last4);
  if (f.namePrefix) {
    // one character (a surname, mostly) goes through the index that leads with the first character
    q = [...f.namePrefix].length === 1
      ? q.where(sql<string>`left(m.name, 1)`, '=', f.namePrefix)
      : q.where(startsWithText('m.name', f.namePrefix));
  }
  if (f.beforeId) q = q.where('m.id', '<', f.beforeId);
  const rows = search
    ? pageRows(db, db.selectFrom(q.offset(0).as('hits')).select('hits.id').orderBy('hits.id', 'desc').limit(f.limit + 1))
    : pageRows(db, q.orderBy('m.id', 'desc').limit(f.limit + 1));
  return view === 'summary' ? rows.select(SUMMARY_COLUMNS).execute() : rows.select(MEMBER_COLUMNS).execute();
}

export interface PreparedFilter {
  statuses: readonly string[] | null; limit: number; beforeId?: number; personIds?: number[]; last4?: string; namePrefix?: string;
  /** How many ids a walk may cover: the newest (or those below the cursor) for idWalk, the county's newest entries for countyWalk. */
  walkBudget?: number;
}

/** The plans listPrepared runs (list-plan.ts); `planned` is listMembers. */
export type PreparedPlan = Exclude<ListPlan, { kind: 'planned' }>;

/** The first string after every string that starts with `prefix`, in code point (= UTF-8 byte) order. */
function prefixEnd(prefix: string): string | null {
  const cps = [...prefix];
  const last = cps.pop()?.codePointAt(0);
  if (last === undefined || last >= 0x10ffff) return null;
  const next = last + 1 === 0xd800 ? 0xe000 : last + 1; // no code point lies in the surrogate range
  return cps.join('') + String.fromCodePoint(next);
}

/**
 * The county indexes (县级工会): a county holds 0.3–1.5 % of a province's members, too few for the
 * walk of the id index and too many to sort, so its plain pages and one-character searches read
 * indexes led by the county head — a membership's union path cut to the county's segments —
 * then the id (and the first character before it). How many segments a county has depends on the
 * deployment's root: four under a national root (national/province/city/county), three under a
 * province root; the indexes are made for the root's level at start (ensureCountyIndexes), and
 * the queries write the head exactly as the indexes do, or the planner would not match them.
 */
export function countySegmentsOf(rootLevel: OrgLevel): number {
  const n = ORG_LEVELS.indexOf('county') - ORG_LEVELS.indexOf(rootLevel) + 1;
  if (n < 1) throw new Error(`a root below the county level: ${rootLevel}`);
  return n;
}

function headPattern(segments: number): string {
  if (!Number.isInteger(segments) || segments < 1 || segments > 8) throw new Error(`county segments out of range: ${segments}`);
  return `^(?:/[0-9]+){${segments}}/`;
}

/** The county head of a membership (null above the county), as the indexes write it. */
function countyHead(head: string) {
  return sql<string | null>`substring(m.org_path from ${sql.lit(headPattern(head.split('/').length - 2))})`;
}

const COUNTY_INDEXES = (segments: number) => {
  const head = sql.raw(`(substring(org_path from '${headPattern(segments)}'))`);
  return [
    ['membership_county_idx', sql`create index membership_county_idx on membership (${head}, id)`],
    ['membership_county_initial_idx', sql`create index membership_county_initial_idx on membership (left(name, 1), ${head}, id)`],
  ] as const;
};

/**
 * Makes the county indexes for a root of this level, unless they exist for it already (at start,
 * after the migrations: migration 0007 made them for a national root). Under a province root they
 * are rebuilt once, at three segments; on a large database that start takes minutes.
 */
export async function ensureCountyIndexes(db: Kysely<Database>, segments: number): Promise<void> {
  const want = `{${segments}}`;
  for (const [name, create] of COUNTY_INDEXES(segments)) {
    const r = await sql<{ indexdef: string }>`select indexdef from pg_indexes where tablename = 'membership' and indexname = ${name}`.execute(db);
    const def = r.rows[0]?.indexdef;
    if (def?.includes(want)) continue;
    if (def !== undefined) await sql`drop index ${sql.id(name)}`.execute(db);
    await create.execute(db);
  }
}

/** One of `statuses`, each behind a one-row sub-select (for prepared statements on their generic plans). */
function statusIn(column: string, statuses: readonly string[]) {
  return sql<boolean>`(${sql.join(statuses.map((st) => sql`${sql.ref(column)} = (select ${st}::text)`), sql` or `)})`;
}

/** True when the scope is one subtree whose path has a county's segments: its pages read the county index. */
export function isCountyScope(scope: Scope, countySegments: number): boolean {
  const path = scope.paths[0];
  return !scope.system && scope.paths.length === 1 && path !== undefined && path.split('/').length === countySegments + 2;
}

/** The county head (the path cut to a county's segments) of a scope that is one subtree at or below a county; else null. */
export function countyHeadOf(scope: Scope, countySegments: number): string | null {
  const path = scope.paths[0];
  if (scope.system || scope.paths.length !== 1 || path === undefined) return null;
  const segments = path.split('/').slice(1, -1);
  return segments.length >= countySegments ? `/${segments.slice(0, countySegments).join('/')}/` : null;
}

/** True when listPrepared can take this name prefix for this scope (else listMembers plans it). */
export function preparedNameSearch(scope: Scope, namePrefix: string): boolean {
  if (prefixEnd(namePrefix) === null) return false;
  return [...namePrefix].length > 1 || scope.paths.length === 1;
}

/**
 * A page of memberships as a prepared statement on its generic plan, for the shapes whose best plan
 * does not depend on the values: the newest of a large scope (a backward walk of the id index,
 * which carries union path and status, keeping rows in scope), or the matches of an exact search
 * (people found by identity, phone or member number; the last four of the ID), collected through
 * their own index and ordered. Planning the page query cost PostgreSQL as much as running it (a
 * county's first page at 7.4M members: 0.45 ms planning, 0.58 ms running; pgbench, 32 clients:
 * 1,230 pages/s planned each time against 2,130 on the generic plan). Every filter value sits
 * behind a one-row sub-select the planner does not look into, so the generic plan costs the same
 * as a custom one and PostgreSQL keeps it after its five trial runs; the page size is written in
 * as a number, since a LIMIT parameter would be costed as a tenth of the table. The walk is only
 * for a scope holding a good share of all members (the caller decides from the counters): for a
 * small union it would pass most of the index, and `listMembers` lets the planner take the union
 * path index instead. A name prefix goes in as a range of the name index's own operators (a
 * generic plan cannot read a LIKE pattern for an index range), or for one character (a surname)
 * with the union path as a second range of the index led by the first character. A plain page of
 * one county (a path of a county's segments) needs no walk: it reads the county index
 * backwards from its head's newest entry (or from the cursor); so does
 * a one-character search of one county, through the index led by the first character and the
 * county head. A one-character search of a large scope (a city, the province) walks the index led
 * by the first character and the id (migration 0008) from that character's newest entry, keeping
 * those in scope, instead of reading and sorting all its matches.
 */
export function listPrepared(db: Kysely<Database>, scope: Scope, plan: PreparedPlan, f: PreparedFilter, view: 'summary'): Promise<MemberSummaryRow[]>;
export function listPrepared(db: Kysely<Database>, scope: Scope, plan: PreparedPlan, f: PreparedFilter, view?: 'full'): Promise<MemberRow[]>;
export async function listPrepared(db: Kysely<Database>, scope: Scope, plan: PreparedPlan, f: PreparedFilter, view: 'full' | 'summary' = 'full'): Promise<MemberRow[] | MemberSummaryRow[]> {
  const limit = f.limit + 1;
  if (!Number.isInteger(limit) || limit < 2 || limit > 1001) throw new Error(`page size out of range: ${f.limit}`);
  if (f.personIds?.length === 0) return [];
  const budget = f.walkBudget ?? 50_000;
  if (!Number.isInteger(budget) || budget < 1) throw new Error(`walk budget out of range: ${budget}`);
  const search = f.personIds !== undefined || f.last4 !== undefined || f.namePrefix !== undefined;
  const initial = f.namePrefix !== undefined && [...f.namePrefix].length === 1;
  // a plain page or a one-character search of one county reads that county's entries of an index
  // led by the county head, newest first; the head equal to the scope's path says the same as the
  // path starting with it
  const county = plan.kind === 'county';
  const walkInitial = plan.kind === 'initialWalk';
  if (plan.kind === 'countyWalk') {
    const head = plan.head;
    // the county's newest entries, `budget` at most, then those in scope: the inner query is the
    // county index read backwards (an index condition on the head), the outer keeps the scope's; a
    // page that comes back short is planned by the caller instead. (Not for a one-character search:
    // on the generic plan PostgreSQL estimates a county's matches of one character below the walk's
    // budget, reads all of them through a bitmap and sorts them — 7,450 for a county's 李, 24 ms.)
    let entries = db.selectFrom('membership as m').select(['m.id', 'm.org_path', 'm.status'])
      .where(sql<boolean>`${countyHead(head)} = (select ${head}::text)`);
    if (f.beforeId) entries = entries.where(sql<boolean>`m.id < (select ${f.beforeId}::bigint)`);
    let w = db.selectFrom(entries.orderBy('m.id', 'desc').limit(sql.lit(budget)).as('w')).select('w.id').where(inScopeGeneric(scope, 'w.org_path'));
    if (f.statuses) w = w.where(statusIn('w.status', f.statuses));
    const rows = pageRows(db, w.orderBy('w.id', 'desc').limit(sql.lit(limit)));
    return view === 'summary' ? (await prepared(db, rows.select(SUMMARY_COLUMNS))).rows : (await prepared(db, rows.select(MEMBER_COLUMNS))).rows;
  }
  let q = db.selectFrom('membership as m').select('m.id')
    .where(plan.kind === 'county' ? sql<boolean>`${countyHead(plan.head)} = (select ${plan.head}::text)` : inScopeGeneric(scope, 'm.org_path'));
  if (plan.kind === 'idWalk') {
    // a plain page walks the newest `budget` ids at most (from the cursor, or from the newest id): a
    // scope whose members all came long ago (a roster imported years back) comes back short, and the
    // caller plans it as a small scope's page instead
    const from = f.beforeId ? sql`(select ${f.beforeId}::bigint)` : sql`(select coalesce(max(id), 0) + 1 from membership)`;
    q = q.where(sql<boolean>`m.id >= ${from} - ${sql.lit(budget)}`);
  }
  if (f.statuses) q = q.where(statusIn('m.status', f.statuses));
  if (f.personIds) q = q.where('m.person_id', 'in', f.personIds);
  if (f.last4 !== undefined) q = q.where('m.id_last4', '=', sql<string>`(select ${f.last4}::text)`);
  if (f.namePrefix !== undefined) {
    const end = prefixEnd(f.namePrefix);
    const path = scope.paths[0];
    if (end === null || !preparedNameSearch(scope, f.namePrefix)) throw new Error('name prefix not for a prepared search');
    if (initial && walkInitial) {
      // the index led by the first character and the id, walked newest first, its entries kept in
      // scope; written as that index's expression, which no other index shares (migration 0008)
      q = q.where(sql<boolean>`substr(m.name, 1, 1) = (select ${f.namePrefix}::text)`);
    } else if (initial && county) {
      // the index led by the first character, then the county head, then the id
      q = q.where(sql<boolean>`left(m.name, 1) = (select ${f.namePrefix}::text)`);
    } else if (initial && path !== undefined) {
      // the index led by the first character, then the union path: both as index ranges
      const pathEnd = `${path.slice(0, -1)}0`; // paths end with '/', and '0' follows '/'
      q = q.where(sql<boolean>`left(m.name, 1) = (select ${f.namePrefix}::text)`)
        .where(sql<boolean>`m.org_path ~>=~ (select ${path}::text) and m.org_path ~<~ (select ${pathEnd}::text)`);
    } else {
      // the name index (text_pattern_ops): the prefix as a range of its own operators
      q = q.where(sql<boolean>`m.name ~>=~ (select ${f.namePrefix}::text) and m.name ~<~ (select ${end}::text)`);
    }
  }
  if (f.beforeId) q = q.where(sql<boolean>`m.id < (select ${f.beforeId}::bigint)`);
  const rows = search && !county && !walkInitial
    ? pageRows(db, db.selectFrom(q.offset(sql.lit(0)).as('hits')).select('hits.id').orderBy('hits.id', 'desc').limit(sql.lit(limit)))
    : pageRows(db, q.orderBy('m.id', 'desc').limit(sql.lit(limit)));
  return view === 'summary' ? (await prepared(db, rows.select(SUMMARY_COLUMNS))).rows : (await prepared(db, rows.select(MEMBER_COLUMNS))).rows;
}

/** Current members (active and retained) of the unions in the scope, from the counters. */
export function currentMemberCount(db: Q, scope: Scope): Promise<number> {
  return countedWhere(db, inScope(scope, 'o.path'));
}

/** Current members of the subtree at `path` (whatever the caller's scope): the denominator of a share, to choose a plan only. */
export function subtreeCurrentMemberCount(db: Q, path: string): Promise<number> {
  return countedWhere(db, inSubtree('o.path', path));
}

async function countedWhere(db: Q, unions: Expression<SqlBool>): Promise<number> {
  const r = await db.selectFrom('member_count as c').innerJoin('org as o', 'o.id', 'c.org_id')
    .select(sql<string>`coalesce(sum(c.active + c.retained), 0)`.as('n')).where(unions).executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** Current members of every union: the denominator of a scope's share, used to choose a plan only. */
export async function allCurrentMemberCount(db: Q): Promise<number> {
  const r = await db.selectFrom('member_count').select(sql<string>`coalesce(sum(active + retained), 0)`.as('n')).executeTakeFirst();
  return Number(r?.n ?? 0);
}

export function personIdsBy(db: Q, column: 'id_idx' | 'phone_idx' | 'member_no', values: string[]): Promise<number[]> {
  if (values.length === 0) return Promise.resolve([]);
  return db.selectFrom('person').select('id').where(column, 'in', values).limit(1000).execute().then((r) => r.map((x) => x.id));
}

export function findPersonByIdentity(db: Q, idType: string, idIdx: string) {
  return db.selectFrom('person').selectAll().where('id_type', '=', idType).where('id_idx', '=', idIdx).executeTakeFirst();
}

/** The person's current (active or retained) membership with its union, wherever it is. */
export function currentMembership(db: Q, personId: number) {
  return db.selectFrom('membership as m').innerJoin('org as o', 'o.id', 'm.org_id')
    .select(['m.id', 'm.org_id', 'm.org_path', 'm.status', 'm.joined_on', 'o.name as org_name'])
    .where('m.person_id', '=', personId).where('m.status', 'in', CURRENT_STATUSES).executeTakeFirst();
}

/** A new person with a member number: the union's region code and a national sequence. */
export async function insertPerson(trx: Transaction<Database>, p: SealedPerson, regionCode: string | null) {
  return trx.insertInto('person').values({
    id_type: p.idType, id_idx: p.idIdx, id_enc: p.idEnc, id_masked: p.idMasked, name: p.name, gender: p.gender, birth_date: p.birthDate,
    ethnicity: p.ethnicity, education: p.education, employment_status: p.employmentStatus, household_type: p.householdType,
    is_migrant_worker: p.isMigrantWorker, groups: p.groups, phone_enc: p.phoneEnc, phone_idx: p.phoneIdx, phone_masked: p.phoneMasked,
    member_no: sql<string>`${regionCode ?? '000000'} || lpad(nextval('member_no_seq')::text, 10, '0')`,
  }).returning(['id', 'member_no']).executeTakeFirstOrThrow();
}

/**
 * Refreshes a returning person's details from a new application or form (identity stays): name
 * and phone are replaced; details the new source leaves empty keep their recorded value.
 */
export function refreshPerson(trx: Transaction<Database>, personId: number, p: SealedPerson) {
  return trx.updateTable('person').set((eb) => ({
    name: p.name, phone_enc: p.phoneEnc, phone_idx: p.phoneIdx, phone_masked: p.phoneMasked,
    ethnicity: eb.fn.coalesce(eb.val(p.ethnicity), eb.ref('ethnicity')),
    education: eb.fn.coalesce(eb.val(p.education), eb.ref('education')),
    employment_status: eb.fn.coalesce(eb.val(p.employmentStatus), eb.ref('employment_status')),
    household_type: eb.fn.coalesce(eb.val(p.householdType), eb.ref('household_type')),
    is_migrant_worker: p.isMigrantWorker ? true : eb.ref('is_migrant_worker'),
    groups: p.groups.length ? p.groups : eb.ref('groups'),
    version: sql`version + 1`, updated_at: new Date(),
  })).where('id', '=', personId).execute();
}

/** Locks one membership row (any status) by its key. */
export function lockMembership(trx: Transaction<Database>, personId: number, id: number) {
  return trx.selectFrom('membership').selectAll().where('person_id', '=', personId).where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
}

/** Ends a membership: its status and end date (the person's details are kept by snapshotOnEnd). */
export function endMembership(trx: Transaction<Database>, personId: number, id: number, status: string, endedOn: string | null, version?: number) {
  return trx.updateTable('membership').set({ status, ended_on: endedOn, version: version ?? sql`version + 1`, updated_at: new Date() })
    .where('person_id', '=', personId).where('id', '=', id).execute();
}

export function insertMembership(trx: Transaction<Database>, v: {
  person_id: number; org_id: number; org_path: string; status: string; joined_on: string; started_on: string; channel: string; id_last4: string; name: string;
}) {
  return trx.insertInto('membership').values(v).returning('id').executeTakeFirstOrThrow();
}

export function insertChange(trx: Q, v: {
  person_id: number; membership_id: number; org_id: number; change_type: string; reason_code?: string | null; note?: string | null;
  related_org_id?: number | null; channel?: string | null; actor_id: number | null; actor_name: string | null;
}) {
  return trx.insertInto('membership_change').values({
    ...v, reason_code: v.reason_code ?? null, note: v.note ?? null, related_org_id: v.related_org_id ?? null, channel: v.channel ?? null,
  }).execute();
}

export function history(db: Q, personId: number) {
  return db.selectFrom('membership_change as c')
    .innerJoin('org as o', 'o.id', 'c.org_id')
    .leftJoin('org as r', 'r.id', 'c.related_org_id')
    .select(['c.id', 'c.membership_id', 'c.change_type', 'c.reason_code', 'c.note', 'c.org_id', 'o.name as org_name', 'o.path as org_path', 'r.name as related_org_name', 'c.channel', 'c.actor_name', 'c.at'])
    .where('c.person_id', '=', personId).orderBy('c.at').orderBy('c.id').execute();
}

/**
 * Exact member figures of a union's subtree from the trigger-kept counters: the per-union totals
 * of the subtree's unions (one row each), and this year's rows of the per-year counters.
 */
export async function figures(db: Q, org: { id: number; path: string }, year: number) {
  const r = await sql<{ member_count: number; retained_count: number; direct_count: number; new_count: number }>`
    select coalesce(sum(c.active), 0)::bigint as member_count, coalesce(sum(c.retained), 0)::bigint as retained_count,
      coalesce(sum(c.active) filter (where c.org_id = ${org.id}), 0)::bigint as direct_count,
      (select coalesce(sum(s.active), 0) from member_stat s join org g on g.id = s.org_id where s.join_year = ${year} and ${inSubtree('g.path', org.path)})::bigint as new_count
    from member_count c join org o on o.id = c.org_id where ${inSubtree('o.path', org.path)}`.execute(db);
  const row = r.rows[0];
  return {
    memberCount: Number(row?.member_count ?? 0), directMemberCount: Number(row?.direct_count ?? 0),
    retainedCount: Number(row?.retained_count ?? 0), newMembersThisYear: Number(row?.new_count ?? 0),
  };
}

/** One roster row ready to join a union (set-based enrolment: members.enrolBatch). */
export interface BatchRow { p: SealedPerson; org: { id: number; path: string; region_code: string | null }; joinedOn: string }

/**
 * Inserts the people not on record, all at once; a person already there is left alone by ON
 * CONFLICT (and looked up afterwards). The identity index is probed once per row, by the insert.
 * A member number drawn for a row that turns out to be known is not used: numbers may have gaps.
 */
export async function insertPeople(trx: Transaction<Database>, rows: readonly BatchRow[]) {
  const col = <T>(f: (r: BatchRow) => T) => rows.map(f);
  const r = await sql<{ id: number; id_type: string; id_idx: string }>`
    insert into person (id_type, id_idx, id_enc, id_masked, name, gender, birth_date, ethnicity, education, employment_status, household_type,
      is_migrant_worker, groups, phone_enc, phone_idx, phone_masked, member_no)
    select t.id_type, t.id_idx, t.id_enc, t.id_masked, t.name, t.gender, t.birth_date, t.ethnicity, t.education, t.employment_status, t.household_type,
      t.migrant, t.groups::text[], t.phone_enc, t.phone_idx, t.phone_masked, t.region || lpad(nextval('member_no_seq')::text, 10, '0')
    from unnest(${col((c) => c.p.idType)}::text[], ${col((c) => c.p.idIdx)}::text[], ${col((c) => c.p.idEnc)}::text[], ${col((c) => c.p.idMasked)}::text[],
      ${col((c) => c.p.name)}::text[], ${col((c) => c.p.gender)}::text[], ${col((c) => c.p.birthDate)}::date[], ${col((c) => c.p.ethnicity)}::text[],
      ${col((c) => c.p.education)}::text[], ${col((c) => c.p.employmentStatus)}::text[], ${col((c) => c.p.householdType)}::text[],
      ${col((c) => c.p.isMigrantWorker)}::boolean[], ${col((c) => `{${c.p.groups.join(',')}}`)}::text[], ${col((c) => c.p.phoneEnc)}::text[],
      ${col((c) => c.p.phoneIdx)}::text[], ${col((c) => c.p.phoneMasked)}::text[], ${col((c) => c.org.region_code ?? '000000')}::text[])
      as t(id_type, id_idx, id_enc, id_masked, name, gender, birth_date, ethnicity, education, employment_status, household_type, migrant, groups,
        phone_enc, phone_idx, phone_masked, region)
    on conflict (id_idx, id_type) do nothing
    returning id, id_type, id_idx`.execute(trx);
  return r.rows;
}

/** The recorded details of people by identity index (the refresh rule compares against them). */
export function peopleByIdentity(trx: Transaction<Database>, idIdxs: readonly string[]) {
  return trx.selectFrom('person').select(['id', 'id_type', 'id_idx', 'name', 'phone_idx', 'ethnicity', 'education', 'employment_status', 'household_type', 'is_migrant_worker', 'groups'])
    .where('id_idx', '=', sql<string>`any(${[...idIdxs]}::text[])`).execute();
}

/** The current memberships of people, with their unions' names and paths. */
export function currentsOf(trx: Transaction<Database>, personIds: readonly number[]) {
  return trx.selectFrom('membership as m').innerJoin('org as o', 'o.id', 'm.org_id').select(['m.person_id', 'm.org_id', 'm.org_path', 'o.name as org_name'])
    .where('m.person_id', '=', sql<number>`any(${[...personIds]}::bigint[])`).where('m.status', 'in', CURRENT_STATUSES).execute();
}

/** The search copy of a renamed person's name on their current membership. */
export function renameCurrent(trx: Transaction<Database>, personId: number, name: string) {
  return trx.updateTable('membership').set({ name }).where('person_id', '=', personId).where('status', 'in', CURRENT_STATUSES).execute();
}

/** New active memberships, all at once, each with its 入会 change record. */
export async function insertMembershipsBatch(trx: Transaction<Database>, rows: ReadonlyArray<{ personId: number; r: BatchRow }>,
  opts: { channel: string; note: string; actorId: number | null }): Promise<number> {
  const col = <T>(f: (j: { personId: number; r: BatchRow }) => T) => rows.map(f);
  const ms = await sql<{ id: number; person_id: number; org_id: number }>`
    insert into membership (person_id, org_id, org_path, status, joined_on, started_on, channel, id_last4, name)
    select t.person_id, t.org_id, t.org_path, 'active', t.joined_on, t.joined_on, ${opts.channel}, t.id_last4, t.name
    from unnest(${col((j) => j.personId)}::bigint[], ${col((j) => j.r.org.id)}::int[], ${col((j) => j.r.org.path)}::text[], ${col((j) => j.r.joinedOn)}::date[],
      ${col((j) => j.r.p.idLast4)}::text[], ${col((j) => j.r.p.name)}::text[]) as t(person_id, org_id, org_path, joined_on, id_last4, name)
    returning id, person_id, org_id`.execute(trx);
  await sql`
    insert into membership_change (person_id, membership_id, org_id, change_type, channel, note, actor_id)
    select t.person_id, t.membership_id, t.org_id, '1', ${opts.channel}, ${opts.note}, ${opts.actorId}
    from unnest(${ms.rows.map((m) => m.person_id)}::bigint[], ${ms.rows.map((m) => m.id)}::bigint[], ${ms.rows.map((m) => m.org_id)}::int[])
      as t(person_id, membership_id, org_id)`.execute(trx);
  return ms.rows.length;
}

/** One page of a union's roster (current members under `orgPath`, inside the scope), newest first: the export's rows. */
export function rosterPage(db: Q, scope: Scope, orgPath: string, beforeId: number, limit: number) {
  return db.selectFrom('membership as m').innerJoin('person as p', 'p.id', 'm.person_id').innerJoin('org as o', 'o.id', 'm.org_id')
    .select(['m.id', 'p.member_no', 'p.name', 'p.id_type', 'p.id_masked', 'p.id_enc', 'p.phone_masked', 'p.phone_enc', 'p.gender', 'p.birth_date', 'p.ethnicity',
      'p.education', 'p.employment_status', 'p.is_migrant_worker', 'p.groups', 'm.joined_on', 'o.name as org_name', 'm.status'])
    .where(inScope(scope, 'm.org_path')).where(inSubtree('m.org_path', orgPath)).where('m.status', 'in', CURRENT_STATUSES)
    .where('m.id', '<', beforeId).orderBy('m.id', 'desc').limit(limit).execute();
}

/** Which of these identities (`idType:idIdx`) hold a current membership somewhere. */
export async function currentIdentities(db: Q, ids: ReadonlyArray<{ idType: string; idIdx: string }>): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const found = await db.selectFrom('person as p').innerJoin('membership as m', 'm.person_id', 'p.id').select(['p.id_type', 'p.id_idx'])
    .where('p.id_idx', 'in', ids.map((r) => r.idIdx)).where('m.status', 'in', CURRENT_STATUSES).execute();
  return new Set(found.map((f) => `${f.id_type}:${f.id_idx}`));
}

/** Edits a person's details (the columns given). */
export function updatePerson(trx: Transaction<Database>, personId: number, set: Record<string, unknown>) {
  return trx.updateTable('person').set({ ...set, updated_at: new Date() } as never).where('id', '=', personId).execute();
}

/** A membership's version moves on with an edit of its person. */
export function bumpMembership(trx: Transaction<Database>, personId: number, id: number, version: number) {
  return trx.updateTable('membership').set({ version, updated_at: new Date() }).where('person_id', '=', personId).where('id', '=', id).execute();
}

/** The encrypted identity number and phone of a person (for an audited reveal). */
export function sealedContact(db: Q, personId: number) {
  return db.selectFrom('person').select(['id_enc', 'phone_enc']).where('id', '=', personId).executeTakeFirstOrThrow();
}

/** What a member card shows of its person. */
/** A worker's own person row, as their 我的 page shows it (masked identity and phone). */
export function workerPerson(db: Q, personId: number) {
  return db.selectFrom('person').select(['name', 'id_masked', 'phone_masked', 'member_no']).where('id', '=', personId).executeTakeFirstOrThrow();
}

/** What finds a worker's own records elsewhere: their identity and phone blind indexes, their memberships. */
export async function workerKeys(db: Q, personId: number) {
  const p = await db.selectFrom('person').select(['id_type', 'id_idx', 'phone_idx']).where('id', '=', personId).executeTakeFirstOrThrow();
  const ms = await db.selectFrom('membership').select('id').where('person_id', '=', personId).execute();
  return { idType: p.id_type, idIdx: p.id_idx, phoneIdx: p.phone_idx, membershipIds: ms.map((m) => m.id) };
}

export function cardPerson(db: Q, personId: number) {
  return db.selectFrom('person').select(['name', 'member_no']).where('id', '=', personId).executeTakeFirstOrThrow();
}

/** The holder of a card: the membership's status, the person's name and the union's name. */
export function cardHolder(db: Q, membershipId: number) {
  return db.selectFrom('membership as ms').innerJoin('person as p', 'p.id', 'ms.person_id').innerJoin('org as o', 'o.id', 'ms.org_id')
    .select(['ms.status', 'p.name', 'o.name as org_name']).where('ms.id', '=', membershipId).executeTakeFirst();
}

