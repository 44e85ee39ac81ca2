import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sql, type Transaction } from 'kysely';
import { Type, type TObject, type TSchema } from 'typebox';
import { AUDIT_ACTIONS, type AuditAction } from '../../common/audit.js';
import type { Database } from '../db/types.js';
import { recordAudit, type Actor } from './audit.js';
import type { Caller, CallerRole } from './caller.js';
import { appError, type ErrorCode } from './errors.js';
import type { Permission } from './policy.js';

/** A union that holds an entity now (the ticket's handling union, a transfer's old or new union). */
export interface Holder { orgId: number; orgPath: string }

/**
 * Who may take an action, among the caller's unions that lie at or above a holder and grant the
 * action's permission (the nearest one acts): `holder` — that union is the holder itself;
 * `higher` — it is a union above the holder (督办); `any` — either.
 */
export type ActingUnion = 'holder' | 'higher' | 'any';

export interface WorkflowAction<S extends string, R> {
  /** The states the action may start from. */
  from: readonly S[];
  /** The state it leads to; null: a mark only, the state stays. */
  to: S | null;
  permission: Permission;
  by: ActingUnion;
  /** The 中文 name of the action (the route's summary, the timeline). */
  label: string;
  /** The unions the action is taken for, when not the entity's holder (a transfer: its old or new union). */
  on?: (row: R) => Holder[];
  /** A further rule on the row; the error code when it does not hold (the action is then not offered either). */
  guard?: (row: R) => ErrorCode | null;
  /** The error when no union of the caller qualifies (default: the definition's). */
  refused?: { code: ErrorCode; message?: string };
}

/**
 * One entity's workflow (流程定义): its states, its actions and who may take each. From it come the
 * 409 with the current status on an illegal move, the version check, the event row of the timeline,
 * the audit record, the actions the caller may take now (`abilities`, sent to the client so the UI
 * shows only those buttons) and the action routes (`actionRoutes`).
 */
export interface WorkflowDefinition<S extends string, A extends string, R> {
  /** The entity type, as in audit records and attachments ('hotline_ticket'). */
  entity: string;
  /** The audit action prefix ('hotline' → 'hotline.dispatch'). */
  auditPrefix: string;
  labels: Record<S, string>;
  actions: Record<A, WorkflowAction<S, R>>;
  status(row: R): S;
  version?(row: R): number;
  holder(row: R): Holder;
  errors: {
    /** 409: the action is not allowed in the current status. */
    conflict: ErrorCode;
    /** No union of the caller qualifies. */
    refused: ErrorCode;
    /** `by: 'holder'` but the caller acts from a higher union. */
    notHolder?: ErrorCode;
    /** `by: 'higher'` but the caller acts from the holder itself. */
    notHigher?: ErrorCode;
  };
  /** The timeline's table (made by the migration helper `eventTable`) and its column naming the entity. */
  events?: { table: keyof Database & string; key: string; columns?: (row: R) => Record<string, unknown> };
}

/** What a move records: the acting union, notes, a union it targets, and audit details. */
export interface MoveRecord {
  note?: string | null;
  targetOrgId?: number | null;
  /** Merged into the audit record's before / after (status is always there). */
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  /** Who the audit record is filed under, when not the holder (a transfer accepted: its new union). */
  auditOrg?: { id: number; path: string };
}

export interface Authorized<S extends string> { from: S; to: S; org: CallerRole }

/** An audit action of the catalog (a workflow's actions must all be there: the kernel's test checks). */
export function auditAction(code: string): AuditAction {
  if (!(code in AUDIT_ACTIONS)) throw new Error(`audit action ${code} is not in the catalog (src/common/audit.ts)`);
  return code as AuditAction;
}

export function defineWorkflow<S extends string, A extends string, R>(def: WorkflowDefinition<S, A, R>) {
  const names = Object.keys(def.actions) as A[];

  /** The caller's union acting under `a` on the row, or why none does. */
  function acting(caller: Caller, a: A, row: R): { org: CallerRole } | { refused: ErrorCode; message?: string } {
    const t = def.actions[a];
    const holders = t.on ? t.on(row) : [def.holder(row)];
    const roles = caller.holding(t.permission);
    let refused: { refused: ErrorCode; message?: string } = t.refused ? { refused: t.refused.code, ...(t.refused.message ? { message: t.refused.message } : {}) } : { refused: def.errors.refused };
    for (const h of holders) {
      const org = roles.filter((r) => h.orgPath.startsWith(r.orgPath)).at(-1);
      if (!org) continue;
      if (t.by === 'holder' && org.orgId !== h.orgId) { refused = { refused: def.errors.notHolder ?? def.errors.refused }; continue; }
      if (t.by === 'higher' && org.orgId === h.orgId) { refused = { refused: def.errors.notHigher ?? def.errors.refused }; continue; }
      return { org };
    }
    return refused;
  }

  const wf = {
    def,
    actions: names,

    /** The state `action` leads to from `status`, or undefined when the move is illegal. */
    next(status: S, action: A): S | undefined {
      const t = def.actions[action];
      if (!t.from.includes(status)) return undefined;
      return t.to ?? status;
    },

    /** The actions the caller may take on the row now. */
    abilities(caller: Caller, row: R): A[] {
      const status = def.status(row);
      return names.filter((a) => {
        const t = def.actions[a];
        if (!t.from.includes(status)) return false;
        if (!('org' in acting(caller, a, row))) return false;
        return !t.guard?.(row);
      });
    },

    /**
     * Checks a move on a row locked for update: the status (409 with the current status and its
     * label), the version when the client sent one (409), the acting union, the guard.
     */
    authorize(caller: Caller, row: R, action: A, expectedVersion?: number): Authorized<S> {
      const status = def.status(row);
      const to = wf.next(status, action);
      if (!to) {
        throw appError(def.errors.conflict, { status, statusLabel: def.labels[status], action }, `当前状态为“${def.labels[status]}”，不能${def.actions[action].label}`);
      }
      if (expectedVersion !== undefined && def.version && def.version(row) !== expectedVersion) {
        throw appError('VERSION_CONFLICT', { version: def.version(row), status, statusLabel: def.labels[status] });
      }
      const who = acting(caller, action, row);
      if (!('org' in who)) throw appError(who.refused, undefined, who.message);
      const guard = def.actions[action].guard?.(row);
      if (guard) throw appError(guard);
      return { from: status, to, org: who.org };
    },

    /** The event row of the timeline and the audit record of a move, in the move's transaction. */
    /**
     * One row of the timeline. `action` may be one the workflow does not route (the entity's
     * creation, a system mark); `columns` are the event table's extra columns (its distribution key).
     */
    async event(trx: Transaction<Database>, actor: Actor, id: number, ev: { action: string; from: S | null; to: S; orgId: number | null; targetOrgId?: number | null; note?: string | null; columns?: Record<string, unknown> }) {
      const e = def.events;
      if (!e) return;
      await trx.insertInto(e.table as never).values({
        [e.key]: id, action: ev.action, from_status: ev.from, to_status: ev.to, ...ev.columns,
        actor_id: actor.userId, actor_name: actor.username, org_id: ev.orgId, target_org_id: ev.targetOrgId ?? null, note: ev.note ?? null, at: new Date(),
      } as never).execute();
    },

    /** The event row of the timeline and the audit record of a move, in the move's transaction. */
    async record(trx: Transaction<Database>, actor: Actor, id: number, row: R, action: A, move: Authorized<S>, rec: MoveRecord = {}) {
      await wf.event(trx, actor, id, { action, from: move.from, to: move.to, orgId: move.org.orgId, targetOrgId: rec.targetOrgId ?? null, note: rec.note ?? null, columns: def.events?.columns?.(row) });
      const h = def.holder(row);
      await recordAudit(trx, actor, {
        action: auditAction(`${def.auditPrefix}.${action}`), entityType: def.entity, entityId: id, org: rec.auditOrg ?? { id: h.orgId, path: h.orgPath },
        before: { status: move.from, ...rec.before }, after: { status: move.to, ...rec.after },
      });
    },
  };
  return wf;
}

export type Workflow<S extends string, A extends string, R> = ReturnType<typeof defineWorkflow<S, A, R>>;

/** The optional `version` a client sends with an action (乐观锁). */
export const VersionField = Type.Optional(Type.Integer({ minimum: 1, maximum: 2 ** 31 - 1, description: '乐观锁版本号；与当前版本不符则返回 409' }));

/**
 * The action routes of a workflow: POST `<base>/:id/<action>` per action listed, declaring the
 * action's permission, with its body (plus the optional `version`), answered by `handle`.
 */
export function actionRoutes<A extends string>(
  app: FastifyInstance,
  wf: { def: { actions: Record<A, { permission: Permission; label: string }> } },
  o: {
    base: string; tag: string; params: TSchema; response: TSchema; errors: Record<number, TSchema>;
    bodies: Partial<Record<A, TObject | null>>;
    handle: (req: FastifyRequest, input: { id: number; body: Record<string, unknown> & { version?: number } }, action: A) => Promise<unknown>;
  },
) {
  for (const action of Object.keys(o.bodies) as A[]) {
    const t = wf.def.actions[action];
    const given = o.bodies[action];
    const body = Type.Object({ ...(given?.properties ?? {}), version: VersionField }, { additionalProperties: false });
    app.post(`${o.base}/:id/${action}`, {
      config: { access: { permission: t.permission } },
      schema: { tags: [o.tag], summary: t.label, params: o.params, body, response: { 200: o.response, ...o.errors } },
    }, async (req) => o.handle(req, { id: (req.params as { id: number }).id, body: (req.body ?? {}) as Record<string, unknown> }, action));
  }
}

/** A bump of the version column, for the module's UPDATE of a move. */
export const nextVersion = sql<number>`version + 1`;
