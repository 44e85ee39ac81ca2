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

/**
 * Permissions that act on national data (dictionaries, the holiday calendar): they count only when
 * held in the root union. A role granting one elsewhere is refused with the permission's own code.
 */
export const ROOT_ONLY: Readonly<Partial<Record<Permission, 'DICTIONARY_ADMIN_ONLY' | 'CALENDAR_ADMIN_ONLY'>>> = {
  'dictionary.update': 'DICTIONARY_ADMIN_ONLY',
  'calendar.update': 'CALENDAR_ADMIN_ONLY',
};

/**
 * Whether the role held in the union at `orgPath` grants `permission` there: the policy table, and
 * for a root-only permission the union must be the root (an unknown root grants none of them).
 */
export function holdingGrants(r: { role: string; orgPath: string }, permission: Permission, rootPath: string | undefined): boolean {
  return roleGrants(r.role, permission) && (!ROOT_ONLY[permission] || r.orgPath === rootPath);
}

/**
 * What the officer may do anywhere, for `me` and the UI (menus and buttons): root-only permissions
 * are dropped unless a role granting them is held in the root union. The server still checks each call.
 */
export function effectivePermissions(roles: ReadonlyArray<{ role: string; orgPath: string }>, rootPath: string): Permission[] {
  return PERMISSIONS.filter((p) => roles.some((r) => holdingGrants(r, p, rootPath)));
}
