import { sql, type Kysely, type Transaction } from 'kysely';
import { labelsOf, REVIEW_STEP_STATUS } from '../../../common/status.js';
import type { Database } from '../../db/types.js';
import { dueAt } from '../../platform/calendar.js';
import type { Caller } from '../../platform/caller.js';
import type { DeadlineRegistration } from '../../platform/deadlines.js';
import { appError, pgErrorInfo } from '../../platform/errors.js';
import { notify } from '../../platform/notifications.js';
import { decodeCursor, page } from '../../platform/pagination.js';
import { nextReviewer, type ReviewChain } from '../../platform/review.js';
import { inBatches } from '../../platform/jobs.js';
import { defineWorkflow, type Workflow } from '../../platform/workflow.js';
import type { CalendarService } from '../calendar/service.js';
import * as repo from './repo.js';
import type { StepRow } from './repo.js';
import type { ReviewAction, ReviewQueueQuery, ReviewStep, ReviewStepStatus } from './schemas.js';

const LABELS = labelsOf(REVIEW_STEP_STATUS) as Record<ReviewStepStatus, string>;

/** The step's workflow under one chain: only the union holding the step decides it (a higher union cannot skip a level). */
function stepWorkflow(chain: ReviewChain) {
  const p = chain.permission;
  return defineWorkflow<ReviewStepStatus, ReviewAction, StepRow>({
    entity: 'review_step', auditPrefix: 'review', labels: LABELS,
    actions: {
      approve: { from: ['pending'], to: 'approved', permission: p, by: 'holder', label: '审核通过' },
      return: { from: ['pending'], to: 'returned', permission: p, by: 'holder', label: '退回补正' },
      reject: { from: ['pending'], to: 'rejected', permission: p, by: 'holder', label: '驳回' },
      handover: { from: ['pending'], to: 'handed_over', permission: p, by: 'holder', label: '转办' },
    },
    status: (r) => r.status as ReviewStepStatus,
    version: (r) => r.version,
    holder: (r) => ({ orgId: r.org_id, orgPath: r.org_path }),
    errors: { conflict: 'REVIEW_STATE_CONFLICT', refused: 'REVIEW_NOT_FOUND', notHolder: 'REVIEW_NOT_HOLDER' },
  });
}

export interface StartReview {
  entityType: string;
  entityId: number;
  /** The entity's province (the steps live beside it). */
  provinceCode: string;
  /** The union the application is filed with: the first step. */
  org: { id: number; path: string };
  /** One line for the queue, with masked personal data only ('困难职工建档 张*三 · 沈阳市某公司'). */
  summary: string;
  /** The officer who filed it (who may not review it), if an officer did. */
  submittedBy: number | null;
}

/**
 * 逐级审核, the engine every service's review runs on: a module registers its chain, starts a round
 * when an application is submitted, and hears the outcome in the decision's transaction. Officers
 * work the queue of pending steps in their scope; a missed deadline marks the step 超期 and tells
 * the union and its parent (督办), and never decides for them.
 */
export function createReviewService({ db, calendar, now = () => new Date() }: { db: Kysely<Database>; calendar: CalendarService; now?: () => Date }) {
  const chains = new Map<string, { chain: ReviewChain; wf: Workflow<ReviewStepStatus, ReviewAction, StepRow> }>();

  function chainOf(entityType: string) {
    const c = chains.get(entityType);
    if (!c) throw new Error(`no review chain registered for ${entityType}`);
    return c;
  }

  function abilities(caller: Caller, r: StepRow): ReviewAction[] {
    if (r.submitted_by !== null && r.submitted_by === caller.actor.userId) return [];
    return chainOf(r.entity_type).wf.abilities(caller, r);
  }

  function toStep(r: StepRow, caller?: Caller): ReviewStep {
    const { chain } = chainOf(r.entity_type);
    const status = r.status as ReviewStepStatus;
    return {
      id: r.id, entityType: r.entity_type, entityLabel: chain.label, entityId: r.entity_id, page: chain.page?.(r.entity_id) ?? null,
      summary: r.summary, round: r.round, seq: r.seq, orgId: r.org_id, orgName: r.org_name, status, statusLabel: LABELS[status],
      startedAt: r.started_at.toISOString(), deadline: r.deadline.toISOString(),
      overdue: r.overdue || (status === 'pending' && r.deadline < now()),
      decidedAt: r.decided_at?.toISOString() ?? null, decidedByName: r.decided_by_name, reason: r.reason, handedToOrgId: r.handed_to_org_id,
      version: r.version, abilities: caller ? abilities(caller, r) : [],
    };
  }

  /** Opens a step at `org` and tells its officers. */
  async function openStep(trx: Transaction<Database>, chain: ReviewChain, v: { provinceCode: string; entityId: number; round: number; seq: number; org: { id: number; path: string }; summary: string; submittedBy: number | null }) {
    const at = now();
    const isWorkday = await calendar.isWorkdayFn(trx);
    const { id } = await repo.insert(trx, {
      province_code: v.provinceCode, entity_type: chain.entityType, entity_id: v.entityId, round: v.round, seq: v.seq,
      org_id: v.org.id, org_path: v.org.path, summary: v.summary, status: 'pending', deadline_rule: chain.deadline,
      started_at: at, deadline: dueAt(at, chain.deadline, isWorkday), submitted_by: v.submittedBy,
    });
    await notify(trx, [{
      provinceCode: v.provinceCode, to: { orgId: v.org.id }, entity: { type: 'review_step', id }, kind: 'review_pending',
      dedupeKey: `review_pending:${id}`, message: `${chain.label}待审核：${v.summary}`,
    }]);
    return id;
  }

  const service = {
    /** A module's chain (one per entity type). */
    register(chain: ReviewChain) {
      if (chains.has(chain.entityType)) throw new Error(`review chain ${chain.entityType} registered twice`);
      chains.set(chain.entityType, { chain, wf: stepWorkflow(chain) });
    },

    /** Pending steps' deadlines, recomputed by the calendar when a holiday changes. */
    deadlines: {
      name: 'review_step', table: 'review_step', base: 'started_at', deadline: 'deadline', overdue: 'overdue',
      rule: sql<string>`deadline_rule`, open: sql<boolean>`status = 'pending'`,
    } satisfies DeadlineRegistration,

    /**
     * Starts a round of review at the union the application is filed with, in the module's
     * transaction (submitted, or resubmitted after 退回补正: a new round, the same entity). A second
     * start while a step is pending is 409 REVIEW_PENDING.
     */
    async start(trx: Transaction<Database>, s: StartReview): Promise<number> {
      const { chain } = chainOf(s.entityType);
      const round = (await repo.lastRound(trx, s.provinceCode, s.entityType, s.entityId)) + 1;
      try {
        return await openStep(trx, chain, { provinceCode: s.provinceCode, entityId: s.entityId, round, seq: 1, org: s.org, summary: s.summary, submittedBy: s.submittedBy });
      } catch (err) {
        if (pgErrorInfo(err).constraint === 'review_step_one_pending_idx') throw appError('REVIEW_PENDING');
        throw err;
      }
    },

    /** The officers' queue: pending steps held in their scope (of each chain's permission), most urgent first. */
    async queue(caller: Caller, q: ReviewQueueQuery) {
      const limit = q.limit ?? 50;
      const after = decodeCursor(q.cursor, { deadline: 'timestamp', id: 'id' });
      const byType = [...chains.values()]
        .filter((c) => !q.entityType || c.chain.entityType === q.entityType)
        .map((c) => ({ entityType: c.chain.entityType, scope: caller.as(c.chain.permission).scope }));
      const rows = await repo.queue(db, { byType, overdue: q.overdue, limit: limit + 1, after });
      const p = page(rows, limit, (r) => ({ deadline: r.deadline.toISOString(), id: r.id }));
      return { items: p.items.map((r) => toStep(r, caller)), nextCursor: p.nextCursor };
    },

    /** A step in scope, with the review history of its entity. */
    async get(caller: Caller, id: number) {
      const head = await repo.entityTypeOf(db, id);
      const c = head && chains.get(head.entity_type);
      const row = c ? await repo.find(db, caller.as(c.chain.permission).scope, id) : undefined;
      if (!row) throw appError('REVIEW_NOT_FOUND');
      const history = await repo.history(db, row.entity_type, row.entity_id);
      return { ...toStep(row, caller), history: history.map((h) => toStep(h)) };
    },

    /** An entity's review history, for its module's timeline (the module has checked its scope). */
    async history(entityType: string, entityId: number) {
      return (await repo.history(db, entityType, entityId)).map((h) => toStep(h));
    },

    /**
     * Decides a step: 审核通过 passes to the next level (or ends the chain at the top), 退回补正 and
     * 驳回 end the round (a reason required), 转办 hands the step to another union of the same chain.
     * Only the union holding the step decides it; nobody reviews an application they filed.
     */
    async act(caller: Caller, id: number, action: ReviewAction, body: { reason?: string; note?: string; orgId?: number; version?: number }): Promise<ReviewStep> {
      const head = await repo.entityTypeOf(db, id);
      const c = head && chains.get(head.entity_type);
      if (!c) throw appError('REVIEW_NOT_FOUND');
      const { chain, wf } = c;
      const as = caller.as(chain.permission);
      const target = action === 'handover' ? await repo.orgInfo(db, body.orgId ?? 0) : undefined;
      if (action === 'handover' && !target) throw appError('ORG_NOT_FOUND', { fields: { orgId: '转办对象不存在' } });
      await db.transaction().execute(async (trx) => {
        const row = await repo.lock(trx, as.scope, id);
        if (!row) throw appError('REVIEW_NOT_FOUND');
        const move = wf.authorize(as, row, action, body.version);
        if (row.submitted_by !== null && row.submitted_by === caller.actor.userId) throw appError('REVIEW_OWN_APPLICATION');
        const reason = body.reason ?? body.note ?? null;
        const decided = { decided_by: caller.actor.userId, decided_by_name: caller.actor.username, reason };
        const next = { provinceCode: row.province_code, entityId: row.entity_id, round: row.round, summary: row.summary, submittedBy: row.submitted_by };
        let targetOrgId: number | null = null;
        const outcome = (o: 'approved' | 'returned' | 'rejected', final: boolean) =>
          chain.onDecided(trx, { entityId: row.entity_id, provinceCode: row.province_code, outcome: o, final, reason, orgId: row.org_id });
        switch (action) {
          case 'approve': {
            await repo.decide(trx, id, { status: 'approved', ...decided });
            const up = nextReviewer({ level: row.org_level }, await repo.ancestors(trx, row.org_path), chain.top(), chain.stops);
            if (up) {
              await openStep(trx, chain, { ...next, seq: row.seq + 1, org: { id: up.id, path: up.path } });
              targetOrgId = up.id;
            } else await outcome('approved', true);
            break;
          }
          case 'return':
            await repo.decide(trx, id, { status: 'returned', ...decided });
            await outcome('returned', true);
            break;
          case 'reject':
            await repo.decide(trx, id, { status: 'rejected', ...decided });
            await outcome('rejected', true);
            break;
          case 'handover': {
            if (!target || target.id === row.org_id) throw appError('REVIEW_HANDOVER_INVALID');
            await repo.decide(trx, id, { status: 'handed_over', ...decided, handed_to_org_id: target.id });
            await openStep(trx, chain, { ...next, seq: row.seq, org: { id: target.id, path: target.path } });
            targetOrgId = target.id;
            break;
          }
        }
        await wf.record(trx, caller.actor, id, row, action, move, { note: reason, targetOrgId, after: { entityType: row.entity_type, entityId: row.entity_id, targetOrgId } });
      });
      // the decided step stays in the caller's scope (it is their union's)
      const row = await repo.find(db, as.scope, id);
      if (!row) throw appError('REVIEW_NOT_FOUND');
      return toStep(row, caller);
    },

    /**
     * Timer (超期): marks pending steps past their deadline and tells the union holding each and its
     * parent (督办). The step stays pending: the applicant is never refused for the union's delay.
     */
    async sweepOverdue(batch = 500): Promise<number> {
      return inBatches(batch, () => db.transaction().execute(async (trx) => {
        const claimed = await repo.claimOverdue(trx, batch);
        const marked = await repo.markOverdue(trx, claimed.map((r) => r.id));
        await notify(trx, marked.flatMap((s) => {
          const label = chains.get(s.entity_type)?.chain.label ?? '审核事项';
          const n = {
            provinceCode: s.province_code, entity: { type: 'review_step', id: s.id }, kind: 'review_overdue',
            dedupeKey: `review_overdue:${s.deadline.getTime()}`, message: `${label}审核已超期：${s.summary}（${s.org_name}）`,
          };
          return [{ ...n, to: { orgId: s.org_id } }, ...(s.parent_id !== null ? [{ ...n, to: { orgId: s.parent_id } }] : [])];
        }));
        return claimed.length;
      }));
    },
  };
  return service;
}

export type ReviewService = ReturnType<typeof createReviewService>;
