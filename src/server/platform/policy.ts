/**
 * The one policy table: which role grants which permission. A role is held *in* a union and
 * grants its permissions over that union's whole subtree (本级及下级).
 */
export const ROLES = ['admin', 'officer', 'hotline_agent', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'org.read',
  'org.create',
  'org.update',
  'org.move',
  'user.read',
  'user.manage',
  'audit.read',
  'dictionary.update',
  'stats.read',
  'calendar.update',
  'hotline.read',
  'hotline.create',
  'hotline.dispatch',
  'hotline.handle',
  'hotline.supervise',
  'hotline.followup',
  'member.read',
  'member.manage',
  'member.reveal',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const grants: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  officer: ['org.read', 'org.create', 'org.update', 'stats.read', 'hotline.read', 'hotline.dispatch', 'hotline.handle', 'hotline.supervise', 'member.read', 'member.manage', 'member.reveal'],
  hotline_agent: ['org.read', 'stats.read', 'hotline.read', 'hotline.create', 'hotline.dispatch', 'hotline.handle', 'hotline.supervise', 'hotline.followup'],
  viewer: ['org.read', 'stats.read', 'hotline.read', 'member.read'],
};

export function roleGrants(role: string, permission: Permission): boolean {
  return (grants as Record<string, readonly Permission[] | undefined>)[role]?.includes(permission) ?? false;
}

export function permissionsOf(roles: readonly string[]): Permission[] {
  return PERMISSIONS.filter((p) => roles.some((r) => roleGrants(r, p)));
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Permissions that act on national data (dictionaries): they count only when held in the root union. */
export const ROOT_ONLY: readonly Permission[] = ['dictionary.update', 'calendar.update'];

/**
 * What the officer may do anywhere, for `me` and the UI (menus and buttons): root-only permissions
 * are dropped unless a role granting them is held in the root union. The server still checks each call.
 */
export function effectivePermissions(roles: ReadonlyArray<{ role: string; orgPath: string }>, rootPath: string): Permission[] {
  return PERMISSIONS.filter((p) =>
    roles.some((r) => roleGrants(r.role, p) && (!ROOT_ONLY.includes(p) || r.orgPath === rootPath)),
  );
}
