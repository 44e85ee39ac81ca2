import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/types.js';
import { recordAudit, type Actor } from '../../platform/audit.js';
import { validateCreditCode } from '../../platform/credit-code.js';
import type { PiiCipher } from '../../platform/crypto.js';
import { appError, invalidField, pgErrorInfo } from '../../platform/errors.js';
import { decodeCursor, page } from '../../platform/pagination.js';
import { checkPhone } from '../../platform/pii.js';
import type { DictionaryService } from '../dictionaries/service.js';
import type { OrgService } from '../orgs/service.js';
import { checkPerson, loadCodebook, phoneIndex, type SealedPerson } from '../members/person.js';
import * as repo from './repo.js';
import type { AppRow } from './repo.js';
import type { Application, SubmitApplicationBody } from './schemas.js';
import { APPLICATION_STATUS_LABELS } from '../../../common/members.js';
import type { Caller } from '../../platform/caller.js';
import { defineWorkflow } from '../../platform/workflow.js';
import { sealOrThrow, type MemberService } from '../members/service.js';


/**
 * What every worker is told after applying, member or not: the answer must not tell a stranger
 * who types someone's identity number whether that person is a member, or of which union.
 */
export const SUBMITTED_NOTICE = '申请已提交，请等待工会审核，可凭申请编号和手机号查询进度。如您已是其他工会的会员，无需重新入会：更换工作单位后，请由新单位工会为您办理转会。';

type ApplicationStatus = Application['status'];
type ApplicationAction = 'approve' | 'reject' | 'forward';

/**
 * The join application's workflow: any union at or above the one applied to may decide it or hand
 * it to another union (转办, the application stays pending); a decision is taken once (409).
 */
export const APPLICATION_WORKFLOW = defineWorkflow<ApplicationStatus, ApplicationAction, AppRow>({
  entity: 'join_application', auditPrefix: 'join', labels: APPLICATION_STATUS_LABELS as Record<ApplicationStatus, string>,
  actions: {
    approve: { from: ['pending'], to: 'approved', permission: 'member.manage', by: 'any', label: '审核通过（建立会籍）' },
    reject: { from: ['pending'], to: 'rejected', permission: 'member.manage', by: 'any', label: '审核不通过（须说明原因）' },
    forward: { from: ['pending'], to: null, permission: 'member.manage', by: 'any', label: '转办给其他工会' },
  },
  status: (r) => r.status as ApplicationStatus,
  version: (r) => r.version,
  holder: (r) => ({ orgId: r.org_id, orgPath: r.org_path }),
  errors: { conflict: 'APPLICATION_DECIDED', refused: 'APPLICATION_NOT_FOUND' },
  events: { table: 'join_application_event', key: 'application_id' },
});

function toApplication(r: AppRow, members = new Set<string>(), caller?: Caller): Application {
  return {
    abilities: caller ? APPLICATION_WORKFLOW.abilities(caller, r) : [],
    alreadyMember: r.status === 'pending' && members.has(`${r.id_type}:${r.id_idx}`),
    id: r.id, applicationNo: r.application_no, orgId: r.org_id, orgName: r.org_name, status: r.status as Application['status'], channel: r.channel,
    name: r.name, idType: r.id_type, maskedIdNumber: r.id_masked, maskedPhone: r.phone_masked, gender: r.gender, birthDate: r.birth_date,
    employer: r.employer, occupation: r.occupation, groups: r.groups, rejectReason: r.reject_reason, memberId: r.membership_id,
    decidedAt: r.decided_at?.toISOString() ?? null, createdAt: r.created_at.toISOString(), version: r.version,
  };
}

export interface JoinDeps { db: Kysely<Database>; pii: PiiCipher; orgs: OrgService; dictionaries: DictionaryService; members: MemberService; now?: () => Date }

/**
 * 网上入会 / 扫码入会: a worker applies to a union (public, rate limited); its officers approve (the
 * membership is created), reject with a reason, or forward (转办) to another union. A decision is
 * taken once: the second officer gets 409.
 */
export function createJoinService({ db, pii, orgs, dictionaries, members, now = () => new Date() }: JoinDeps) {
  // the worker's card can be found by the number of their approved application
  members.onApplicantLookup(async (applicationNo, phoneIdx) => {
    const a = await repo.approvedIdentity(db, applicationNo, phoneIdx);
    return a ? { idType: a.id_type, idIdx: a.id_idx } : undefined;
  });
  /** Which of these applicants (`idType:idIdx`) hold a current membership somewhere. */
  async function currentMembers(rows: Array<{ id_type: string; id_idx: string }>): Promise<Set<string>> {
    return members.currentIdentities(rows.map((r) => ({ idType: r.id_type, idIdx: r.id_idx })));
  }

  /** Locks an application in scope for a move and checks it (404 outside scope, 409 once decided, 409 on a stale version). */
  async function lockFor(trx: Transaction<Database>, caller: Caller, id: number, action: ApplicationAction, version?: number) {
    const row = await repo.lock(trx, caller.scope, id);
    if (!row) throw appError('APPLICATION_NOT_FOUND');
    return { row, move: APPLICATION_WORKFLOW.authorize(caller, row, action, version) };
  }

  async function getInScope(caller: Caller, id: number): Promise<Application> {
    const row = await repo.find(db, caller.scope, id);
    if (!row) throw appError('APPLICATION_NOT_FOUND');
    const events = await repo.events(db, id);
    return {
      ...toApplication(row, await currentMembers([row]), caller),
      events: events.map((e) => ({ action: e.action, orgName: e.org_name, targetOrgName: e.target_org_name, note: e.note, actorName: e.actor_name, at: e.at.toISOString() })),
    };
  }

  return {
    /**
     * A worker's application (public). Answered alike whether or not the worker is already a member
     * somewhere (SUBMITTED_NOTICE says what a member should do instead); the union's officers see
     * the application marked alreadyMember and approve it only through a transfer.
     */
    async submit(body: SubmitApplicationBody, actor: Actor): Promise<{ applicationNo: string; status: 'pending'; orgName: string; message: string }> {
      let ref: { id: number } | { creditCode: string };
      if (body.orgId !== undefined) ref = { id: body.orgId };
      else if (body.orgCode) {
        const cc = validateCreditCode(body.orgCode);
        if (!cc.ok) throw invalidField('orgCode', '工会统一社会信用代码不正确');
        ref = { creditCode: cc.code };
      } else throw invalidField('orgId', '请选择要加入的工会');
      const org = await orgs.publicInfo(ref);
      if (!org) throw appError('ORG_NOT_FOUND');
      const codes = await loadCodebook(dictionaries);
      const p = sealOrThrow(checkPerson({ name: body.name, idType: body.idType, idNumber: body.idNumber, phone: body.phone, groups: body.groups }, codes, pii, now()));
      try {
        return await db.transaction().execute(async (trx) => {
          const applicationNo = await repo.nextApplicationNo(trx);
          const ins = await repo.insert(trx, {
            application_no: applicationNo, org_id: org.id, channel: body.channel ?? 'online', name: p.name,
            id_type: p.idType, id_idx: p.idIdx, id_enc: p.idEnc, id_masked: p.idMasked, gender: p.gender, birth_date: p.birthDate,
            phone_enc: p.phoneEnc, phone_idx: p.phoneIdx, phone_masked: p.phoneMasked, employer: body.employer ?? null, occupation: body.occupation ?? null,
            groups: p.groups,
          });
          await APPLICATION_WORKFLOW.event(trx, actor, ins.id, { action: 'submit', from: null, to: 'pending', orgId: org.id });
          await recordAudit(trx, actor, { action: 'join.submit', entityType: 'join_application', entityId: ins.id, org: { id: org.id, path: org.path }, after: { applicationNo, channel: body.channel ?? 'online' } });
          return { applicationNo, status: 'pending' as const, orgName: org.name, message: SUBMITTED_NOTICE };
        });
      } catch (err) {
        if (pgErrorInfo(err).constraint === 'join_application_one_pending_idx') throw appError('APPLICATION_PENDING');
        throw err;
      }
    },

    async list(caller: Caller, q: { orgId?: number | undefined; status?: string | undefined; limit?: number | undefined; cursor?: string | undefined }) {
      const limit = q.limit ?? 50;
      const cursor = decodeCursor(q.cursor, { id: 'id' });
      const org = q.orgId ? await orgs.get(caller, q.orgId) : undefined;
      const rows = await repo.list(db, caller.scope, { orgPath: org?.path, status: q.status, beforeId: cursor?.id, limit: limit + 1 });
      const p = page(rows, limit, (r) => ({ id: r.id }));
      const known = await currentMembers(p.items.filter((r) => r.status === 'pending'));
      return { items: p.items.map((r) => toApplication(r, known, caller)), nextCursor: p.nextCursor };
    },

    get: (caller: Caller, id: number) => getInScope(caller, id),

    /** 审核通过: creates the membership in the application's union. */
    async approve(caller: Caller, id: number, version?: number): Promise<Application> {
      await members.withMembershipRace(() => db.transaction().execute(async (trx) => {
        const { row: a, move } = await lockFor(trx, caller, id, 'approve', version);
        const org = await orgs.publicInfo({ id: a.org_id }, trx);
        if (!org) throw appError('APPLICATION_NOT_FOUND');
        const sealed: SealedPerson = {
          name: a.name, idType: a.id_type as SealedPerson['idType'], idIdx: a.id_idx, idEnc: a.id_enc, idMasked: a.id_masked, idLast4: pii.decrypt(a.id_enc).slice(-4),
          phoneIdx: a.phone_idx, phoneEnc: a.phone_enc, phoneMasked: a.phone_masked, gender: a.gender, birthDate: a.birth_date,
          ethnicity: null, education: null, employmentStatus: null, householdType: null, isMigrantWorker: false, groups: a.groups,
        };
        const joined = await members.enrol(trx, sealed, org, { channel: a.channel, joinedOn: members.today(), actor: caller.actor, scope: caller.scope });
        await repo.setApproved(trx, id, caller.actor.userId, joined.membershipId);
        await APPLICATION_WORKFLOW.record(trx, caller.actor, id, a, 'approve', move, { after: { membershipId: joined.membershipId } });
      }));
      return getInScope(caller, id);
    },

    async reject(caller: Caller, id: number, reason: string, version?: number): Promise<Application> {
      await db.transaction().execute(async (trx) => {
        const { row: a, move } = await lockFor(trx, caller, id, 'reject', version);
        await repo.setRejected(trx, id, caller.actor.userId, reason);
        await APPLICATION_WORKFLOW.record(trx, caller.actor, id, a, 'reject', move, { note: reason });
      });
      return getInScope(caller, id);
    },

    /** 转办: hands a pending application to another union (which need not be in the caller's scope). */
    async forward(caller: Caller, id: number, toOrgId: number, reason: string, version?: number): Promise<Application> {
      const target = await orgs.publicInfo({ id: toOrgId });
      if (!target) throw invalidField('toOrgId', '转办的目标工会不存在');
      let result: AppRow | undefined;
      try {
        await db.transaction().execute(async (trx) => {
          const { row: a, move } = await lockFor(trx, caller, id, 'forward', version);
          if (a.org_id === toOrgId) throw appError('FORWARD_TARGET_INVALID');
          await repo.setOrg(trx, id, toOrgId);
          await APPLICATION_WORKFLOW.record(trx, caller.actor, id, a, 'forward', move, { note: reason, targetOrgId: toOrgId, before: { orgId: a.org_id }, after: { orgId: toOrgId } });
          result = { ...a, org_id: toOrgId, org_name: target.name, org_path: target.path };
        });
      } catch (err) {
        if (pgErrorInfo(err).constraint === 'join_application_one_pending_idx') throw appError('APPLICATION_PENDING', undefined, '目标工会已有此人待审核的入会申请');
        throw err;
      }
      // The application may now lie outside the caller's scope; they are still owed the result of their action.
      return toApplication(result as unknown as AppRow);
    },

    /** A signed-in worker's own applications (by their identity), newest first: status and reason only. */
    async forWorker(keys: { idType: string; idIdx: string }) {
      const rows = await repo.byIdentity(db, keys.idType, keys.idIdx);
      return rows.map((row) => ({
        applicationNo: row.application_no, status: row.status as Application['status'], statusLabel: APPLICATION_STATUS_LABELS[row.status] ?? row.status,
        orgName: row.org_name, rejectReason: row.reject_reason, submittedAt: row.created_at.toISOString(), decidedAt: row.decided_at?.toISOString() ?? null,
      }));
    },

    /** The worker checks progress with the application number and phone (public): status only. */
    async status(applicationNo: string, phone: string) {
      const ph = checkPhone(phone, { mobileOnly: true });
      if (!ph.ok) throw appError('APPLICATION_LOOKUP_FAILED');
      const row = await repo.byNumberAndPhone(db, applicationNo.trim(), phoneIndex(pii, ph.value));
      if (!row) throw appError('APPLICATION_LOOKUP_FAILED');
      return {
        applicationNo: row.application_no, status: row.status as Application['status'], statusLabel: APPLICATION_STATUS_LABELS[row.status] ?? row.status,
        orgName: row.org_name, rejectReason: row.reject_reason, submittedAt: row.created_at.toISOString(),
      };
    },
  };
}
export type JoinService = ReturnType<typeof createJoinService>;
