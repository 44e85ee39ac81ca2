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

/** calendar_day 节假日与调休 (exceptions to Monday–Friday). */
export interface CalendarDayTable { day: string; workday: boolean; name: string | null; source: string }

/** hotline_ticket 热线工单. */
export interface HotlineTicketTable {
  id: Generated<number>;
  ticket_no: string;
  province_code: string;
  channel: string;
  received_at: Timestamp;
  caller_name: string;
  caller_phone_enc: string;
  caller_phone_idx: string;
  caller_id_enc: string | null;
  caller_id_idx: string | null;
  category: string;
  content: string;
  employer_name: string | null;
  employer_credit_code: string | null;
  region_code: string;
  difficulty: string | null;
  status: string;
  deadline_base: Timestamp;
  deadline: Timestamp;
  overdue: Generated<boolean>;
  supervised: Generated<boolean>;
  returned: Generated<boolean>;
  reopened_count: Generated<number>;
  accept_org_id: number;
  handling_org_id: number;
  /** Path of the handling union (kept by a trigger when unions move); the scope column. */
  handling_org_path: string;
  dispatcher_org_id: number | null;
  result: string | null;
  amount_recovered: string | null;
  satisfaction: string | null;
  evaluation_comment: string | null;
  resolved_at: Timestamp | null;
  resolved_on_time: boolean | null;
  evaluated_at: Timestamp | null;
  closed_at: Timestamp | null;
  created_by: number | null;
  version: Generated<number>;
  created_at: Timestamp;
}

/** hotline_event 工单流转记录. */
export interface HotlineEventTable {
  id: Generated<number>;
  ticket_id: number;
  action: string;
  from_status: string | null;
  to_status: string | null;
  actor_id: number | null;
  actor_name: string | null;
  org_id: number | null;
  target_org_id: number | null;
  note: string | null;
  at: Timestamp;
}

/** notification 站内通知. */
export interface NotificationTable {
  id: Generated<number>;
  org_id: number;
  ticket_id: number | null;
  kind: string;
  deadline: Timestamp | null;
  message: string;
  created_at: Timestamp;
  read_at: Timestamp | null;
}

export interface Database {
  org: OrgTable;
  app_user: UserTable;
  user_role: UserRoleTable;
  session: SessionTable;
  audit_log: AuditLogTable;
  dictionary_item: DictionaryItemTable;
  calendar_day: CalendarDayTable;
  hotline_ticket: HotlineTicketTable;
  hotline_event: HotlineEventTable;
  notification: NotificationTable;
}

export type OrgRow = Selectable<OrgTable>;
export type NewOrg = Insertable<OrgTable>;
export type OrgUpdate = Updateable<OrgTable>;
export type UserRow = Selectable<UserTable>;
export type AuditRow = Selectable<AuditLogTable>;
