import { sql, type Expression, type SqlBool } from 'kysely';
import { holdingGrants, type Permission } from './policy.js';

declare const scopeBrand: unique symbol;

/**
 * 数据权限: the set of org subtrees (materialized paths) a caller may touch for one permission.
 * Built only here. Every repo function that reads or writes scoped rows takes one.
 */
export interface Scope {
  readonly [scopeBrand]: true;
  readonly paths: readonly string[];
  readonly system: boolean;
}

const PATH_RE = /^(\/\d+)+\/$/;

function make(paths: readonly string[], system: boolean): Scope {
  return Object.freeze({ paths: Object.freeze([...paths]), system }) as unknown as Scope;
}

/** Keeps the outermost paths only (a path inside another adds nothing). */
function outermost(paths: string[]): string[] {
  const sorted = [...new Set(paths)].sort((a, b) => a.length - b.length);
  const kept: string[] = [];
  for (const p of sorted) if (!kept.some((k) => p.startsWith(k))) kept.push(p);
  return kept;
}

export interface RoleHolding { role: string; orgPath: string }

/**
 * The scope of `permission` for a user holding `roles`: the union of the subtrees where a role
 * grants it. A root-only permission (policy.ts) counts only for a role held at `rootPath`.
 * Called by the platform only (the request's caller, jobs); modules get scopes from their caller.
 */
export function scopeFor(roles: readonly RoleHolding[], permission: Permission, rootPath?: string): Scope {
  const paths = roles.filter((r) => holdingGrants(r, permission, rootPath)).map((r) => r.orgPath);
  for (const p of paths) if (!PATH_RE.test(p)) throw new Error(`malformed org path ${p}`);
  return make(outermost(paths), false);
}

/**
 * The subtree of one union, for a background job acting on behalf of that union (an import): the
 * officer's permission over the union was checked when the job was queued.
 */
export function subtreeScope(orgPath: string): Scope {
  if (!PATH_RE.test(orgPath)) throw new Error(`malformed org path ${orgPath}`);
  return make([orgPath], false);
}

/** Unscoped access, for jobs, seeds, migrations and CLI tools only (CI forbids it in routes and services). */
export function systemScope(): Scope {
  return make([], true);
}

export function isEmptyScope(scope: Scope): boolean {
  return !scope.system && scope.paths.length === 0;
}

/** True when the org at `path` lies inside the scope. */
export function scopeContains(scope: Scope, path: string): boolean {
  return scope.system || scope.paths.some((p) => path.startsWith(p));
}

/**
 * The one SQL predicate of data scope: `column` (an org path) lies in one of the scope's subtrees.
 * Paths hold only digits and slashes, so the LIKE prefix has no wildcard to escape; the btree
 * `text_pattern_ops` index serves it.
 */
export function inScope(scope: Scope, column: string): Expression<SqlBool> {
  if (scope.system) return sql<SqlBool>`true`;
  if (scope.paths.length === 0) return sql<SqlBool>`false`;
  const ref = sql.ref(column);
  return sql<SqlBool>`(${sql.join(scope.paths.map((p) => sql`${ref} like ${`${p}%`}`), sql` or `)})`;
}

/**
 * The same predicate for a statement prepared once and run on its generic plan: each path goes in
 * behind a one-row sub-select, which the planner does not look into, so every scope of the same
 * number of paths gets the same plan — a walk of an index in another order, filtered by the path.
 * The caller runs it only for a scope holding a large share of the rows, where that walk is the
 * right plan (for a small subtree it would read the whole index).
 */
export function inScopeGeneric(scope: Scope, column: string): Expression<SqlBool> {
  if (scope.system) return sql<SqlBool>`true`;
  if (scope.paths.length === 0) return sql<SqlBool>`false`;
  const ref = sql.ref(column);
  return sql<SqlBool>`(${sql.join(scope.paths.map((p) => sql`${ref} like (select ${`${p}%`}::text)`), sql` or `)})`;
}

/**
 * The subtree predicate on an org-path column: `column` lies in the union at `path` or below it.
 * The one way a module filters by a subtree it has already checked against the caller's scope.
 */
export function inSubtree(column: string, path: string): Expression<SqlBool> {
  if (!PATH_RE.test(path)) throw new Error(`malformed org path ${path}`);
  return sql<SqlBool>`${sql.ref(column)} like ${`${path}%`}`;
}

/** The same predicate against another path column (a join: the tickets under each child union). */
export function inSubtreeOf(column: string, pathColumn: string): Expression<SqlBool> {
  return sql<SqlBool>`${sql.ref(column)} like ${sql.ref(pathColumn)} || '%'`;
}

/** The part of the scope under the union at `path`: that subtree when the scope holds it, else nothing. */
export function narrowScope(scope: Scope, path: string): Scope {
  if (!PATH_RE.test(path)) throw new Error(`malformed org path ${path}`);
  return scopeContains(scope, path) ? make([path], false) : make([], false);
}

/** Escapes LIKE wildcards in user input (search boxes); the value is still passed as a parameter. */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A search box's text anywhere in `column` (wildcards in the text match themselves). */
export function containsText(column: string, text: string): Expression<SqlBool> {
  return sql<SqlBool>`${sql.ref(column)} like ${`%${escapeLike(text)}%`}`;
}

/** `column` starts with the typed text (served by a `text_pattern_ops` or C-collation index). */
export function startsWithText(column: string, text: string): Expression<SqlBool> {
  return sql<SqlBool>`${sql.ref(column)} like ${`${escapeLike(text)}%`}`;
}
