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
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const grants: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  officer: ['org.read', 'org.create', 'org.update', 'stats.read'],
  hotline_agent: ['org.read', 'stats.read'],
  viewer: ['org.read', 'stats.read'],
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
