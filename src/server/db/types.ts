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
  /** Chained with the keyed HMAC (migration 0009); false for older rows. */
  keyed: Generated<boolean>;
}

/** login_throttle 登录限制: failed sign-ins per typed username (keyed hash) and client address. */
export interface LoginThrottleTable {
  username_key: string;
  ip: string;
  failures: number;
  last_failed_at: Timestamp;
  blocked_until: Timestamp | null;
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
  /** The caller's membership when the caller is a member (linked at intake by identity blind index). */
  membership_id: ColumnType<number | null, number | null | undefined, number | null>;
  result: string | null;
  amount_recovered_fen: number | null;
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

/** The columns of every entity's timeline (the workflow kernel writes them; `eventTable` makes them). */
export interface EventColumns {
  id: Generated<number>;
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

/** hotline_event 工单流转记录. */
export interface HotlineEventTable extends EventColumns {
  /** The ticket's province (Citus: co-located with the ticket). */
  province_code: string;
  ticket_id: number;
}

/** notification 站内通知: to one union's officers (org_id) or one worker (person_id), about one entity. */
export interface NotificationTable {
  id: Generated<number>;
  /** The province of the entity (Citus: co-located with it). */
  province_code: string;
  org_id: number | null;
  person_id: number | null;
  entity_type: string;
  entity_id: number;
  kind: string;
  message: string;
  /** Unique per addressee: the same event notifies once. */
  dedupe_key: string;
  created_at: Timestamp;
}

/** notification_read 已读: one row per notice and reader (an officer's account, or a worker's person). */
export interface NotificationReadTable {
  province_code: string;
  notification_id: number;
  user_id: number | null;
  person_id: number | null;
  read_at: Timestamp;
}

/** attachment 附件: a stored file linked to one entity. */
export interface AttachmentTable {
  province_code: string;
  id: Generated<number>;
  entity_type: string;
  entity_id: number;
  kind: string;
  /** The file name as uploaded (shown and offered on download; never used as a path). */
  name: string;
  /** Sniffed from the content. */
  content_type: string;
  size: number;
  sha256: string;
  sensitive: boolean;
  /** Where the file store keeps it (`aa/<hash>` or `aa/<keyed hash>.sm4`). */
  storage_key: string;
  uploaded_by: number | null;
  created_at: Timestamp;
}

/** worker_account 职工账号: one per person and per phone (kept only as its blind index). */
export interface WorkerAccountTable {
  id: Generated<number>;
  person_id: number;
  phone_idx: string;
  password_hash: string;
  disabled: Generated<boolean>;
  created_at: Timestamp;
  last_login_at: Timestamp | null;
}

/** worker_session 职工登录会话 (the cookie holds the token; this its SHA-256). */
export interface WorkerSessionTable {
  id: string;
  worker_id: number;
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
}

/** person 人员: one identity (证件类型 + 证件号); 证件号 and 手机号 only encrypted, with blind indexes. */
export interface PersonTable {
  id: Generated<number>;
  id_type: string;
  /** Keyed HMAC-SM3 blind index of the normalised number (exact lookup). */
  id_idx: string;
  /** SM4 ciphertext of the number. */
  id_enc: string;
  id_masked: string;
  name: string;
  gender: string | null;
  birth_date: string | null;
  ethnicity: string | null;
  education: string | null;
  employment_status: string | null;
  household_type: string | null;
  is_migrant_worker: Generated<boolean>;
  groups: ColumnType<string[], string[] | undefined, string[]>;
  phone_enc: string;
  phone_idx: string;
  phone_masked: string;
  member_no: string;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** membership 会籍: a person's membership of one union; at most one current (active/retained). */
export interface MembershipTable {
  person_id: number;
  id: Generated<number>;
  org_id: number;
  /** Path of the union (kept by a trigger when unions move); the scope column. */
  org_path: string;
  status: string;
  /** 入会日期: first joined a union (carried across transfers). */
  joined_on: string;
  /** Since when in this union. */
  started_on: string;
  ended_on: string | null;
  channel: string;
  /** Last 4 characters of the id number (as shown in the masked form), for search. */
  id_last4: string;
  name: string;
  /** The person as they were when this membership ended (migration 0009); null while current. */
  ended_snapshot: ColumnType<unknown, string | null | undefined, string | null>;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** membership_change 会籍变化 (ACFTU change types 1–6). */
export interface MembershipChangeTable {
  person_id: number;
  id: Generated<number>;
  membership_id: number;
  org_id: number;
  change_type: string;
  reason_code: string | null;
  note: string | null;
  related_org_id: number | null;
  channel: string | null;
  actor_id: number | null;
  actor_name: string | null;
  at: Generated<Date>;
}

/** member_count: exact counts of current memberships per union (kept by triggers). */
export interface MemberCountTable {
  org_id: number;
  active: number;
  retained: number;
}

/** member_stat: exact counts of current memberships per union and join year (kept by triggers). */
export interface MemberStatTable {
  org_id: number;
  join_year: number;
  active: number;
  retained: number;
}

/** join_application 入会申请. */
export interface JoinApplicationTable {
  id: Generated<number>;
  application_no: string;
  org_id: number;
  status: string;
  channel: string;
  name: string;
  id_type: string;
  id_idx: string;
  id_enc: string;
  id_masked: string;
  gender: string | null;
  birth_date: string | null;
  phone_enc: string;
  phone_idx: string;
  phone_masked: string;
  employer: string | null;
  occupation: string | null;
  groups: ColumnType<string[], string[] | undefined, string[]>;
  reject_reason: string | null;
  decided_by: number | null;
  decided_at: Timestamp | null;
  membership_id: number | null;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface JoinApplicationEventTable {
  id: Generated<number>;
  application_id: number;
  action: string;
  from_status: string | null;
  to_status: string | null;
  org_id: number | null;
  target_org_id: number | null;
  note: string | null;
  actor_id: number | null;
  actor_name: string | null;
  at: Generated<Date>;
}

/** review_step 逐级审核: one step of a review chain, held by one union. */
export interface ReviewStepTable {
  id: Generated<number>;
  province_code: string;
  entity_type: string;
  entity_id: number;
  round: number;
  seq: number;
  org_id: number;
  org_path: string;
  summary: string;
  status: string;
  deadline_rule: string;
  started_at: Timestamp;
  deadline: Timestamp;
  overdue: Generated<boolean>;
  submitted_by: number | null;
  decided_by: number | null;
  decided_by_name: string | null;
  decided_at: Timestamp | null;
  reason: string | null;
  handed_to_org_id: number | null;
  version: Generated<number>;
}

/** One person or unit shown on a 公示, masked before it is stored. */
export interface PublicityItem { name: string; unit: string | null; item: string; amountFen: number | null }

/** publicity_notice 公示: a public notice with its window in working days. */
export interface PublicityNoticeTable {
  id: Generated<number>;
  province_code: string;
  entity_type: string;
  entity_id: number;
  org_id: number;
  org_path: string;
  title: string;
  items: ColumnType<PublicityItem[], string, string>;
  working_days: number;
  starts_on: ColumnType<string, string, string>;
  ends_on: ColumnType<string, string, string>;
  status: Generated<string>;
  created_by: number | null;
  created_at: Generated<Date>;
  withdrawn_at: Date | null;
}

/** publicity_objection 公示异议: from the public, contact encrypted. */
export interface PublicityObjectionTable {
  id: Generated<number>;
  province_code: string;
  notice_id: number;
  content: string;
  contact_name: string | null;
  contact_enc: string;
  contact_masked: string;
  status: Generated<string>;
  resolution: string | null;
  resolved_by: number | null;
  resolved_at: Date | null;
  created_at: Generated<Date>;
}

/** job 后台任务: any kind of background work, claimed by one server at a time. */
export interface JobTable {
  id: Generated<number>;
  kind: string;
  payload: ColumnType<Record<string, unknown>, string | undefined, string>;
  status: Generated<string>;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  run_at: ColumnType<Date, Date | string | undefined, Date | string>;
  heartbeat_at: Date | null;
  locked_by: string | null;
  dedupe_key: string | null;
  result: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  error: string | null;
  created_at: Generated<Date>;
  started_at: Date | null;
  finished_at: Date | null;
}

export interface PeriodicTaskTable { name: string; every_ms: number; next_run_at: Date; last_run_at: Date | null; last_error: string | null }
export interface LeaderLeaseTable { name: string; holder: string; expires_at: Date }

/** worker_otp 短信验证码: one live code per phone and purpose, hashed. */
export interface WorkerOtpTable { phone_idx: string; purpose: string; code_hash: string; sent_at: Date; expires_at: Date; attempts: Generated<number> }

/** The timeline of a transfer (workflow kernel). */
export interface MemberTransferEventTable extends EventColumns {
  person_id: number;
  transfer_id: number;
}

/** member_transfer 转会: requested → released (old union, 转出) → accepted (new union, 转入) | rejected. */
export interface MemberTransferTable {
  id: Generated<number>;
  person_id: number;
  from_membership_id: number;
  from_org_id: number;
  to_org_id: number;
  status: string;
  reason: string;
  reject_reason: string | null;
  new_membership_id: number | null;
  created_by: number | null;
  created_at: Generated<Date>;
  released_by: number | null;
  released_at: Timestamp | null;
  decided_by: number | null;
  decided_at: Timestamp | null;
  version: Generated<number>;
}

/** import_job 名册导入任务 (background, resumable: `processed` is committed with each batch). */
export interface ImportJobTable {
  id: Generated<number>;
  kind: string;
  org_id: number;
  created_by: number | null;
  file_name: string;
  file_path: string;
  file_sha256: string;
  status: string;
  total: Generated<number>;
  processed: Generated<number>;
  inserted: Generated<number>;
  updated: Generated<number>;
  skipped: Generated<number>;
  error_count: Generated<number>;
  file_size: Generated<number>;
  failure: string | null;
  attempts: Generated<number>;
  heartbeat_at: Timestamp | null;
  created_at: Generated<Date>;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
}

export interface ImportErrorTable {
  job_id: number;
  row_no: number;
  column_name: string;
  masked_value: string;
  reason: string;
}

export interface Database {
  org: OrgTable;
  app_user: UserTable;
  login_throttle: LoginThrottleTable;
  user_role: UserRoleTable;
  session: SessionTable;
  audit_log: AuditLogTable;
  dictionary_item: DictionaryItemTable;
  calendar_day: CalendarDayTable;
  hotline_ticket: HotlineTicketTable;
  hotline_event: HotlineEventTable;
  notification: NotificationTable;
  notification_read: NotificationReadTable;
  attachment: AttachmentTable;
  worker_account: WorkerAccountTable;
  worker_session: WorkerSessionTable;
  person: PersonTable;
  membership: MembershipTable;
  membership_change: MembershipChangeTable;
  member_count: MemberCountTable;
  member_stat: MemberStatTable;
  join_application: JoinApplicationTable;
  join_application_event: JoinApplicationEventTable;
  member_transfer: MemberTransferTable;
  member_transfer_event: MemberTransferEventTable;
  review_step: ReviewStepTable;
  job: JobTable;
  worker_otp: WorkerOtpTable;
  periodic_task: PeriodicTaskTable;
  leader_lease: LeaderLeaseTable;
  publicity_notice: PublicityNoticeTable;
  publicity_objection: PublicityObjectionTable;
  import_job: ImportJobTable;
  import_error: ImportErrorTable;
}

export type OrgRow = Selectable<OrgTable>;
export type NewOrg = Insertable<OrgTable>;
export type OrgUpdate = Updateable<OrgTable>;
export type UserRow = Selectable<UserTable>;
export type AuditRow = Selectable<AuditLogTable>;
