import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = ColumnType<unknown, string | null, string | null>;

/** org 工会组织: one node of the union tree. */
export interface OrgTable {
  id: Generated<number>;
  parent_id: number | null;
  /** Materialized path of ids, prefix-safe: `/1/5/23/`. */
  path: string;
  depth: number;
  name: string;
  level: string;
  kind: string;
  region_code: string | null;
  credit_code: string | null;
  industry_org_id: number | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** user 工会干部账号: an officer's account. */
export interface UserTable {
  id: Generated<number>;
  username: string;
  name: string;
  password_hash: string;
  failed_logins: Generated<number>;
  first_failed_at: Timestamp | null;
  locked_until: Timestamp | null;
  disabled: Generated<boolean>;
  created_at: Timestamp;
}

/** user_role 角色: a role held in one union (and so over its subtree). */
export interface UserRoleTable {
  id: Generated<number>;
  user_id: number;
  org_id: number;
  role: string;
  created_at: Timestamp;
}

export interface SessionTable {
  /** sha256 of the cookie token; the token itself is never stored. */
  id: string;
  user_id: number;
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
}

/** audit_log 审计日志: append-only, hash-chained. */
export interface AuditLogTable {
  id: Generated<number>;
  at: Timestamp;
  actor_id: number | null;
  actor_name: string | null;
  org_id: number | null;
  org_path: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  before: Json;
  after: Json;
  request_id: string | null;
  ip: string | null;
  prev_hash: string;
  hash: string;
}

/** dictionary_item 字典项. */
export interface DictionaryItemTable {
  type: string;
  code: string;
  label: string;
  sort: number;
  enabled: Generated<boolean>;
}

export interface Database {
  org: OrgTable;
  app_user: UserTable;
  user_role: UserRoleTable;
  session: SessionTable;
  audit_log: AuditLogTable;
  dictionary_item: DictionaryItemTable;
}

export type OrgRow = Selectable<OrgTable>;
export type NewOrg = Insertable<OrgTable>;
export type OrgUpdate = Updateable<OrgTable>;
export type UserRow = Selectable<UserTable>;
export type AuditRow = Selectable<AuditLogTable>;
