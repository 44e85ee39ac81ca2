import type { Kysely, Transaction } from 'kysely';
import QRCode from 'qrcode';
import type { Database } from '../../db/types.js';
import { recordAudit, type Actor } from '../../platform/audit.js';
import { shanghaiDate } from '../../platform/calendar.js';
import type { PiiCipher } from '../../platform/crypto.js';
import { appError, invalidField, pgErrorInfo } from '../../platform/errors.js';
import { ID_TYPES, checkIdentity } from '../../platform/idcard.js';
import { decodeCursor, page } from '../../platform/pagination.js';
import { checkPhone, maskName, maskPhone } from '../../platform/pii.js';
import { normalizeCode } from '../../platform/credit-code.js';
import { narrowScope, scopeContains, type Scope } from '../../platform/scope.js';
import type { Caller } from '../../platform/caller.js';
import type { OrgLevel } from '../../../common/enums.js';
import type { DictionaryService } from '../dictionaries/service.js';
import type { OrgService } from '../orgs/service.js';
import type { PublicOrg } from '../orgs/repo.js';
import { checkName, checkPerson, identityIndex, loadCodebook, phoneIndex, type PersonInput, type SealedPerson } from './person.js';
import { ALL_PLANS, choosePlan, isWalk, sharesNeeded, type ListFacts, type ListPlan, type PlanKind, type Share } from './list-plan.js';
import * as repo from './repo.js';
import type { EndedSnapshot, MemberRow, MemberSummaryRow } from './repo.js';
import { CURRENT_STATUSES, type CreateMemberBody, type ListMembersQuery, type Member, type MemberStatus, type MemberSummary, type UpdateMemberBody } from './schemas.js';

/** The signed-in officer acting on members: who, and the data scope of the route's permission. */

export const CHANGE_TYPE_LABELS: Record<string, string> = { 1: '入会', 2: '转入', 3: '保留', 4: '转出', 5: '除名', 6: '退会' };
const LEAVE: Record<'retain' | 'expel' | 'withdraw', { status: MemberStatus; changeType: string; from: readonly MemberStatus[] }> = {
  retain: { status: 'retained', changeType: '3', from: ['active'] },
  expel: { status: 'expelled', changeType: '5', from: ['active', 'retained'] },
  withdraw: { status: 'withdrawn', changeType: '6', from: ['active', 'retained'] },
};
const CARD_TTL_SECONDS = 10 * 60;
/** How long a scope's member count is trusted for choosing a list plan (it never changes a result). */
const SIZE_TTL_MS = 10 * 60 * 1000;
/** Statuses a page may walk the id index for: they cover nearly every row, so matches come soon. */
const WALKABLE_STATUSES = new Set(['current', 'active', 'all']);

export function toMemberSummary(r: MemberSummaryRow): MemberSummary {
  const e = r.ended_snapshot as EndedSnapshot | null; // an ended membership shows the person as they were then
  return {
    id: r.id, memberNo: r.member_no, name: e?.name ?? r.name, maskedIdNumber: r.id_masked, maskedPhone: e?.phone_masked ?? r.phone_masked, birthDate: r.birth_date,
    gender: r.gender, orgId: r.org_id, orgName: r.org_name, status: r.status as MemberStatus, joinedOn: r.joined_on,
  };
}

/**
 * The whole record. Written out in full, not as a spread of toMemberSummary: V8 (Node 20) built the
 * spread object 70× slower (≈30 µs a row against 0.4 µs; a whole-record page of 50 spent 1.5 ms
 * of the server's time there, and its throughput fell by half).
 */
export function toMember(r: MemberRow): Member {
  const e = r.ended_snapshot as EndedSnapshot | null; // an ended membership shows the person as they were then
  return {
    id: r.id, memberNo: r.member_no, name: e?.name ?? r.name, maskedIdNumber: r.id_masked, maskedPhone: e?.phone_masked ?? r.phone_masked, birthDate: r.birth_date,
    gender: r.gender, orgId: r.org_id, orgName: r.org_name, status: r.status as MemberStatus, joinedOn: r.joined_on,
    personId: r.person_id, idType: r.id_type, ethnicity: e ? e.ethnicity : r.ethnicity, education: e ? e.education : r.education, employmentStatus: e ? e.employment_status : r.employment_status,
    householdType: e ? e.household_type : r.household_type, isMigrantWorker: e ? e.is_migrant_worker : r.is_migrant_worker, groups: e ? e.groups : r.groups, startedOn: r.started_on, endedOn: r.ended_on, channel: r.channel, version: r.version, createdAt: r.created_at.toISOString(),
  };
}

/** A keyset page of member rows (fetched with one extra), each turned into its API shape. */
function pageOf<R extends { id: number }, T>(rows: R[], limit: number, shape: (r: R) => T) {
  const p = page(rows, limit, (r) => ({ id: r.id }));
  return { items: p.items.map(shape), nextCursor: p.nextCursor };
}

export interface MemberDeps {
  db: Kysely<Database>;
  pii: PiiCipher;
  orgs: OrgService;
  dictionaries: DictionaryService;
  now?: () => Date;
  /**
   * The least share of all current members a scope must hold for its plain list pages to walk
   * the id index on a prepared generic plan (repo.listPrepared): 51 matches then turn up within
   * ≈20,000 index entries. Smaller scopes are planned for their own size. Tests set 0 or >1.
   */
  walkShare?: number;
  /** The most index entries that walk reads before the page is planned as a small scope's instead. */
  walkBudget?: number;
  /** The list plans this service may take (list-plan.ts; all by default): the benchmark and tests leave some out for a reference. */
  plans?: ReadonlySet<PlanKind>;
  /**
   * The least share of all current members a single-subtree scope must hold for a one-character
   * search to walk that character's entries newest first (≈51 ÷ share of them) instead of reading
   * all the scope's matches and sorting them. Tests set 0 or >1.
   */
  initialWalkShare?: number;
  /**
   * The least share of its county's current members a scope below a county (a street, a large
   * union) must hold for its plain pages to walk the county's entries newest first (≈51 ÷ share
   * of them), keeping its own, instead of the id walk (a street holds ≈0.3 % of a province:
   * ≈17,000 entries) or a sort of all its members. Tests set 0 or >1.
   */
  countyWalkShare?: number;
  /** The most county entries that walk reads before the page is planned instead. */
  countyWalkBudget?: number;
  /** The level of the deployment's root union (national by default): it says how deep a county's path is (repo.countySegmentsOf). */
  rootLevel?: OrgLevel;
  /** Told the plan of every list page (the benchmark checks each request takes the plan it measures). */
  onPlan?: (plan: ListPlan) => void;
}

/** Throws the field error of a failed person check. */
/** An approved application's identity by its number and the phone's blind index (undefined: none, or not approved). */
export type ApplicantLookup = (applicationNo: string, phoneIdx: string) => Promise<{ idType: string; idIdx: string } | undefined>;

/** What happened to one roster row in enrolBatch. */
export type BatchOutcome = { kind: 'inserted' | 'updated' | 'skipped' } | { kind: 'elsewhere'; orgName: string | null };

export function sealOrThrow(check: ReturnType<typeof checkPerson>): SealedPerson {
  if (!check.ok) throw invalidField(check.field, check.message);
  return check.person;
}

export function createMemberService({ db, pii, orgs, dictionaries, now = () => new Date(), walkShare = 1 / 400, walkBudget = 50_000, plans = ALL_PLANS, initialWalkShare = 1 / 20,
  countyWalkShare = 1 / 10, countyWalkBudget = 2_000, onPlan, rootLevel = 'national' }: MemberDeps) {
  const countySegments = repo.countySegmentsOf(rootLevel);
  const today = () => shanghaiDate(now());
  let applicantLookup: ApplicantLookup | undefined;
  /** Run in the transaction of a 除名 or 退会 (the transfers module closes the person's open transfer). */
  const endedHooks: Array<(trx: Transaction<Database>, personId: number) => Promise<void>> = [];

  /** Current members in a scope (and in all unions, under '*'), from the counters, remembered a while. */
  const sizes = new Map<string, { n: number; at: number }>();
  async function sizeOf(key: string, count: () => Promise<number>): Promise<number> {
    const hit = sizes.get(key);
    if (hit && Date.now() - hit.at < SIZE_TTL_MS) return hit.n;
    const n = await count();
    if (sizes.size >= 10_000) sizes.clear();
    sizes.set(key, { n, at: Date.now() });
    return n;
  }
  /** True when the scope holds at least `share` of all current members (or of the subtree at `of`). */
  async function holdsShare(scope: Scope, share: number, of?: string): Promise<boolean> {
    if (share > 1 || scope.paths.length === 0) return false;
    const all = of === undefined ? await sizeOf('*', () => repo.allCurrentMemberCount(db)) : await sizeOf(of, () => repo.subtreeCurrentMemberCount(db, of));
    if (all === 0) return false;
    const mine = await sizeOf(scope.paths.join(','), () => repo.currentMemberCount(db, scope));
    return mine / all >= share;
  }

  /** 422 ALREADY_MEMBER, naming the current union only when it lies in the caller's scope. */
  function alreadyMember(cur: { org_id: number; org_path: string; org_name: string }, targetOrgId: number, scope: Scope | null) {
    if (cur.org_id === targetOrgId) return appError('ALREADY_MEMBER', { orgId: cur.org_id, orgName: cur.org_name }, '该人员已是本工会会员');
    if (scope && scopeContains(scope, cur.org_path)) {
      return appError('ALREADY_MEMBER', { orgId: cur.org_id, orgName: cur.org_name }, `该人员已是「${cur.org_name}」的会员，如已更换工作单位，请办理转会`);
    }
    return appError('ALREADY_MEMBER');
  }

  function checkJoinedOn(joinedOn: string | undefined, birthDate: string | null): string {
    const d = joinedOn ?? today();
    if (d > today()) throw invalidField('joinedOn', '入会日期不能晚于今天');
    if (d < '1925-05-01') throw invalidField('joinedOn', '入会日期不能早于 1925 年 5 月 1 日（中华全国总工会成立）');
    if (birthDate && d < birthDate) throw invalidField('joinedOn', '入会日期不能早于出生日期');
    return d;
  }

  /**
   * 入会: the person (found by identity blind index, or created) gets an active membership of `org`.
   * One current membership per person is the database's rule; a race loses with ALREADY_MEMBER.
   */
  async function enrol(trx: Transaction<Database>, p: SealedPerson, org: Pick<PublicOrg, 'id' | 'path' | 'region_code'>,
    opts: { channel: string; joinedOn: string; actor: Actor; scope: Scope | null }): Promise<{ membershipId: number; personId: number; memberNo: string }> {
    const existing = await repo.findPersonByIdentity(trx, p.idType, p.idIdx);
    let personId: number;
    let memberNo: string;
    if (existing) {
      const cur = await repo.currentMembership(trx, existing.id);
      if (cur) throw alreadyMember(cur, org.id, opts.scope);
      await repo.refreshPerson(trx, existing.id, p);
      personId = existing.id;
      memberNo = existing.member_no;
    } else {
      const ins = await repo.insertPerson(trx, p, org.region_code);
      personId = ins.id;
      memberNo = ins.member_no;
    }
    const m = await repo.insertMembership(trx, {
      person_id: personId, org_id: org.id, org_path: org.path, status: 'active', joined_on: opts.joinedOn, started_on: opts.joinedOn,
      channel: opts.channel, id_last4: p.idLast4, name: p.name,
    });
    await repo.insertChange(trx, {
      person_id: personId, membership_id: m.id, org_id: org.id, change_type: '1', channel: opts.channel,
      actor_id: opts.actor.userId, actor_name: opts.actor.username,
    });
    await recordAudit(trx, opts.actor, {
      action: 'member.join', entityType: 'membership', entityId: m.id, org: { id: org.id, path: org.path },
      after: { memberNo, orgId: org.id, channel: opts.channel, status: 'active', joinedOn: opts.joinedOn },
    });
    return { membershipId: m.id, personId, memberNo };
  }

  /** The person with this identity and their current membership wherever it is (system lookup, never shown as such). */
  async function currentOfIdentity(idType: string, idIdx: string) {
    const person = await repo.findPersonByIdentity(db, idType, idIdx);
    const m = person ? await repo.currentMembership(db, person.id) : undefined;
    return person ? { personId: person.id, membership: m ? { id: m.id, org_id: m.org_id, org_path: m.org_path } : undefined } : undefined;
  }

  /** Runs `fn` translating the one-current-membership index into ALREADY_MEMBER (a concurrent join won). */
  async function withMembershipRace<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      const { code, constraint } = pgErrorInfo(err);
      if (code === '23505' && (constraint === 'membership_one_current_idx' || constraint === 'person_identity_key')) throw appError('ALREADY_MEMBER');
      throw err;
    }
  }

  async function mustFind(scope: Scope, id: number): Promise<MemberRow> {
    const row = await repo.findMember(db, scope, id);
    if (!row) throw appError('MEMBER_NOT_FOUND');
    return row;
  }

  /** Blind indexes of `q` read as an identity number of each type it is valid for. */
  function identityIndexesOf(q: string): string[] {
    const out: string[] = [];
    for (const t of ID_TYPES) {
      const r = checkIdentity(t, q, now());
      if (r.ok) out.push(identityIndex(pii, t, r.value));
    }
    return out;
  }

  function cardToken(membershipId: number): { token: string; expiresAt: Date } {
    const exp = Math.floor(now().getTime() / 1000) + CARD_TTL_SECONDS;
    const body = `${membershipId}.${exp}`;
    return { token: `${body}.${pii.sign('member-card', body)}`, expiresAt: new Date(exp * 1000) };
  }

  async function cardOf(row: { id: number; member_no: string; name: string; org_name: string; joined_on: string }, baseUrl: string) {
    const { token, expiresAt } = cardToken(row.id);
    const qr = await QRCode.toDataURL(`${baseUrl}/m/verify?token=${encodeURIComponent(token)}`, { errorCorrectionLevel: 'M', margin: 1, width: 240 });
    return { memberNo: row.member_no, name: row.name, orgName: row.org_name, joinedOn: row.joined_on, qr, token, expiresAt: expiresAt.toISOString() };
  }

  return {
    enrol,
    withMembershipRace,
    today,

    /**
     * 名册入会, set-based, in the caller's transaction (a roster import's batch): each row's person
     * is created, or refreshed by the rule every way in shares (name and phone as given, an empty
     * optional cell keeps what is on record); a person already current in the row's union is only
     * refreshed ('updated', or 'skipped' when nothing differs), one current elsewhere is refused
     * ('elsewhere', naming the union only when it lies under `namedWithin`), anyone else joins.
     * One outcome per row, in order.
     */
    async enrolBatch(trx: Transaction<Database>, rows: readonly repo.BatchRow[], opts: { channel: string; note: string; actorId: number | null; namedWithin: string }): Promise<BatchOutcome[]> {
      const out: BatchOutcome[] = rows.map(() => ({ kind: 'inserted' }));
      if (rows.length === 0) return out;
      const inserted = await repo.insertPeople(trx, rows);
      const idBy = new Map(inserted.map((r) => [`${r.id_type}:${r.id_idx}`, r.id]));
      const joins: Array<{ personId: number; r: repo.BatchRow }> = [];
      const known: number[] = [];
      rows.forEach((r, i) => {
        const id = idBy.get(`${r.p.idType}:${r.p.idIdx}`);
        if (id === undefined) known.push(i);
        else joins.push({ personId: id, r });
      });
      const people = known.length ? await repo.peopleByIdentity(trx, known.map((i) => rows[i]?.p.idIdx ?? '')) : [];
      const personBy = new Map(people.map((p) => [`${p.id_type}:${p.id_idx}`, p]));
      const currentBy = new Map((people.length ? await repo.currentsOf(trx, people.map((p) => p.id)) : []).map((m) => [m.person_id, m]));
      for (const i of known) {
        const r = rows[i];
        if (!r) continue;
        const p = personBy.get(`${r.p.idType}:${r.p.idIdx}`);
        if (!p) throw new Error('a person the insert found on record is missing');
        const cur = currentBy.get(p.id);
        if (cur && cur.org_id !== r.org.id) {
          out[i] = { kind: 'elsewhere', orgName: cur.org_path.startsWith(opts.namedWithin) ? cur.org_name : null };
        } else if (cur) {
          const c = r.p;
          const same = p.name === c.name && p.phone_idx === c.phoneIdx && (c.ethnicity === null || p.ethnicity === c.ethnicity)
            && (c.education === null || p.education === c.education) && (c.employmentStatus === null || p.employment_status === c.employmentStatus)
            && (c.householdType === null || p.household_type === c.householdType) && (!c.isMigrantWorker || p.is_migrant_worker)
            && (c.groups.length === 0 || [...p.groups].sort().join() === [...c.groups].sort().join());
          if (same) out[i] = { kind: 'skipped' };
          else {
            await repo.refreshPerson(trx, p.id, c);
            if (p.name !== c.name) await repo.renameCurrent(trx, p.id, c.name);
            out[i] = { kind: 'updated' };
          }
        } else {
          // a former member coming back: refreshed by the same rule as a form's, then a new membership
          await repo.refreshPerson(trx, p.id, r.p);
          joins.push({ personId: p.id, r });
        }
      }
      if (joins.length) await repo.insertMembershipsBatch(trx, joins, opts);
      return out;
    },

    /** One page of a union's roster for an export (current members, newest first, PII still sealed). */
    rosterPage: (scope: Scope, orgPath: string, beforeId: number, limit: number) => repo.rosterPage(db, scope, orgPath, beforeId, limit),

    /** Which of these identities hold a current membership somewhere (an application is marked 已是会员 to its union). */
    currentIdentities: (ids: ReadonlyArray<{ idType: string; idIdx: string }>) => repo.currentIdentities(db, ids),

    /** Current members in the scope, from the counters. */
    currentCount: (scope: Scope) => repo.currentMemberCount(db, scope),

    /**
     * Registers how a worker's approved application number (with the phone's blind index) names
     * their identity, for the card lookup by application number (the join-applications module).
     */
    onApplicantLookup(fn: ApplicantLookup) { applicantLookup = fn; },

    /** Registers what runs in the transaction of a 除名 or 退会 (after the membership is locked and ended). */
    onEnded(hook: (trx: Transaction<Database>, personId: number) => Promise<void>) { endedHooks.push(hook); },

    /** A membership inside the scope (any status), as another module needs it: key, union, status. */
    async membershipInScope(scope: Scope, id: number) {
      const m = await repo.findMember(db, scope, id);
      return m ? { id: m.id, person_id: m.person_id, org_id: m.org_id, org_path: m.org_path, status: m.status } : undefined;
    },

    currentOfIdentity,

    /** Locks a membership for a change another module makes to it (a transfer): lock it before the module's own rows. */
    lockMembership: (trx: Transaction<Database>, personId: number, id: number) => repo.lockMembership(trx, personId, id),

    /**
     * 转出 + 转入 in the caller's transaction: the old membership (locked by lockMembership, still
     * current) ends as transferred with its snapshot, the new one starts in `to` keeping the join
     * date, and both change records are written. Returns the new membership's id.
     */
    async moveMembership(trx: Transaction<Database>, old: { id: number; person_id: number; org_id: number; joined_on: string; id_last4: string; name: string },
      to: { id: number; path: string }, reason: string, actor: Actor): Promise<number> {
      const day = today();
      await repo.endMembership(trx, old.person_id, old.id, 'transferred', day);
      await repo.snapshotOnEnd(trx, old.person_id, old.id);
      const m = await repo.insertMembership(trx, {
        person_id: old.person_id, org_id: to.id, org_path: to.path, status: 'active', joined_on: old.joined_on, started_on: day,
        channel: 'transfer', id_last4: old.id_last4, name: old.name,
      });
      const who = { actor_id: actor.userId, actor_name: actor.username };
      await repo.insertChange(trx, { person_id: old.person_id, membership_id: old.id, org_id: old.org_id, change_type: '4', reason_code: '1', note: reason, related_org_id: to.id, ...who });
      await repo.insertChange(trx, { person_id: old.person_id, membership_id: m.id, org_id: to.id, change_type: '2', reason_code: '1', note: reason, related_org_id: old.org_id, channel: 'transfer', ...who });
      return m.id;
    },

    /** 流动窗口入会: an officer registers a member of a union inside their scope. */
    async create(caller: Caller, body: CreateMemberBody): Promise<Member> {
      const org = await orgs.get(caller, body.orgId);
      const codes = await loadCodebook(dictionaries);
      const p = sealOrThrow(checkPerson(body as PersonInput, codes, pii, now()));
      const joinedOn = checkJoinedOn(body.joinedOn, p.birthDate);
      const { membershipId } = await withMembershipRace(() => db.transaction().execute((trx) =>
        enrol(trx, p, { id: org.id, path: org.path, region_code: org.regionCode }, { channel: 'window', joinedOn, actor: caller.actor, scope: caller.scope })));
      return toMember(await mustFind(caller.scope, membershipId));
    },

    /**
     * Members in scope (or under `orgId`), newest first: whole records, or with `view=summary` what a
     * roster table shows. `q` is read as: a full identity number (exact, blind index), a mobile
     * number (exact, blind index), a member number, the last four characters of the identity
     * number, or else the beginning of a name.
     */
    async list(caller: Caller, query: ListMembersQuery) {
      const limit = query.limit ?? 50;
      const cursor = decodeCursor(query.cursor, { id: 'id' });
      const org = query.orgId ? await orgs.get(caller, query.orgId) : undefined;
      const status = query.status ?? 'current';
      const statuses = status === 'all' ? null : status === 'current' ? CURRENT_STATUSES
        : status === 'ended' ? ['transferred', 'expelled', 'withdrawn'] : [status];
      const f: repo.ListFilter = { statuses, limit, ...(org ? { orgPath: org.path } : {}), ...(cursor ? { beforeId: cursor.id } : {}) };
      const q = query.q?.trim();
      if (q) {
        const n = normalizeCode(q);
        const phone = /^\+?\d[\d\s-]{10,}$/.test(q) ? checkPhone(q, { mobileOnly: true }) : null;
        if (phone?.ok) f.personIds = await repo.personIdsBy(db, 'phone_idx', [phoneIndex(pii, phone.value)]);
        else if (/^\d{16}$/.test(n)) f.personIds = await repo.personIdsBy(db, 'member_no', [n]);
        else if (/^[\dX]{4}$/.test(n)) f.last4 = n;
        else if (/^[0-9A-Z]{5,}$/.test(n)) f.personIds = await repo.personIdsBy(db, 'id_idx', identityIndexesOf(n));
        else f.namePrefix = q;
      }
      // searches, and plain pages of a large scope, run prepared on their generic plans (list-plan.ts)
      const scope = org ? narrowScope(caller.scope, org.path) : caller.scope;
      const facts: ListFacts = {
        search: f.personIds !== undefined || f.last4 !== undefined ? 'exact' : f.namePrefix === undefined ? 'none' : [...f.namePrefix].length === 1 ? 'initial' : 'name',
        preparedName: f.namePrefix !== undefined && repo.preparedNameSearch(scope, f.namePrefix),
        walkableStatus: WALKABLE_STATUSES.has(status),
        countyScope: repo.isCountyScope(scope, countySegments),
        countyHead: repo.countyHeadOf(scope, countySegments),
        plans,
      };
      const shares = new Set<Share>();
      for (const s of sharesNeeded(facts)) {
        const reached = s === 'countyWalk' ? facts.countyHead !== null && await holdsShare(scope, countyWalkShare, facts.countyHead)
          : await holdsShare(scope, s === 'walk' ? walkShare : initialWalkShare);
        if (reached) { shares.add(s); break; } // the first share reached decides (sharesNeeded); the rest are not counted
      }
      const plan = choosePlan(facts, shares);
      onPlan?.(plan);
      if (plan.kind !== 'planned') {
        const pf: repo.PreparedFilter = {
          statuses, limit, walkBudget: plan.kind === 'countyWalk' ? countyWalkBudget : walkBudget, ...(cursor ? { beforeId: cursor.id } : {}),
          ...(f.personIds ? { personIds: f.personIds } : {}), ...(f.last4 !== undefined ? { last4: f.last4 } : {}), ...(f.namePrefix !== undefined ? { namePrefix: f.namePrefix } : {}),
        };
        // a walk that came back short may have run out of budget, not of members: plan the page instead
        if (query.view === 'summary') {
          const rows = await repo.listPrepared(db, scope, plan, pf, 'summary');
          if (!isWalk(plan) || rows.length > limit) return pageOf(rows, limit, toMemberSummary);
        } else {
          const rows = await repo.listPrepared(db, scope, plan, pf);
          if (!isWalk(plan) || rows.length > limit) return pageOf(rows, limit, toMember);
        }
      }
      return query.view === 'summary'
        ? pageOf(await repo.listMembers(db, caller.scope, f, 'summary'), limit, toMemberSummary)
        : pageOf(await repo.listMembers(db, caller.scope, f), limit, toMember);
    },

    async get(caller: Caller, id: number): Promise<Member> {
      return toMember(await mustFind(caller.scope, id));
    },

    /** Edits a current member's details (identity is fixed; a wrong identity is a new person). */
    async update(caller: Caller, id: number, body: UpdateMemberBody): Promise<Member> {
      const codes = await loadCodebook(dictionaries);
      await db.transaction().execute(async (trx) => {
        const row = await repo.findMemberForUpdate(trx, caller.scope, id);
        if (!row) throw appError('MEMBER_NOT_FOUND');
        if (!CURRENT_STATUSES.includes(row.status as MemberStatus)) throw appError('MEMBER_NOT_CURRENT');
        if (row.version !== body.version) throw appError('VERSION_CONFLICT');
        const set: Record<string, unknown> = {};
        if (body.name !== undefined) {
          const nm = checkName(body.name);
          if (!nm.ok) throw invalidField('name', nm.message);
          set.name = nm.value;
        }
        if (body.phone !== undefined) {
          const ph = checkPhone(body.phone, { mobileOnly: true });
          if (!ph.ok) throw invalidField('phone', ph.message);
          set.phone_enc = pii.encrypt(ph.value);
          set.phone_idx = phoneIndex(pii, ph.value);
          set.phone_masked = maskPhone(ph.value);
        }
        const dicts: Array<[keyof UpdateMemberBody, string, 'ethnicity' | 'education' | 'employment_status' | 'household_type', string]> = [
          ['ethnicity', 'ethnicity', 'ethnicity', '民族'], ['education', 'education', 'education', '学历'],
          ['employmentStatus', 'employment_status', 'employment_status', '就业状况'], ['householdType', 'household_type', 'household_type', '户籍类型'],
        ];
        for (const [field, column, type, label] of dicts) {
          const v = body[field] as string | null | undefined;
          if (v === undefined) continue;
          if (v !== null && !codes.has(type, v)) throw invalidField(field, `${label}代码 ${v} 不在字典中`);
          set[column] = v;
        }
        if (body.isMigrantWorker !== undefined) set.is_migrant_worker = body.isMigrantWorker;
        if (body.groups !== undefined) {
          for (const g of body.groups) if (!codes.has('member_group', g)) throw invalidField('groups', `会员群体代码 ${g} 不在字典中`);
          set.groups = body.groups;
        }
        if (Object.keys(set).length === 0) return;
        await repo.updatePerson(trx, row.person_id, set);
        await repo.bumpMembership(trx, row.person_id, row.id, row.version + 1);
        // The name is copied onto the person's current membership (the scoped name search reads it
        // there); an ended one keeps the name it ended with.
        if (set.name) await repo.renameCurrent(trx, row.person_id, set.name as string);
        const changed = Object.keys(set).filter((k) => !k.startsWith('phone_'));
        await recordAudit(trx, caller.actor, {
          action: 'member.update', entityType: 'membership', entityId: id, org: { id: row.org_id, path: row.org_path },
          after: { fields: [...changed, ...(set.phone_enc ? ['phone'] : [])] },
        });
      });
      return toMember(await mustFind(caller.scope, id));
    },

    /** The full identity number or phone, for a stated reason; audited (the value is not logged). */
    async reveal(caller: Caller, id: number, field: 'idNumber' | 'phone', reason: string): Promise<{ field: string; value: string }> {
      return db.transaction().execute(async (trx) => {
        const row = await repo.findMember(trx, caller.scope, id);
        if (!row) throw appError('MEMBER_NOT_FOUND');
        const p = await repo.sealedContact(trx, row.person_id);
        // an ended membership reveals the phone it had when it ended, not one its next union recorded since
        const ended = row.ended_snapshot as EndedSnapshot | null;
        if (ended) p.phone_enc = ended.phone_enc;
        await recordAudit(trx, caller.actor, {
          action: 'member.reveal', entityType: 'membership', entityId: id, org: { id: row.org_id, path: row.org_path }, after: { field, reason },
        });
        return { field, value: pii.decrypt(field === 'idNumber' ? p.id_enc : p.phone_enc) };
      });
    },

    /** 保留 / 除名 / 退会, with the ACFTU change record. */
    async leave(caller: Caller, id: number, body: { type: 'retain' | 'expel' | 'withdraw'; reason: string; reasonCode?: string | undefined }): Promise<Member> {
      const rule = LEAVE[body.type];
      await db.transaction().execute(async (trx) => {
        const row = await repo.findMemberForUpdate(trx, caller.scope, id);
        if (!row) throw appError('MEMBER_NOT_FOUND');
        if (!rule.from.includes(row.status as MemberStatus)) throw appError('MEMBER_STATE_CONFLICT', { status: row.status });
        const ends = rule.status !== 'retained';
        await repo.endMembership(trx, row.person_id, id, rule.status, ends ? today() : null, row.version + 1);
        if (ends) {
          await repo.snapshotOnEnd(trx, row.person_id, id);
          // (the membership is locked first, then what the hooks lock: the order transfers.accept keeps)
          for (const hook of endedHooks) await hook(trx, row.person_id);
        }
        await repo.insertChange(trx, {
          person_id: row.person_id, membership_id: id, org_id: row.org_id, change_type: rule.changeType, reason_code: body.reasonCode ?? null,
          note: body.reason, actor_id: caller.actor.userId, actor_name: caller.actor.username,
        });
        await recordAudit(trx, caller.actor, {
          action: `member.${body.type}`, entityType: 'membership', entityId: id, org: { id: row.org_id, path: row.org_path },
          before: { status: row.status }, after: { status: rule.status, reasonCode: body.reasonCode ?? null },
        });
      });
      return toMember(await mustFind(caller.scope, id));
    },

    /** 会籍变化 records of the member's person, in every union (union names are not secret). */
    /**
     * 会籍变化 records of the member's person (union names are not secret). A union reading a
     * membership that has ended sees the history as it was when it ended: nothing the person's
     * later unions recorded afterwards; and officers' names only of records in the caller's scope.
     */
    async history(caller: Caller, id: number) {
      const row = await mustFind(caller.scope, id);
      const rows = await repo.history(db, row.person_id);
      const current = CURRENT_STATUSES.includes(row.status as MemberStatus);
      // the record that ended it is this membership's last; anything recorded after it (a higher id) is later
      const lastId = current ? null : Math.max(...rows.filter((r) => r.membership_id === id).map((r) => r.id));
      return rows
        .filter((r) => scopeContains(caller.scope, r.org_path) || lastId === null || r.id <= lastId)
        .map((r) => ({
          id: r.id, membershipId: r.membership_id, changeType: r.change_type, changeTypeLabel: CHANGE_TYPE_LABELS[r.change_type] ?? r.change_type,
          reasonCode: r.reason_code, note: r.note, orgId: r.org_id, orgName: r.org_name, relatedOrgName: r.related_org_name,
          channel: r.channel, actorName: scopeContains(caller.scope, r.org_path) ? r.actor_name : null, at: r.at.toISOString(),
        }));
    },

    /** The electronic member card of a current member in scope (QR with a signed token that expires). */
    async card(caller: Caller, id: number, baseUrl: string) {
      const row = await mustFind(caller.scope, id);
      if (row.status !== 'active') throw appError('MEMBER_NOT_CURRENT');
      return cardOf(row, baseUrl);
    },

    /**
     * The worker's own card (public, rate limited): by application number, or by identity number,
     * each with the phone on record. A wrong pair is told apart from nothing.
     */
    async publicCard(body: { applicationNo?: string | undefined; idType?: string | undefined; idNumber?: string | undefined; phone: string }, baseUrl: string) {
      const ph = checkPhone(body.phone, { mobileOnly: true });
      if (!ph.ok) throw appError('CARD_NOT_FOUND');
      const phoneIdx = phoneIndex(pii, ph.value);
      let personId: number | undefined;
      if (body.applicationNo) {
        const app = applicantLookup ? await applicantLookup(body.applicationNo.trim(), phoneIdx) : undefined;
        if (app) personId = (await repo.findPersonByIdentity(db, app.idType, app.idIdx))?.id;
      } else if (body.idType && body.idNumber) {
        const id = checkIdentity(body.idType, body.idNumber, now());
        if (id.ok) {
          const person = await repo.findPersonByIdentity(db, id.idType, identityIndex(pii, id.idType, id.value));
          if (person && person.phone_idx === phoneIdx) personId = person.id;
        }
      }
      const cur = personId ? await repo.currentMembership(db, personId) : undefined;
      if (!personId || !cur || cur.status !== 'active') throw appError('CARD_NOT_FOUND');
      const person = await repo.cardPerson(db, personId);
      return cardOf({ id: cur.id, member_no: person.member_no, name: person.name, org_name: cur.org_name, joined_on: cur.joined_on }, baseUrl);
    },

    /**
     * The person a worker opens an account as (职工账号): the identity and the phone on record both
     * match, by blind index, a person with an active membership; null otherwise, whichever part failed.
     */
    async workerIdentity(body: { idType: string; idNumber: string; phone: string }): Promise<{ personId: number; phoneIdx: string; org: { id: number; path: string } } | null> {
      const ph = checkPhone(body.phone, { mobileOnly: true });
      const id = checkIdentity(body.idType, body.idNumber, now());
      if (!ph.ok || !id.ok) return null;
      const phoneIdx = phoneIndex(pii, ph.value);
      const person = await repo.findPersonByIdentity(db, id.idType, identityIndex(pii, id.idType, id.value));
      if (!person || person.phone_idx !== phoneIdx) return null;
      const cur = await repo.currentMembership(db, person.id);
      if (!cur || cur.status !== 'active') return null;
      return { personId: person.id, phoneIdx, org: { id: cur.org_id, path: cur.org_path } };
    },

    /** The blind index a typed mobile number is found by, or null when it is not one. */
    phoneIndexOf(phone: string): string | null {
      const ph = checkPhone(phone, { mobileOnly: true });
      return ph.ok ? phoneIndex(pii, ph.value) : null;
    },

    /** What a signed-in worker reads of themselves: masked identity and phone, their current membership. */
    async workerProfile(personId: number) {
      const p = await repo.workerPerson(db, personId);
      const cur = await repo.currentMembership(db, personId);
      return {
        name: p.name, maskedIdNumber: p.id_masked, maskedPhone: p.phone_masked, memberNo: p.member_no,
        membership: cur ? { orgName: cur.org_name, joinedOn: cur.joined_on, status: cur.status } : null,
      };
    },

    /** The keys of a signed-in worker's own records (applications, hotline requests). */
    workerKeys: (personId: number) => repo.workerKeys(db, personId),

    /** A signed-in worker's own card (404 once the membership is no longer active). */
    async workerCard(personId: number, baseUrl: string) {
      const cur = await repo.currentMembership(db, personId);
      if (!cur || cur.status !== 'active') throw appError('CARD_NOT_FOUND');
      const person = await repo.cardPerson(db, personId);
      return cardOf({ id: cur.id, member_no: person.member_no, name: person.name, org_name: cur.org_name, joined_on: cur.joined_on }, baseUrl);
    },

    /** Checks a card token for a merchant or service station: valid, masked name, union; no PII. */
    async verifyCard(token: string) {
      const m = /^(\d{1,15})\.(\d{9,11})\.([A-Za-z0-9_-]{20,60})$/.exec(token);
      if (!m?.[1] || !m[2] || !m[3] || !pii.verify('member-card', `${m[1]}.${m[2]}`, m[3])) return { valid: false, reason: '会员证二维码无效' };
      const exp = Number(m[2]);
      if (exp * 1000 < now().getTime()) return { valid: false, reason: '二维码已过期，请会员刷新会员证' };
      const row = await repo.cardHolder(db, Number(m[1]));
      if (!row || row.status !== 'active') return { valid: false, reason: '该会籍已不在会' };
      return { valid: true, name: maskName(row.name), orgName: row.org_name, expiresAt: new Date(exp * 1000).toISOString() };
    },

    /** Exact member figures of the union's subtree (the org is already found in the caller's scope). */
    figures(org: { id: number; path: string }) {
      return repo.figures(db, org, Number(today().slice(0, 4)));
    },

    /** The current membership of the person with this identity index (the hotline links callers who are members). */
    async currentByIdentity(idType: string, idIdx: string): Promise<number | null> {
      return (await currentOfIdentity(idType, idIdx))?.membership?.id ?? null;
    },
  };
}

export type MemberService = ReturnType<typeof createMemberService>;
