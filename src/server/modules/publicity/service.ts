import { sql, type Expression, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { Database, PublicityItem } from '../../db/types.js';
import { recordAudit, type Actor } from '../../platform/audit.js';
import { shanghaiDate, windowEnd } from '../../platform/calendar.js';
import type { Caller } from '../../platform/caller.js';
import type { PiiCipher } from '../../platform/crypto.js';
import { appError, invalidField, pgErrorInfo } from '../../platform/errors.js';
import { checkPhone, maskName, maskPhone } from '../../platform/pii.js';
import type { Permission } from '../../platform/policy.js';
import { inScope, type Scope } from '../../platform/scope.js';
import type { CalendarService } from '../calendar/service.js';

type Q = Kysely<Database> | Transaction<Database>;

/** What a module registers for its notices: the label and who manages them (reads objections, resolves them). */
export interface PublicityKind { label: string; permission: Permission }

export interface Publish {
  entityType: string;
  entityId: number;
  provinceCode: string;
  org: { id: number; path: string };
  title: string;
  /** People shown, names in full: the engine masks them before anything is stored. */
  items: Array<{ name: string; unit?: string | null; item: string; amountFen?: number | null }>;
  workingDays: number;
  /** The first day (default: today in Shanghai; a holiday start counts from the next working day). */
  startsOn?: string;
  createdBy: number | null;
}

export interface Notice {
  id: number; entityType: string; entityLabel: string; orgId: number; orgName: string; title: string; items: PublicityItem[];
  workingDays: number; startsOn: string; endsOn: string; running: boolean; status: string;
}

/**
 * 公示, the one engine every service that pays money or grants a title uses: a module publishes a
 * notice for its entity in its own transaction; the public reads it and objects while the window
 * runs; the module may take the entity's next step only once the window has ended and every
 * objection is resolved (`assertClear`).
 */
export function createPublicityService({ db, pii, calendar, now = () => new Date() }: { db: Kysely<Database>; pii: PiiCipher; calendar: CalendarService; now?: () => Date }) {
  const kinds = new Map<string, PublicityKind>();
  const today = () => shanghaiDate(now());
  const kindOf = (t: string) => kinds.get(t) ?? { label: '公示', permission: 'org.read' as Permission };

  function base(q: Q) {
    return q.selectFrom('publicity_notice as n').innerJoin('org as o', 'o.id', 'n.org_id').selectAll('n').select('o.name as org_name');
  }
  type Row = Awaited<ReturnType<ReturnType<typeof base>['executeTakeFirstOrThrow']>>;

  function toNotice(r: Row): Notice {
    return {
      id: r.id, entityType: r.entity_type, entityLabel: kindOf(r.entity_type).label, orgId: r.org_id, orgName: r.org_name, title: r.title, items: r.items,
      workingDays: r.working_days, startsOn: r.starts_on, endsOn: r.ends_on, running: r.status === 'published' && r.starts_on <= today() && today() <= r.ends_on, status: r.status,
    };
  }

  /** The notices an officer manages: of the kinds whose permission they hold, in that scope. */
  function scopes(caller: Caller): Array<{ entityType: string; scope: Scope }> {
    return [...kinds.entries()].map(([entityType, k]) => ({ entityType, scope: caller.as(k.permission).scope }));
  }
  function inManaged(caller: Caller): Expression<SqlBool> {
    const s = scopes(caller);
    if (s.length === 0) return sql<SqlBool>`false`;
    return sql<SqlBool>`(${sql.join(s.map((x) => sql`(n.entity_type = ${x.entityType} and ${inScope(x.scope, 'n.org_path')})`), sql` or `)})`;
  }

  /** An objection to a notice the officer manages, with what its audit record names. */
  function managedObjection(trx: Transaction<Database>, caller: Caller, objectionId: number) {
    return trx.selectFrom('publicity_objection as b')
      .innerJoin('publicity_notice as n', (j) => j.onRef('n.id', '=', 'b.notice_id').onRef('n.province_code', '=', 'b.province_code'))
      .select(['b.id', 'b.status', 'b.province_code', 'b.contact_enc', 'n.id as notice_id', 'n.entity_type', 'n.entity_id', 'n.org_id', 'n.org_path'])
      .where('b.id', '=', objectionId).where(inManaged(caller));
  }

  const service = {
    register(entityType: string, kind: PublicityKind) {
      if (kinds.has(entityType)) throw new Error(`publicity kind ${entityType} registered twice`);
      kinds.set(entityType, kind);
    },

    /** Publishes a notice in the module's transaction; names are masked here. One live notice per entity (409). */
    async publish(trx: Transaction<Database>, p: Publish): Promise<Notice> {
      if (!Number.isInteger(p.workingDays) || p.workingDays < 1 || p.workingDays > 30) throw invalidField('workingDays', '公示期须为 1 至 30 个工作日');
      if (p.items.length === 0) throw invalidField('items', '公示内容不能为空');
      const startsOn = p.startsOn ?? today();
      const endsOn = windowEnd(startsOn, p.workingDays, await calendar.isWorkdayFn(trx));
      const items: PublicityItem[] = p.items.map((i) => ({ name: maskName(i.name), unit: i.unit ?? null, item: i.item, amountFen: i.amountFen ?? null }));
      try {
        const { id } = await trx.insertInto('publicity_notice').values({
          province_code: p.provinceCode, entity_type: p.entityType, entity_id: p.entityId, org_id: p.org.id, org_path: p.org.path, title: p.title,
          items: JSON.stringify(items), working_days: p.workingDays, starts_on: startsOn, ends_on: endsOn, created_by: p.createdBy,
        }).returning('id').executeTakeFirstOrThrow();
        await recordAudit(trx, { userId: p.createdBy, username: null, requestId: null, ip: null }, {
          action: 'publicity.publish', entityType: p.entityType, entityId: p.entityId, org: p.org, after: { noticeId: id, startsOn, endsOn, workingDays: p.workingDays },
        });
        return toNotice(await base(trx).where('n.id', '=', id).executeTakeFirstOrThrow());
      } catch (err) {
        if (pgErrorInfo(err).constraint === 'publicity_notice_live_idx') throw appError('PUBLICITY_EXISTS');
        throw err;
      }
    },

    /**
     * The rule: the entity's next step waits while its notice runs (409 PUBLICITY_RUNNING, until
     * when) or an objection is open (409 PUBLICITY_OBJECTION_OPEN). An entity with no live notice passes.
     */
    async assertClear(q: Q, entityType: string, entityId: number): Promise<void> {
      const n = await q.selectFrom('publicity_notice').select(['id', 'ends_on'])
        .where('entity_type', '=', entityType).where('entity_id', '=', entityId).where('status', '=', 'published').executeTakeFirst();
      if (!n) return;
      if (today() <= n.ends_on) throw appError('PUBLICITY_RUNNING', { endsOn: n.ends_on }, `公示期未满（至 ${n.ends_on}），不能进行下一步`);
      const open = await q.selectFrom('publicity_objection').select('id').where('notice_id', '=', n.id).where('status', '=', 'open').limit(1).executeTakeFirst();
      if (open) throw appError('PUBLICITY_OBJECTION_OPEN');
    },

    /** Takes a live notice down (the entity was returned or withdrawn). */
    async withdraw(trx: Transaction<Database>, entityType: string, entityId: number) {
      await trx.updateTable('publicity_notice').set({ status: 'withdrawn', withdrawn_at: new Date() })
        .where('entity_type', '=', entityType).where('entity_id', '=', entityId).where('status', '=', 'published').execute();
    },

    /** The public page of a union: its notices running now or ended in the last 30 days, newest first (no scope: they are public). */
    async publicList(orgId: number): Promise<Notice[]> {
      const since = shanghaiDate(new Date(now().getTime() - 30 * 86_400_000));
      const rows = await base(db).where('n.org_id', '=', orgId).where('n.status', '=', 'published').where('n.ends_on', '>=', since)
        .where('n.starts_on', '<=', today()).orderBy('n.id', 'desc').limit(100).execute();
      return rows.map(toNotice);
    },

    /** A public objection while the window runs: the contact is kept encrypted, only its mask is shown to officers. */
    async object(noticeId: number, body: { content: string; contactName?: string; contactPhone: string }, actor: Actor) {
      const phone = checkPhone(body.contactPhone);
      if (!phone.ok) throw invalidField('contactPhone', phone.message);
      const content = body.content.trim();
      if (content.length < 5) throw invalidField('content', '请写明异议内容（至少 5 个字）');
      return db.transaction().execute(async (trx) => {
        const n = await base(trx).where('n.id', '=', noticeId).where('n.status', '=', 'published').forUpdate('n').executeTakeFirst();
        if (!n) throw appError('PUBLICITY_NOT_FOUND');
        if (!(n.starts_on <= today() && today() <= n.ends_on)) throw appError('PUBLICITY_CLOSED', { endsOn: n.ends_on });
        const { id } = await trx.insertInto('publicity_objection').values({
          province_code: n.province_code, notice_id: n.id, content, contact_name: body.contactName?.trim() || null,
          contact_enc: pii.encrypt(phone.value), contact_masked: maskPhone(phone.value),
        }).returning('id').executeTakeFirstOrThrow();
        await recordAudit(trx, actor, { action: 'publicity.object', entityType: n.entity_type, entityId: n.entity_id, org: { id: n.org_id, path: n.org_path }, after: { noticeId: n.id, objectionId: id } });
        return { id, status: 'open' as const, message: '异议已收到，工会将核实处理并与您联系。' };
      });
    },

    /** Notices the officer manages, newest first, with their open objections counted. */
    async list(caller: Caller, q: { entityType?: string | undefined; limit?: number | undefined }) {
      let query = base(db).where(inManaged(caller)).orderBy('n.id', 'desc').limit(q.limit ?? 50)
        .select((eb) => eb.selectFrom('publicity_objection as b').select((e) => e.fn.countAll<number>().as('c')).whereRef('b.notice_id', '=', 'n.id').where('b.status', '=', 'open').as('open_objections'));
      if (q.entityType) query = query.where('n.entity_type', '=', q.entityType);
      const rows = await query.execute();
      return { items: rows.map((r) => ({ ...toNotice(r), openObjections: Number(r.open_objections ?? 0) })) };
    },

    /** A managed notice with its objections (contacts masked). */
    async get(caller: Caller, id: number) {
      const r = await base(db).where('n.id', '=', id).where(inManaged(caller)).executeTakeFirst();
      if (!r) throw appError('PUBLICITY_NOT_FOUND');
      const objections = await db.selectFrom('publicity_objection').selectAll().where('province_code', '=', r.province_code).where('notice_id', '=', id).orderBy('id').execute();
      return {
        ...toNotice(r),
        objections: objections.map((o) => ({
          id: o.id, content: o.content, contactName: o.contact_name, maskedContact: o.contact_masked, status: o.status as 'open' | 'resolved',
          resolution: o.resolution, createdAt: o.created_at.toISOString(), resolvedAt: o.resolved_at?.toISOString() ?? null,
        })),
      };
    },

    /** An officer answers an objection (核实处理) with what was found; once. */
    async resolve(caller: Caller, objectionId: number, resolution: string) {
      return db.transaction().execute(async (trx) => {
        const o = await managedObjection(trx, caller, objectionId).forUpdate('b').executeTakeFirst();
        if (!o) throw appError('PUBLICITY_NOT_FOUND');
        if (o.status !== 'open') throw appError('PUBLICITY_OBJECTION_RESOLVED', { status: o.status });
        await trx.updateTable('publicity_objection').set({ status: 'resolved', resolution, resolved_by: caller.actor.userId, resolved_at: new Date() })
          .where('province_code', '=', o.province_code).where('id', '=', objectionId).execute();
        await recordAudit(trx, caller.actor, { action: 'publicity.resolve', entityType: o.entity_type, entityId: o.entity_id, org: { id: o.org_id, path: o.org_path }, after: { objectionId, resolution } });
        return { id: objectionId, status: 'resolved' as const, noticeId: o.notice_id };
      });
    },

    /** The objector's full phone, for the officer who must call back; every reveal audited. */
    async revealContact(caller: Caller, objectionId: number, reason: string) {
      return db.transaction().execute(async (trx) => {
        const o = await managedObjection(trx, caller, objectionId).executeTakeFirst();
        if (!o) throw appError('PUBLICITY_NOT_FOUND');
        await recordAudit(trx, caller.actor, { action: 'publicity.reveal', entityType: o.entity_type, entityId: o.entity_id, org: { id: o.org_id, path: o.org_path }, after: { objectionId, reason } });
        return { contactPhone: pii.decrypt(o.contact_enc) };
      });
    },
  };
  return service;
}

export type PublicityService = ReturnType<typeof createPublicityService>;
