import type { Actor } from './audit.js';
import { holdingGrants, type Permission } from './policy.js';
import { scopeFor, subtreeScope, systemScope, type RoleHolding, type Scope } from './scope.js';

/** A role the caller holds, in one union (本级及下级). */
export interface CallerRole extends RoleHolding { orgId: number; orgName: string }

/**
 * Who calls a service: the one contract between routes and services. A route gets it from
 * `requestCaller(req)`; its `scope` is the data scope of the permission the route declared. A
 * service that needs another permission's scope (a ticket read back after an action, the union
 * chosen as a dispatch target) asks `as(permission)`; it never builds a scope itself.
 */
export interface Caller {
  readonly actor: Actor;
  /** The roles held, each in one union (empty for the system and for jobs). */
  readonly roles: readonly CallerRole[];
  /** The data scope of the route's permission (throws on a route that declares none). */
  readonly scope: Scope;
  /** The same caller acting under `permission`. */
  as(permission: Permission): Caller;
  /** The roles that grant `permission` (a root-only one: held in the root union), outermost union first. */
  holding(permission: Permission): CallerRole[];
}

function build(actor: Actor, roles: readonly CallerRole[], permission: Permission | null, rootPath: string | undefined): Caller {
  let scope: Scope | undefined;
  return {
    actor,
    roles,
    get scope(): Scope {
      if (!permission) throw new Error('the route declares no permission: its caller has no scope');
      scope ??= scopeFor(roles, permission, rootPath);
      return scope;
    },
    as: (p) => build(actor, roles, p, rootPath),
    holding: (p) => roles.filter((r) => holdingGrants(r, p, rootPath)).sort((a, b) => a.orgPath.length - b.orgPath.length),
  };
}

/** The signed-in officer with their roles, under the route's permission (null: an authenticated-only route). */
export function officerCaller(actor: Actor, roles: readonly CallerRole[], permission: Permission | null, rootPath: string): Caller {
  return build(actor, roles, permission, rootPath);
}

function fixed(actor: Actor, scope: Scope): Caller {
  const self: Caller = { actor, roles: [], scope, as: () => self, holding: () => [] };
  return self;
}

/**
 * A background job acting for one union (a roster import): the officer's permission over the union
 * was checked when the job was queued; the job sees that subtree under every permission.
 * For job files only (the linter allows it nowhere else in modules).
 */
export function jobCaller(actor: Actor, orgPath: string): Caller {
  return fixed(actor, subtreeScope(orgPath));
}

/** Unscoped, for seeds, migrations, tests and CLI tools (the linter forbids it in modules). */
export function systemCaller(actor: Actor): Caller {
  return fixed(actor, systemScope());
}
