import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/types.js';
import { recordAudit, type Actor } from '../../platform/audit.js';
import { computeDeadline, DIFFICULTY_RULES, shanghaiDate, type Difficulty } from '../../platform/calendar.js';
import type { DeadlineRegistration } from '../../platform/deadlines.js';
import { validateCreditCode } from '../../platform/credit-code.js';
import type { PiiCipher } from '../../platform/crypto.js';
import { AppError, appError, invalidField } from '../../platform/errors.js';
import { yuanToFen } from '../../../common/money.js';
import { decodeCursor, page } from '../../platform/pagination.js';
import { checkPhone, checkResidentId, maskIdNumber, maskPhone } from '../../platform/pii.js';
import { isKnownRegionCode } from '../../platform/region.js';
import { TICKET_FILE_KINDS, TICKET_STATUS_LABELS } from '../../../common/hotline.js';
import type { Caller } from '../../platform/caller.js';
import { notify } from '../../platform/notifications.js';
import { inBatches } from '../../platform/jobs.js';
import { defineWorkflow } from '../../platform/workflow.js';
import type { AttachmentOwner, OwnerRef } from '../attachments/service.js';
import type { CalendarService } from '../calendar/service.js';
import type { DictionaryService } from '../dictionaries/service.js';
import type { OrgService } from '../orgs/service.js';
import * as repo from './repo.js';
import type { TicketRow } from './repo.js';
import { OPEN_STATUSES, type CreateTicketBody, type ListTicketsQuery, type PublicRequestBody, type Ticket, type TicketStatus } from './schemas.js';

export const ACTIONS = ['dispatch', 'sign', 'return', 'resolve', 'evaluate', 'close', 'reopen', 'supervise'] as const;
export type Action = (typeof ACTIONS)[number];

/** The Chinese label of each ticket status (src/common/status.ts, shared with the web). */
export const STATUS_LABELS = TICKET_STATUS_LABELS as Record<TicketStatus, string>;

/**
 * The work-order workflow (受理 → 交办 → 签收 → 办结 → 评价 → 归档, with 退回, 重办 and 督办), one
 * definition for the kernel: the states an action may start from, the state it leads to (null: a
 * mark only, the state stays), the permission it needs, and who inside the scope may take it — the
 * handling union itself, a union above it, or either.
 */
export const TICKET_WORKFLOW = defineWorkflow<TicketStatus, Action, TicketRow>({
  entity: 'hotline_ticket', auditPrefix: 'hotline', labels: STATUS_LABELS,
  actions: {
    dispatch: { from: ['accepted', 'dispatched', 'signed', 'returned'], to: 'dispatched', permission: 'hotline.dispatch', by: 'any', label: '交办' },
    sign: { from: ['dispatched'], to: 'signed', permission: 'hotline.handle', by: 'holder', label: '签收' },
    return: { from: ['dispatched', 'signed'], to: 'returned', permission: 'hotline.handle', by: 'holder', label: '退回' },
    resolve: { from: ['accepted', 'signed', 'returned'], to: 'resolved', permission: 'hotline.handle', by: 'holder', label: '办结' },
    evaluate: { from: ['resolved'], to: 'evaluated', permission: 'hotline.followup', by: 'any', label: '回访评价' },
    close: { from: ['resolved', 'evaluated'], to: 'closed', permission: 'hotline.followup', by: 'any', label: '归档' },
    reopen: {
      from: ['evaluated', 'closed'], to: 'accepted', permission: 'hotline.followup', by: 'any', label: '重新办理（不满意）',
      guard: (r) => (r.satisfaction !== 'dissatisfied' ? 'TICKET_REOPEN_SATISFIED' : null),
    },
    supervise: { from: ['accepted', 'dispatched', 'signed', 'returned'], to: null, permission: 'hotline.supervise', by: 'higher', label: '督办（上级工会）' },
  },
  status: (r) => r.status as TicketStatus,
  version: (r) => r.version,
  holder: (r) => ({ orgId: r.handling_org_id, orgPath: r.handling_org_path }),
  errors: { conflict: 'TICKET_STATE_CONFLICT', refused: 'TICKET_NOT_FOUND', notHolder: 'TICKET_NOT_HANDLER', notHigher: 'TICKET_SUPERVISE_OWN' },
  events: { table: 'hotline_event', key: 'ticket_id', columns: (r) => ({ province_code: r.province_code }) },
});

export const TRANSITIONS = TICKET_WORKFLOW.def.actions;

/** The state an action leads to from `status`, or undefined when the move is illegal. */
export const transition = TICKET_WORKFLOW.next;



/**
 * 按下级工会 with the union's own tickets as a row (本级): the children's subtrees and the union itself
 * partition its subtree, so its row is the totals less the children's, and the bars add up to the total.
 */
function withOwn(org: { id: number; name: string }, totals: { received: number | string; resolved: number | string; overdue: number | string }, children: Array<{ orgId: number; orgName: string; received: number; resolved: number; overdue: number }>) {
  const sum = (k: 'received' | 'resolved' | 'overdue') => children.reduce((n, c) => n + c[k], 0);
  const own = { orgId: org.id, orgName: `${org.name}（本级）`, received: Number(totals.received) - sum('received'), resolved: Number(totals.resolved) - sum('resolved'), overdue: Number(totals.overdue) - sum('overdue') };
  return own.received || own.resolved || own.overdue ? [own, ...children] : children;
}

/** The recovered wages of a 办结 in fen: given in fen, or in yuan (two decimals at most), or both if they agree. */
function amountRecoveredFen(p: ActionPayload): number | null {
  if (p.amountRecovered === undefined) return p.amountRecoveredFen ?? null;
  const yuan = yuanToFen(p.amountRecovered);
  if (!yuan.ok) throw invalidField('amountRecovered', yuan.message);
  if (p.amountRecoveredFen !== undefined && p.amountRecoveredFen !== yuan.fen) throw invalidField('amountRecovered', '追回金额的元与分不一致');
  return yuan.fen;
}

export interface ActionPayload { version?: number; orgId?: number; note?: string; reason?: string; result?: string; amountRecovered?: number; amountRecoveredFen?: number; satisfaction?: string; comment?: string }

export interface HotlineDeps {
  db: Kysely<Database>;
  pii: PiiCipher;
  calendar: CalendarService;
  orgs: OrgService;
  dictionaries: DictionaryService;
  /** Finds the current membership of a caller by identity blind index (members module). */
  members?: { currentByIdentity(idType: string, idIdx: string): Promise<number | null> };
  now?: () => Date;
}

export function createHotlineService({ db, pii, calendar, orgs, dictionaries, members, now = () => new Date() }: HotlineDeps) {
  /** The path of a union a ticket moves back to (reached through the ticket itself). */
  async function pathOf(trx: Transaction<Database>, orgId: number): Promise<string> {
    const o = await orgs.publicInfo({ id: orgId }, trx);
    if (!o) throw new Error(`union ${orgId} vanished`);
    return o.path;
  }

  const abilities = TICKET_WORKFLOW.abilities;

  function toTicket(row: TicketRow, caller?: Caller): Ticket {
    const phone = pii.decrypt(row.caller_phone_enc);
    const idNumber = row.caller_id_enc ? pii.decrypt(row.caller_id_enc) : null;
    return {
      id: row.id, ticketNo: row.ticket_no, channel: row.channel, receivedAt: row.received_at.toISOString(),
      callerName: row.caller_name, maskedPhone: maskPhone(phone), maskedIdNumber: idNumber ? maskIdNumber(idNumber) : null,
      category: row.category, content: row.content, employerName: row.employer_name, employerCreditCode: row.employer_credit_code,
      regionCode: row.region_code, difficulty: row.difficulty as Difficulty | null, status: row.status as TicketStatus,
      deadline: row.deadline.toISOString(), overdue: row.overdue || (OPEN_STATUSES.includes(row.status as TicketStatus) && row.deadline < now()),
      supervised: row.supervised, returned: row.returned, reopenedCount: row.reopened_count,
      memberId: row.membership_id, acceptOrgId: row.accept_org_id, handlingOrgId: row.handling_org_id, handlingOrgName: row.handling_org_name, dispatcherOrgId: row.dispatcher_org_id,
      result: row.result, amountRecovered: row.amount_recovered_fen === null ? null : Number(row.amount_recovered_fen) / 100,
      amountRecoveredFen: row.amount_recovered_fen === null ? null : Number(row.amount_recovered_fen),
      satisfaction: row.satisfaction as Ticket['satisfaction'], resolvedAt: row.resolved_at?.toISOString() ?? null, resolvedOnTime: row.resolved_on_time,
      ...(caller ? { abilities: abilities(caller, row) } : {}),
    };
  }

  async function checkCategory(code: string) {
    const items = await dictionaries.items('hotline_category');
    if (!items.some((i) => i.code === code)) throw invalidField('category', '诉求类别不在字典中');
  }

  function checkCaller(caller: { name: string; phone: string; idNumber?: string }) {
    const phone = checkPhone(caller.phone);
    if (!phone.ok) throw new AppError('PHONE_INVALID', phone.message, { fields: { 'caller.phone': phone.message } });
    let idNumber: string | null = null;
    if (caller.idNumber) {
      const id = checkResidentId(caller.idNumber, now());
      if (!id.ok) throw new AppError('ID_NUMBER_INVALID', id.message, { fields: { 'caller.idNumber': id.message } });
      idNumber = id.value;
    }
    return { name: caller.name.trim(), phone: phone.value, idNumber };
  }

  function checkEmployer(employer: { name: string; creditCode?: string } | undefined) {
    if (!employer) return { name: null, creditCode: null };
    let creditCode: string | null = null;
    if (employer.creditCode) {
      const r = validateCreditCode(employer.creditCode);
      if (!r.ok) throw new AppError('CREDIT_CODE_INVALID', r.message, { fields: { 'employer.creditCode': r.message } });
      creditCode = r.code;
    }
    return { name: employer.name.trim(), creditCode };
  }

  function checkRegion(regionCode: string) {
    if (!isKnownRegionCode(regionCode)) throw new AppError('REGION_CODE_UNKNOWN', undefined, { fields: { regionCode: `行政区划代码 ${regionCode} 不存在` } });
  }

  async function insertTicket(input: {
    channel: string; receivedAt: Date; caller: { name: string; phone: string; idNumber: string | null }; category: string; content: string;
    employer: { name: string | null; creditCode: string | null }; regionCode: string; difficulty: Difficulty | null;
    acceptOrg: { id: number; path: string }; actor: Actor; createdBy: number | null;
  }) {
    const deadline = await calendar.deadline(input.receivedAt, input.difficulty ?? 'general');
    const callerIdIdx = input.caller.idNumber ? pii.blindIndex('resident_id', input.caller.idNumber) : null;
    const membershipId = callerIdIdx && members ? await members.currentByIdentity('resident_id', callerIdIdx) : null;
    return db.transaction().execute(async (trx) => {
      const id = await repo.nextId(trx);
      const ticketNo = `${shanghaiDate(input.receivedAt).replace(/-/g, '')}${String(id % 1e6).padStart(6, '0')}`;
      await repo.insert(trx, {
        id, ticket_no: ticketNo, province_code: input.regionCode.slice(0, 2), channel: input.channel, received_at: input.receivedAt,
        caller_name: input.caller.name, caller_phone_enc: pii.encrypt(input.caller.phone), caller_phone_idx: pii.blindIndex('phone', input.caller.phone),
        caller_id_enc: input.caller.idNumber ? pii.encrypt(input.caller.idNumber) : null,
        caller_id_idx: callerIdIdx, membership_id: membershipId,
        category: input.category, content: input.content.trim(), employer_name: input.employer.name, employer_credit_code: input.employer.creditCode,
        region_code: input.regionCode, difficulty: input.difficulty, status: 'accepted', deadline_base: input.receivedAt, deadline,
        accept_org_id: input.acceptOrg.id, handling_org_id: input.acceptOrg.id, handling_org_path: input.acceptOrg.path, dispatcher_org_id: null, created_by: input.createdBy, created_at: new Date(),
      });
      await repo.insertEvent(trx, {
        ticket_id: id, action: 'accept', from_status: null, to_status: 'accepted', actor_id: input.actor.userId, actor_name: input.actor.username,
        org_id: input.acceptOrg.id, note: `受理（${input.channel === 'phone' ? '来电' : '网上'}）`,
      });
      await recordAudit(trx, input.actor, {
        action: 'hotline.accept', entityType: 'hotline_ticket', entityId: id, org: input.acceptOrg,
        after: { ticketNo, category: input.category, difficulty: input.difficulty, deadline: deadline.toISOString() },
      });
      return { id, ticketNo, deadline };
    });
  }

  /** The ticket as the owner of its files: the province it lives in and its handling union. */
  const ownerRef = (row: TicketRow | undefined): OwnerRef | null => (row ? { provinceCode: row.province_code, org: { id: row.handling_org_id, path: row.handling_org_path } } : null);

  const service = {
    /**
     * Files of a ticket (附件): evidence anyone handling it may add; ID copies and call recordings
     * are sensitive (sealed, every download audited). Added by whoever may handle the ticket, read
     * by whoever may read it.
     */
    attachmentOwner: {
      notFound: 'TICKET_NOT_FOUND',
      kinds: TICKET_FILE_KINDS,
      writable: async (caller, id) => ownerRef(await repo.findById(db, caller.as('hotline.handle').scope, id)),
      readable: async (caller, id) => ownerRef(await repo.findById(db, caller.as('hotline.read').scope, id)),
    } satisfies AttachmentOwner,

    /** Open tickets' 办理时限, recomputed by the calendar when a holiday changes (the rule follows the difficulty). */
    deadlines: {
      name: 'hotline_ticket', table: 'hotline_ticket', base: 'deadline_base', deadline: 'deadline', overdue: 'overdue',
      rule: sql<string>`case difficulty when 'difficult' then ${DIFFICULTY_RULES.difficult} when 'complex' then ${DIFFICULTY_RULES.complex} else ${DIFFICULTY_RULES.general} end`,
      open: sql<boolean>`status in (${sql.join(OPEN_STATUSES)})`,
    } satisfies DeadlineRegistration,

    /** An agent takes a call (受理): validated, PII encrypted, deadline from the calendar. */
    async create(caller: Caller, body: CreateTicketBody): Promise<Ticket> {
      const org = caller.holding('hotline.create')[0];
      if (!org) throw appError('FORBIDDEN');
      const receivedAt = body.receivedAt ? new Date(body.receivedAt) : now();
      if (receivedAt.getTime() > now().getTime() + 60_000) throw new AppError('RECEIVED_IN_FUTURE', undefined, { fields: { receivedAt: '来电时间不能晚于当前时间' } });
      const who = checkCaller(body.caller);
      const employer = checkEmployer(body.employer);
      checkRegion(body.regionCode);
      await checkCategory(body.category);
      const { id } = await insertTicket({
        channel: body.channel, receivedAt, caller: who, category: body.category, content: body.content, employer,
        regionCode: body.regionCode, difficulty: body.difficulty, acceptOrg: { id: org.orgId, path: org.orgPath }, actor: caller.actor, createdBy: caller.actor.userId,
      });
      return service.get(caller, id);
    },

    /** A worker's own request from the public page (rate limited per IP by the route, per phone here). */
    async submitPublic(body: PublicRequestBody, actor: Actor) {
      const who = checkCaller(body.caller);
      const employer = checkEmployer(body.employer);
      checkRegion(body.regionCode);
      await checkCategory(body.category);
      const recent = await repo.countRecentByPhone(db, pii.blindIndex('phone', who.phone), new Date(now().getTime() - 24 * 3_600_000));
      if (recent >= 5) throw appError('RATE_LIMITED', { retryAfterSeconds: 24 * 3600 }, '同一号码 24 小时内最多提交 5 件诉求，请拨打 12351 热线');
      const acceptOrg = await orgs.acceptingUnionFor(body.regionCode);
      const r = await insertTicket({
        channel: body.channel ?? 'mobile', receivedAt: now(), caller: who, category: body.category, content: body.content, employer,
        regionCode: body.regionCode, difficulty: null, acceptOrg, actor, createdBy: null,
      });
      return { ticketNo: r.ticketNo, status: 'accepted' as const, deadline: r.deadline.toISOString() };
    },

    /** One ticket in the caller's scope, with its timeline and the caller's abilities. */
    async get(caller: Caller, id: number): Promise<Ticket> {
      const row = await repo.findById(db, caller.as('hotline.read').scope, id);
      if (!row) throw appError('TICKET_NOT_FOUND');
      const events = await repo.events(db, id);
      return {
        ...toTicket(row, caller),
        events: events.map((e) => ({
          id: e.id, action: e.action, fromStatus: e.from_status, toStatus: e.to_status, actorName: e.actor_name, orgId: e.org_id, orgName: e.org_name,
          targetOrgId: e.target_org_id, targetOrgName: e.target_org_name, note: e.note, at: e.at.toISOString(),
        })),
      };
    },

    /** Handling queue / supervision view: tickets handled inside the scope, most urgent first. */
    async list(caller: Caller, q: ListTicketsQuery) {
      const scope = caller.scope;
      const limit = q.limit ?? 50;
      const after = decodeCursor(q.cursor, { deadline: 'timestamp', id: 'id' });
      let orgPath: string | undefined;
      if (q.orgId !== undefined) orgPath = (await orgs.get(caller, q.orgId)).path;
      const own = q.supervision ? caller.holding('hotline.read').map((r) => r.orgId) : undefined;
      const rows = await repo.list(db, scope, {
        status: q.status, orgPath, overdue: q.overdue, open: q.open, dueBefore: q.dueBefore ? new Date(q.dueBefore) : undefined,
        excludeOrgIds: own, limit: limit + 1, after,
      });
      const p = page(rows, limit, (r) => ({ deadline: r.deadline.toISOString(), id: r.id }));
      return { items: p.items.map((r) => toTicket(r, caller)), nextCursor: p.nextCursor };
    },

    /** Sets the difficulty (and with it the deadline) or the category, e.g. of a public request. */
    async update(caller: Caller, id: number, body: { difficulty?: Difficulty; category?: string }) {
      const scope = caller.scope;
      if (body.category) await checkCategory(body.category);
      await db.transaction().execute(async (trx) => {
        const row = await repo.findByIdForUpdate(trx, scope, id);
        if (!row) throw appError('TICKET_NOT_FOUND');
        if (!OPEN_STATUSES.includes(row.status as TicketStatus)) throw appError('TICKET_STATE_CONFLICT', { status: row.status });
        const difficulty = body.difficulty ?? (row.difficulty as Difficulty | null) ?? 'general';
        const deadline = computeDeadline(row.deadline_base, difficulty, await calendar.isWorkdayFn());
        await repo.update(trx, id, {
          ...(body.difficulty ? { difficulty: body.difficulty, deadline, overdue: deadline < now() ? row.overdue : false } : {}),
          ...(body.category ? { category: body.category } : {}),
        });
        await repo.insertEvent(trx, {
          ticket_id: id, action: 'update', from_status: row.status, to_status: row.status, actor_id: caller.actor.userId, actor_name: caller.actor.username,
          org_id: row.handling_org_id, note: `${body.difficulty ? `难度：${body.difficulty}；办理时限：${deadline.toISOString()}` : ''}${body.category ? ` 类别：${body.category}` : ''}`.trim(),
        });
        await recordAudit(trx, caller.actor, {
          action: 'hotline.update', entityType: 'hotline_ticket', entityId: id, org: { id: row.handling_org_id, path: row.handling_org_path },
          before: { difficulty: row.difficulty, category: row.category }, after: body,
        });
      });
      return service.get(caller, id);
    },

    /** Takes one action of the state machine; illegal moves answer 409 with the current status. */
    async act(caller: Caller, id: number, action: Action, p: ActionPayload): Promise<Ticket> {
      const t = TRANSITIONS[action];
      const scope = caller.as(t.permission).scope;
      const target = action === 'dispatch' ? await orgs.get(caller.as('hotline.dispatch'), p.orgId ?? 0).catch((e: unknown) => {
        if (e instanceof AppError && e.code === 'ORG_NOT_FOUND') throw appError('ORG_NOT_FOUND', { fields: { orgId: '交办对象不存在' } });
        throw e;
      }) : undefined;
      const isWorkday = action === 'reopen' ? await calendar.isWorkdayFn() : undefined;
      const recoveredFen = action === 'resolve' ? amountRecoveredFen(p) : null;
      await db.transaction().execute(async (trx) => {
        const row = await repo.findByIdForUpdate(trx, scope, id);
        if (!row) throw appError('TICKET_NOT_FOUND');
        const { from: status, to, org } = TICKET_WORKFLOW.authorize(caller, row, action, p.version);
        const at = now();
        let set: Record<string, unknown> = { status: to };
        let note = p.note ?? p.reason ?? null;
        let targetOrgId: number | null = null;
        switch (action) {
          case 'dispatch': {
            if (!target || target.id === row.handling_org_id) throw appError('DISPATCH_TARGET_INVALID');
            set = { ...set, handling_org_id: target.id, handling_org_path: target.path, dispatcher_org_id: org.orgId };
            targetOrgId = target.id;
            break;
          }
          case 'return': {
            const back = row.dispatcher_org_id ?? row.accept_org_id;
            const prev = await repo.lastDispatchTo(trx, id, back);
            set = { ...set, handling_org_id: back, handling_org_path: await pathOf(trx, back), dispatcher_org_id: back === row.accept_org_id ? null : (prev?.org_id ?? null), returned: true };
            targetOrgId = back;
            break;
          }
          case 'resolve':
            set = { ...set, result: p.result, amount_recovered_fen: recoveredFen, resolved_at: at, resolved_on_time: at <= row.deadline };
            note = p.result ?? null;
            break;
          case 'evaluate':
            set = { ...set, satisfaction: p.satisfaction, evaluation_comment: p.comment ?? null, evaluated_at: at };
            note = `${p.satisfaction}${p.comment ? `：${p.comment}` : ''}`;
            break;
          case 'close':
            set = { ...set, closed_at: at };
            break;
          case 'reopen': {
            const deadline = computeDeadline(at, (row.difficulty as Difficulty | null) ?? 'general', isWorkday ?? (() => true));
            set = {
              ...set, handling_org_id: row.accept_org_id, handling_org_path: await pathOf(trx, row.accept_org_id), dispatcher_org_id: null, deadline_base: at, deadline, overdue: false,
              reopened_count: row.reopened_count + 1, resolved_at: null, resolved_on_time: null, satisfaction: null, evaluated_at: null, closed_at: null,
            };
            break;
          }
          case 'supervise':
            set = { supervised: true };
            await notify(trx, [{
              provinceCode: row.province_code, to: { orgId: row.handling_org_id }, entity: { type: 'hotline_ticket', id }, kind: 'supervise',
              dedupeKey: `supervise:${at.getTime()}`, message: `工单 ${row.ticket_no} 被督办：${p.note ?? ''}`,
            }]);
            break;
          default:
            break;
        }
        await repo.update(trx, id, set);
        await TICKET_WORKFLOW.record(trx, caller.actor, id, row, action, { from: status, to, org }, {
          note, targetOrgId, before: { handlingOrgId: row.handling_org_id }, after: { targetOrgId },
        });
      });
      try {
        return await service.get(caller, id);
      } catch (err) {
        // A return (or a dispatch by a higher union) can move the ticket out of the caller's subtree.
        if (!(err instanceof AppError) || err.code !== 'TICKET_NOT_FOUND') throw err;
        const row = await repo.findActedOn(db, id);
        if (!row) throw err;
        return { ...toTicket(row), abilities: [] };
      }
    },

    /** Public progress check (查询): both ticket number and phone must match; answers status only. */
    async lookup(ticketNo: string, phoneRaw: string) {
      const phone = checkPhone(phoneRaw);
      const row = phone.ok && /^\d{14}$/.test(ticketNo) ? await repo.lookup(db, ticketNo, pii.blindIndex('phone', phone.value)) : undefined;
      if (!row) throw appError('TICKET_LOOKUP_FAILED');
      const status = row.status as TicketStatus;
      return {
        ticketNo: row.ticket_no, status, statusLabel: STATUS_LABELS[status], receivedAt: row.received_at.toISOString(), deadline: row.deadline.toISOString(),
        resolvedAt: row.resolved_at?.toISOString() ?? null, result: row.result, satisfaction: row.satisfaction, canEvaluate: status === 'resolved',
      };
    },

    /** A signed-in worker's own requests (their phone, identity or membership): the progress a public lookup shows, no caller details. */
    async forWorker(keys: { idIdx: string; phoneIdx: string; membershipIds: number[] }) {
      const labels = new Map((await dictionaries.items('hotline_category', true)).map((i) => [i.code, i.label]));
      return (await repo.forWorker(db, keys)).map((row) => {
        const status = row.status as TicketStatus;
        return {
          ticketNo: row.ticket_no, category: row.category, categoryLabel: labels.get(row.category) ?? row.category, status, statusLabel: STATUS_LABELS[status],
          receivedAt: row.received_at.toISOString(), deadline: row.deadline.toISOString(), resolvedAt: row.resolved_at?.toISOString() ?? null,
          result: row.result, satisfaction: row.satisfaction, canEvaluate: status === 'resolved',
        };
      });
    },

    /** The caller rates the result (回访评价) with ticket number and phone. */
    async evaluatePublic(body: { ticketNo: string; phone: string; satisfaction: string; comment?: string }, actor: Actor) {
      const phone = checkPhone(body.phone);
      const row = phone.ok ? await repo.lookup(db, body.ticketNo, pii.blindIndex('phone', phone.value)) : undefined;
      if (!row) throw appError('TICKET_LOOKUP_FAILED');
      await db.transaction().execute(async (trx) => {
        const locked = await repo.lockForPublic(trx, row.id);
        const status = locked.status as TicketStatus;
        const to = transition(status, 'evaluate');
        if (!to) throw appError('TICKET_STATE_CONFLICT', { status, statusLabel: STATUS_LABELS[status] }, `工单当前状态为“${STATUS_LABELS[status]}”，不能评价`);
        await repo.update(trx, row.id, { status: to, satisfaction: body.satisfaction, evaluation_comment: body.comment ?? null, evaluated_at: now() });
        await repo.insertEvent(trx, {
          ticket_id: row.id, action: 'evaluate', from_status: status, to_status: to, actor_id: null, actor_name: '来电人',
          org_id: null, note: `${body.satisfaction}${body.comment ? `：${body.comment}` : ''}`,
        });
        await recordAudit(trx, actor, { action: 'hotline.evaluate', entityType: 'hotline_ticket', entityId: row.id, org: { id: row.handling_org_id, path: row.handling_org_path }, after: { satisfaction: body.satisfaction } });
      });
      return service.lookup(body.ticketNo, body.phone);
    },

    /**
     * Timer (超期): marks open tickets past their deadline, records the event and notifies the
     * handling union and its parent. Claims rows with SKIP LOCKED; the overdue flag and the unique
     * notification key make a second run (or a second server) fire nothing twice.
     */
    async sweepOverdue(batch = 500): Promise<number> {
      return inBatches(batch, () => db.transaction().execute(async (trx) => {
        const rows = await repo.claimOverdue(trx, batch);
        const marked = await repo.markOverdue(trx, rows.map((r) => r.id));
        // the handling union and its parent are told (超期)
        const handlers = new Map((await orgs.briefs([...new Set(marked.map((t) => t.handling_org_id))], trx)).map((o) => [o.id, o]));
        await notify(trx, marked.flatMap((t) => {
          const h = handlers.get(t.handling_org_id);
          if (!h) return [];
          const n = {
            provinceCode: t.province_code, entity: { type: 'hotline_ticket', id: t.id }, kind: 'overdue',
            dedupeKey: `overdue:${t.deadline.getTime()}`, message: `工单 ${t.ticket_no}（${h.name}承办）已超期`,
          };
          return [{ ...n, to: { orgId: h.id } }, ...(h.parent_id !== null ? [{ ...n, to: { orgId: h.parent_id } }] : [])];
        }));
        return rows.length;
      }));
    },

    /** Figures of a union's subtree for [from, to] (dates, Asia/Shanghai). */
    async stats(caller: Caller, q: { orgId?: number; from?: string; to?: string }) {
      const orgId = q.orgId ?? caller.holding('stats.read')[0]?.orgId;
      if (orgId === undefined) throw appError('FORBIDDEN');
      const org = await orgs.get(caller, orgId);
      const year = shanghaiDate(now()).slice(0, 4);
      const fromDay = q.from ?? `${year}-01-01`;
      const toDay = q.to ?? shanghaiDate(now());
      const from = new Date(`${fromDay}T00:00:00+08:00`);
      const to = new Date(new Date(`${toDay}T00:00:00+08:00`).getTime() + 86_400_000);
      const { totals, byCategory } = await repo.stats(db, org.path, from, to);
      const children = await orgs.children(org.id);
      const figuresBy = new Map((await repo.statsUnder(db, children.map((c) => c.path), from, to)).map((f) => [f.path, f]));
      const byChild = children.flatMap((c) => { const f = figuresBy.get(c.path); return f ? [{ id: c.id, name: c.name, ...f }] : []; });
      const labels = new Map((await dictionaries.items('hotline_category', true)).map((i) => [i.code, i.label]));
      const evaluated = Number(totals.evaluated);
      return {
        orgId: org.id, from: fromDay, to: toDay,
        received: Number(totals.received), resolved: Number(totals.resolved), resolvedOnTime: Number(totals.resolved_on_time),
        overdue: Number(totals.overdue), evaluated,
        satisfactionRate: evaluated ? Math.round((Number(totals.satisfied) / evaluated) * 10000) / 10000 : null,
        amountRecovered: Number(totals.amount) / 100,
        amountRecoveredFen: Number(totals.amount),
        byCategory: byCategory.map((c) => ({ category: c.category, label: labels.get(c.category) ?? c.category, received: Number(c.received), resolved: Number(c.resolved) })),
        byOrg: withOwn(org, totals, byChild.map((c) => ({ orgId: c.id, orgName: c.name, received: Number(c.received), resolved: Number(c.resolved), overdue: Number(c.overdue) }))),
      };
    },
  };
  return service;
}

export type HotlineService = ReturnType<typeof createHotlineService>;
