import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, OrgRow } from '../../db/types.js';
import { recordAudit } from '../../platform/audit.js';
import { validateCreditCode } from '../../platform/credit-code.js';
import { appError, AppError, invalidField, pgErrorInfo } from '../../platform/errors.js';
import { decodeCursor, page } from '../../platform/pagination.js';
import { isKnownRegionCode, regionByCode } from '../../platform/region.js';
import { scopeContains, type Scope } from '../../platform/scope.js';
import { ORG_LEVELS, type OrgKind, type OrgLevel } from '../../../common/enums.js';
import type { Caller } from '../../platform/caller.js';
import * as repo from './repo.js';
import type { CreateOrgBody, ListOrgsQuery, Org, UpdateOrgBody } from './schemas.js';

const MOVE_LOCK = 23510001;

/** API shape of an org row. */
export function toOrg(r: OrgRow & { child_count?: number }): Org {
  return {
    id: r.id,
    parentId: r.parent_id,
    path: r.path,
    depth: r.depth,
    name: r.name,
    level: r.level as OrgLevel,
    kind: r.kind as OrgKind,
    regionCode: r.region_code,
    regionName: r.region_code ? (regionByCode(r.region_code)?.name ?? null) : null,
    creditCode: r.credit_code,
    industryOrgId: r.industry_org_id,
    ...(r.child_count !== undefined ? { childCount: r.child_count } : {}),
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/** The fields of an org the audit log keeps (orgs carry no PII). */
function auditImage(r: OrgRow) {
  return {
    name: r.name, parentId: r.parent_id, path: r.path, level: r.level, kind: r.kind,
    regionCode: r.region_code, creditCode: r.credit_code, industryOrgId: r.industry_org_id,
  };
}

const order = (l: string) => ORG_LEVELS.indexOf(l as OrgLevel);

/**
 * The shape rules of the tree: a child sits below its parent's level, except an industry union
 * beside a federation of the same level and multi-level enterprise unions (集团 → 子公司);
 * levels national..street are federations or industry unions, the rest are what their level says.
 */
export function checkPlacement(parent: Pick<OrgRow, 'level' | 'kind'>, child: { level: string; kind: string }): void {
  const federationLevels = ['national', 'province', 'city', 'county', 'street'];
  const kindOk = federationLevels.includes(child.level)
    ? child.kind === 'federation' || child.kind === 'industry'
    : child.kind === child.level || (child.level === 'grassroots' && child.kind === 'grassroots');
  if (!kindOk) {
    throw appError('ORG_LEVEL_INVALID', { level: child.level, kind: child.kind }, '工会层级与组织类别不匹配');
  }
  const p = order(parent.level);
  const c = order(child.level);
  const sameLevelOk =
    (child.kind === 'industry' && parent.kind === 'federation') ||
    (child.level === 'grassroots' && parent.level === 'grassroots');
  if (c < p || (c === p && !sameLevelOk)) {
    throw appError('ORG_LEVEL_INVALID', { parentLevel: parent.level, level: child.level });
  }
}

/** The region code must be a real GB/T 2260 code inside the parent's region. */
function checkRegion(parent: Pick<OrgRow, 'region_code'> | null, regionCode: string): void {
  if (!isKnownRegionCode(regionCode)) {
    throw new AppError('REGION_CODE_UNKNOWN', undefined, { fields: { regionCode: `行政区划代码 ${regionCode} 不存在` } });
  }
  const pc = parent?.region_code;
  if (!pc) return;
  const level = regionByCode(pc)?.level;
  const prefix = level === 'province' ? 2 : level === 'city' ? 4 : 6;
  if (regionCode.slice(0, prefix) !== pc.slice(0, prefix)) {
    throw appError('REGION_OUTSIDE_PARENT', { fields: { regionCode: `行政区划代码须在上级工会所在地区（${pc}）之内` } });
  }
}

function normalizeCredit(raw: string | null | undefined): string | null | undefined {
  if (raw === undefined || raw === null) return raw;
  const r = validateCreditCode(raw, { union: true });
  if (!r.ok) throw new AppError('CREDIT_CODE_INVALID', r.message, { fields: { creditCode: r.message } });
  return r.code;
}

/** Translates constraint violations of the org table into typed errors. */
function translate(err: unknown): never {
  const { code, constraint } = pgErrorInfo(err);
  if (code === '23505' && constraint === 'org_sibling_name_unique') throw appError('ORG_NAME_TAKEN');
  if (code === '23505' && constraint === 'org_credit_code_unique') throw appError('CREDIT_CODE_TAKEN');
  throw err;
}

export interface OrgServiceDeps { db: Kysely<Database> }

export function createOrgService({ db }: OrgServiceDeps) {
  async function checkIndustry(trx: Transaction<Database>, scope: Scope, id: number | null | undefined) {
    if (id === undefined || id === null) return;
    const target = await repo.findById(trx, scope, id);
    if (!target || target.kind !== 'industry') {
      throw appError('INDUSTRY_ORG_INVALID', { fields: { industryOrgId: '所选产业（行业）工会不存在' } });
    }
  }

  return {
    /** One org, if inside `scope` (else 404 ORG_NOT_FOUND). */
    async get(caller: Caller, id: number): Promise<Org> {
      const { scope } = caller;
      const row = await repo.findById(db, scope, id);
      if (!row) throw appError('ORG_NOT_FOUND');
      return toOrg(row);
    },

    /**
     * Public facts (name, path, region) of any union by id or credit code; undefined when none.
     * Inside another module's transaction, pass it (on PGlite a query beside it would wait for it).
     */
    publicInfo(ref: { id: number } | { creditCode: string }, trx?: Transaction<Database>): Promise<repo.PublicOrg | undefined> {
      return repo.findPublic(trx ?? db, ref);
    },

    /** The union that accepts a worker's public request from a region: the county's federation, else the city's, else the province's (the root when none). */
    acceptingUnionFor: (regionCode: string) => repo.acceptingUnionFor(db, regionCode),

    /** The direct children of a union the caller has already found in scope (figures by child). */
    children: (orgId: number) => repo.children(db, orgId),

    /** Name, path and parent of unions by id (system lookups: names are public); pass the transaction when inside one. */
    briefs: (ids: readonly number[], trx?: Transaction<Database>) => repo.briefs(trx ?? db, ids),

    /** The national directory of unions by name or credit code: id and name only (forwarding, transfers). */
    async directory(q: string) {
      const rows = await repo.directory(db, q.trim(), 20);
      return rows.map((r) => ({ id: r.id, name: r.name, regionCode: r.region_code, level: r.level }));
    },

    /** Unions inside `scope` by credit code, as a map code → union. */
    async byCreditCodes(caller: Caller, codes: readonly string[]): Promise<Map<string, repo.PublicOrg>> {
      const { scope } = caller;
      const rows = await repo.findByCreditCodes(db, scope, codes);
      return new Map(rows.map((r) => [r.credit_code ?? '', r]));
    },

    /** Children of a union, name search, or (with neither) the caller's own top unions; all within scope. */
    async list(caller: Caller, q: ListOrgsQuery) {
      const { scope } = caller;
      const limit = q.limit ?? 50;
      const after = decodeCursor(q.cursor, { id: 'id' });
      const top = q.parentId === undefined && !q.q && !q.level;
      const rows = await repo.list(db, scope, {
        parentId: q.parentId, q: q.q, level: q.level, top, limit: limit + 1, afterId: after?.id,
      });
      const p = page(rows, limit, (r) => ({ id: r.id }));
      return { items: p.items.map(toOrg), nextCursor: p.nextCursor };
    },

    /** Creates a union under a parent inside `scope`; validated, audited, all or nothing. */
    async create(caller: Caller, body: CreateOrgBody): Promise<Org> {
      const { scope, actor } = caller;
      const creditCode = normalizeCredit(body.creditCode);
      const name = body.name.trim();
      if (name.length < 2) throw invalidField('name', '工会名称至少 2 个字');
      return db.transaction().execute(async (trx) => {
        const parent = await repo.findById(trx, scope, body.parentId);
        if (!parent) throw appError('ORG_NOT_FOUND', { fields: { parentId: '上级工会不存在' } });
        checkPlacement(parent, body);
        checkRegion(parent, body.regionCode);
        await checkIndustry(trx, scope, body.industryOrgId);
        const row = await repo
          .insert(trx, {
            parent_id: parent.id, name, level: body.level, kind: body.kind, region_code: body.regionCode,
            credit_code: creditCode ?? null, industry_org_id: body.industryOrgId ?? null,
          }, parent)
          .catch(translate);
        await recordAudit(trx, actor, {
          action: 'org.create', entityType: 'org', entityId: row.id, org: row, after: auditImage(row),
        });
        return toOrg(row);
      });
    },

    /** Edits a union inside `scope`; `version`, when given, must match (else 409). */
    async update(caller: Caller, id: number, body: UpdateOrgBody): Promise<Org> {
      const { scope, actor } = caller;
      const creditCode = normalizeCredit(body.creditCode);
      return db.transaction().execute(async (trx) => {
        const before = await repo.findByIdForUpdate(trx, scope, id);
        if (!before) throw appError('ORG_NOT_FOUND');
        if (body.version !== undefined && body.version !== before.version) {
          throw appError('VERSION_CONFLICT', { currentVersion: before.version });
        }
        const level = body.level ?? before.level;
        const kind = body.kind ?? before.kind;
        if (before.parent_id !== null) {
          const parent = await repo.parentForRules(trx, before);
          checkPlacement(parent, { level, kind });
          if (body.regionCode !== undefined) checkRegion(parent, body.regionCode);
        } else if (body.regionCode !== undefined) {
          checkRegion(null, body.regionCode);
        }
        await checkIndustry(trx, scope, body.industryOrgId);
        const name = body.name?.trim();
        if (name !== undefined && name.length < 2) throw invalidField('name', '工会名称至少 2 个字');
        const after = await repo
          .update(trx, scope, id, {
            ...(name !== undefined ? { name } : {}),
            ...(body.level !== undefined ? { level: body.level } : {}),
            ...(body.kind !== undefined ? { kind: body.kind } : {}),
            ...(body.regionCode !== undefined ? { region_code: body.regionCode } : {}),
            ...(creditCode !== undefined ? { credit_code: creditCode } : {}),
            ...(body.industryOrgId !== undefined ? { industry_org_id: body.industryOrgId } : {}),
          })
          .catch(translate);
        if (!after) throw appError('ORG_NOT_FOUND');
        await recordAudit(trx, actor, {
          action: 'org.update', entityType: 'org', entityId: id, org: after, before: auditImage(before), after: auditImage(after),
        });
        return toOrg(after);
      });
    },

    /**
     * Moves a union and its whole subtree under a new parent, both inside `scope`. Every
     * descendant's path changes in the same transaction; moves are serialized so two concurrent
     * moves cannot make a cycle.
     */
    async move(caller: Caller, id: number, newParentId: number): Promise<Org & { movedCount: number }> {
      const { scope, actor } = caller;
      return db.transaction().execute(async (trx) => {
        await sql`select pg_advisory_xact_lock(${MOVE_LOCK})`.execute(trx);
        const org = await repo.findByIdForUpdate(trx, scope, id);
        if (!org) throw appError('ORG_NOT_FOUND');
        if (org.parent_id === null) throw appError('ORG_ROOT_IMMUTABLE');
        const newParent = await repo.findById(trx, scope, newParentId);
        if (!newParent) throw appError('ORG_NOT_FOUND', { fields: { newParentId: '目标上级工会不存在' } });
        if (newParent.path.startsWith(org.path)) throw appError('ORG_MOVE_CYCLE');
        if (!scopeContains(scope, org.path)) throw appError('ORG_NOT_FOUND');
        checkPlacement(newParent, org);
        const movedCount = await repo.moveSubtree(trx, scope, org, newParent).catch(translate);
        const after = await repo.findById(trx, scope, id);
        if (!after) throw appError('ORG_NOT_FOUND');
        await recordAudit(trx, actor, {
          action: 'org.move', entityType: 'org', entityId: id, org: after,
          before: { parentId: org.parent_id, path: org.path }, after: { parentId: after.parent_id, path: after.path, movedCount },
        });
        return { ...toOrg(after), movedCount };
      });
    },

    /** Figures of the subtree of a union inside `scope`. */
    async stats(caller: Caller, id: number) {
      const { scope } = caller;
      const org = await repo.findById(db, scope, id);
      if (!org) throw appError('ORG_NOT_FOUND');
      return { org: toOrg(org), figures: { orgId: id, ...(await repo.subtreeOrgStats(db, org)) } };
    },
  };
}

export type OrgService = ReturnType<typeof createOrgService>;
