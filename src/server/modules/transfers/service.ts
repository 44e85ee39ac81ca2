import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/types.js';
import { recordAudit } from '../../platform/audit.js';
import type { PiiCipher } from '../../platform/crypto.js';
import { appError, invalidField, pgErrorInfo } from '../../platform/errors.js';
import { checkIdentity } from '../../platform/idcard.js';
import { decodeCursor, page } from '../../platform/pagination.js';
import { scopeContains, type Scope } from '../../platform/scope.js';
import type { OrgService } from '../orgs/service.js';
import { identityIndex } from '../members/person.js';
import { CURRENT_STATUSES } from '../members/schemas.js';
import * as repo from './repo.js';
import type { TransferRow } from './repo.js';
import type { CreateTransferBody, Transfer } from './schemas.js';
import type { MemberService } from '../members/service.js';
import type { Caller } from '../../platform/caller.js';
import { defineWorkflow } from '../../platform/workflow.js';
import { TRANSFER_STATUS_LABELS } from '../../../common/members.js';

/** What the new union is told after asking for a member by identity number: the same, member or not. */
export const REQUEST_SENT = {
  status: 'sent' as const,
  message: '已向该职工当前所在工会发出转会请求。如其为工会会员，原工会同意转出后，该转会将出现在“待接收”列表中；如其尚未入会，请直接办理入会。',
};

type TransferStatus = Transfer['status'];
type TransferAction = 'release' | 'accept' | 'reject';
const fromSide = (r: TransferRow) => ({ orgId: r.from_org_id, orgPath: r.from_org_path });
const toSide = (r: TransferRow) => ({ orgId: r.to_org_id, orgPath: r.to_org_path });

/** The transfer's workflow: the old union lets go, the new union takes the member, either side may decline. */
export const TRANSFER_WORKFLOW = defineWorkflow<TransferStatus, TransferAction, TransferRow>({
  entity: 'member_transfer', auditPrefix: 'transfer', labels: TRANSFER_STATUS_LABELS as Record<TransferStatus, string>,
  actions: {
    release: {
      from: ['requested'], to: 'released', permission: 'member.manage', by: 'any', label: '原工会同意转出', on: (r) => [fromSide(r)],
      refused: { code: 'FORBIDDEN', message: '只有原所在工会可以同意转出' },
    },
    accept: {
      from: ['released'], to: 'accepted', permission: 'member.manage', by: 'any', label: '新工会接收转入', on: (r) => [toSide(r)],
      refused: { code: 'FORBIDDEN', message: '只有转入工会可以接收' },
    },
    reject: { from: ['requested', 'released'], to: 'rejected', permission: 'member.manage', by: 'any', label: '不同意转会', on: (r) => [fromSide(r), toSide(r)] },
  },
  status: (r) => r.status as TransferStatus,
  version: (r) => r.version,
  holder: fromSide,
  errors: { conflict: 'TRANSFER_STATE_CONFLICT', refused: 'TRANSFER_NOT_FOUND' },
  events: { table: 'member_transfer_event', key: 'transfer_id', columns: (r) => ({ person_id: r.person_id }) },
});

/**
 * 转会: requested → released (the old union lets go; 转出 is recorded at acceptance) → accepted (the
 * new union takes the member; in one transaction the old membership ends and the new one starts, so
 * the member is counted in exactly one union at every moment) | rejected (by either side).
 */
export function createTransferService({ db, pii, orgs, members, now = () => new Date() }: { db: Kysely<Database>; pii: PiiCipher; orgs: OrgService; members: MemberService; now?: () => Date }) {
  // a member who is expelled or withdraws while a transfer is open: the transfer closes with it
  members.onEnded((trx, personId) => repo.cancelOpenFor(trx, personId).then(() => undefined));
  function toTransfer(caller: Caller, r: TransferRow): Transfer {
    return {
      id: r.id, personId: r.person_id, name: r.name, maskedIdNumber: r.id_masked, memberNo: r.member_no, fromMemberId: r.from_membership_id,
      fromOrgId: r.from_org_id, fromOrgName: r.from_org_name, toOrgId: r.to_org_id, toOrgName: r.to_org_name, status: r.status as Transfer['status'],
      reason: r.reason, rejectReason: r.reject_reason, newMemberId: r.new_membership_id, createdAt: r.created_at.toISOString(),
      releasedAt: r.released_at?.toISOString() ?? null, decidedAt: r.decided_at?.toISOString() ?? null, abilities: TRANSFER_WORKFLOW.abilities(caller, r),
    };
  }
  async function mustFind(scope: Scope, id: number): Promise<TransferRow> {
    const r = await repo.find(db, scope, id);
    if (!r) throw appError('TRANSFER_NOT_FOUND');
    return r;
  }
  async function lock(trx: Transaction<Database>, scope: Scope, id: number): Promise<TransferRow> {
    const r = await repo.lock(trx, scope, id);
    if (!r) throw appError('TRANSFER_NOT_FOUND');
    return r;
  }

  /**
   * The new union asks for a worker by identity number whose membership (if any) lies outside its
   * scope: a request goes to the member's current union when there is one, and the answer is the
   * same either way (an open request already there is left as it is). Both the ask (on the new
   * union) and the request (on the old one) are audited.
   */
  async function requestFromElsewhere(caller: Caller, to: { id: number; path: string }, cur: { id: number; person_id: number; org_id: number; org_path: string } | null, reason: string): Promise<typeof REQUEST_SENT> {
    const asked = (trx: Transaction<Database>) => recordAudit(trx, caller.actor, { action: 'transfer.request', entityType: 'org', entityId: to.id, org: { id: to.id, path: to.path }, after: { toOrgId: to.id } });
    try {
      await db.transaction().execute(async (trx) => {
        await asked(trx);
        if (!cur) return;
        const ins = await repo.insert(trx, {
          person_id: cur.person_id, from_membership_id: cur.id, from_org_id: cur.org_id, to_org_id: to.id, reason, status: 'requested', created_by: caller.actor.userId,
        });
        await recordAudit(trx, caller.actor, {
          action: 'transfer.create', entityType: 'member_transfer', entityId: ins.id, org: { id: cur.org_id, path: cur.org_path },
          after: { fromOrgId: cur.org_id, toOrgId: to.id, status: 'requested' },
        });
        await TRANSFER_WORKFLOW.event(trx, caller.actor, ins.id, { action: 'request', from: null, to: 'requested', orgId: to.id, note: reason, columns: { person_id: cur.person_id } });
      });
    } catch (err) {
      if (pgErrorInfo(err).constraint !== 'member_transfer_one_open_idx') throw err;
      // already asked for: nothing new, and nothing said
      await db.transaction().execute(asked);
    }
    return REQUEST_SENT;
  }

  return {
    /**
     * Starts a transfer, from the old union (by member id; released at once) or from the new union
     * (by the worker's identity number). Asked for by number, a member outside the caller's scope
     * gets a request to their current union and the caller only REQUEST_SENT, member or not.
     */
    async create(caller: Caller, body: CreateTransferBody): Promise<Transfer | typeof REQUEST_SENT> {
      const to = await orgs.publicInfo({ id: body.toOrgId });
      if (!to) throw invalidField('toOrgId', '转入工会不存在');
      let cur: { id: number; person_id: number; org_id: number; org_path: string };
      if (body.memberId !== undefined) {
        const m = await members.membershipInScope(caller.scope, body.memberId);
        if (!m) throw appError('MEMBER_NOT_FOUND');
        if (!CURRENT_STATUSES.includes(m.status as never)) throw appError('MEMBER_NOT_CURRENT');
        cur = m;
      } else if (body.idType && body.idNumber) {
        if (!scopeContains(caller.scope, to.path)) throw appError('ORG_NOT_FOUND');
        const id = checkIdentity(body.idType, body.idNumber, now());
        if (!id.ok) throw invalidField('idNumber', id.message);
        const found = await members.currentOfIdentity(id.idType, identityIndex(pii, id.idType, id.value));
        const m = found?.membership;
        if (!found || !m || !scopeContains(caller.scope, m.org_path)) return requestFromElsewhere(caller, to, found && m ? { ...m, person_id: found.personId } : null, body.reason);
        cur = { ...m, person_id: found.personId };
      } else throw invalidField('memberId', '请指定会员，或填写证件类型和证件号码');
      if (cur.org_id === to.id) throw appError('TRANSFER_SAME_ORG');
      const byOldUnion = scopeContains(caller.scope, cur.org_path);
      let id = 0;
      try {
        await db.transaction().execute(async (trx) => {
          const ins = await repo.insert(trx, {
            person_id: cur.person_id, from_membership_id: cur.id, from_org_id: cur.org_id, to_org_id: to.id, reason: body.reason,
            status: byOldUnion ? 'released' : 'requested', created_by: caller.actor.userId,
            ...(byOldUnion ? { released_by: caller.actor.userId, released_at: new Date() } : {}),
          });
          id = ins.id;
          await recordAudit(trx, caller.actor, {
            action: 'transfer.create', entityType: 'member_transfer', entityId: id, org: { id: cur.org_id, path: cur.org_path },
            after: { fromOrgId: cur.org_id, toOrgId: to.id, status: byOldUnion ? 'released' : 'requested' },
          });
          await TRANSFER_WORKFLOW.event(trx, caller.actor, id, {
            action: 'create', from: null, to: byOldUnion ? 'released' : 'requested', orgId: byOldUnion ? cur.org_id : to.id, note: body.reason, columns: { person_id: cur.person_id },
          });
        });
      } catch (err) {
        if (pgErrorInfo(err).constraint === 'member_transfer_one_open_idx') throw appError('TRANSFER_OPEN');
        throw err;
      }
      return toTransfer(caller, await repo.byId(db, id));
    },

    async list(caller: Caller, q: { direction?: 'in' | 'out' | 'all' | undefined; status?: string | undefined; limit?: number | undefined; cursor?: string | undefined }) {
      const limit = q.limit ?? 50;
      const cursor = decodeCursor(q.cursor, { id: 'id' });
      const side = q.direction === 'in' ? repo.incoming(caller.scope) : q.direction === 'out' ? repo.outgoing(caller.scope) : repo.eitherSide(caller.scope);
      const rows = await repo.list(db, side, { status: q.status, beforeId: cursor?.id, limit: limit + 1 });
      const p = page(rows, limit, (r) => ({ id: r.id }));
      return { items: p.items.map((r) => toTransfer(caller, r)), nextCursor: p.nextCursor };
    },

    /** A transfer with its timeline. */
    async get(caller: Caller, id: number): Promise<Transfer> {
      const r = await mustFind(caller.scope, id);
      const events = await repo.events(db, r.person_id, id);
      return {
        ...toTransfer(caller, r),
        events: events.map((e) => ({ action: e.action, fromStatus: e.from_status, toStatus: e.to_status, orgName: e.org_name, note: e.note, actorName: e.actor_name, at: e.at.toISOString() })),
      };
    },

    /** 转出 approval by the old union. */
    async release(caller: Caller, id: number, version?: number): Promise<Transfer> {
      await db.transaction().execute(async (trx) => {
        const r = await lock(trx, caller.scope, id);
        const move = TRANSFER_WORKFLOW.authorize(caller, r, 'release', version);
        await repo.setReleased(trx, r.person_id, id, caller.actor.userId);
        await TRANSFER_WORKFLOW.record(trx, caller.actor, id, r, 'release', move);
      });
      return this.get(caller, id);
    },

    /** 转入 by the new union: the old membership ends (转出) and the new one starts (转入) in one transaction. */
    async accept(caller: Caller, id: number, version?: number): Promise<Transfer> {
      await members.withMembershipRace(() => db.transaction().execute(async (trx) => {
        // Lock order, here and wherever both are locked (members.leave): the membership, then its
        // transfers. Locking the transfer first deadlocked against a concurrent 除名 of the member.
        const head = await repo.find(trx, caller.scope, id);
        if (!head) throw appError('TRANSFER_NOT_FOUND');
        const old = await members.lockMembership(trx, head.person_id, head.from_membership_id);
        const r = await lock(trx, caller.scope, id);
        const move = TRANSFER_WORKFLOW.authorize(caller, r, 'accept', version);
        if (!CURRENT_STATUSES.includes(old.status as never)) throw appError('MEMBER_NOT_CURRENT');
        const newId = await members.moveMembership(trx, old, { id: r.to_org_id, path: r.to_org_path }, r.reason, caller.actor);
        await repo.setAccepted(trx, r.person_id, id, caller.actor.userId, newId);
        await TRANSFER_WORKFLOW.record(trx, caller.actor, id, r, 'accept', move, {
          auditOrg: { id: r.to_org_id, path: r.to_org_path }, after: { fromMembershipId: old.id, newMembershipId: newId },
        });
      }));
      return this.get(caller, id);
    },

    /** Either side declines; the member stays where they are. */
    async reject(caller: Caller, id: number, reason: string, version?: number): Promise<Transfer> {
      await db.transaction().execute(async (trx) => {
        const r = await lock(trx, caller.scope, id);
        const move = TRANSFER_WORKFLOW.authorize(caller, r, 'reject', version);
        await repo.setRejected(trx, r.person_id, id, caller.actor.userId, reason);
        await TRANSFER_WORKFLOW.record(trx, caller.actor, id, r, 'reject', move, { note: reason });
      });
      return this.get(caller, id);
    },
  };
}
export type TransferService = ReturnType<typeof createTransferService>;
