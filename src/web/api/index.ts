import type { OrgKind, OrgLevel } from '../../common/enums.js';
import { api, ApiError, csrf, qs, workerCsrf, type Page } from './client.js';

export interface Me {
  user: { id: number; username: string; name: string };
  roles: Array<{ orgId: number; orgName: string; role: string }>;
  permissions: string[];
}
export interface Org {
  id: number; parentId: number | null; path: string; depth: number; name: string; level: OrgLevel; kind: OrgKind;
  regionCode: string | null; regionName: string | null; creditCode: string | null; industryOrgId: number | null;
  childCount?: number; version: number; createdAt: string; updatedAt: string;
}
export interface OrgStats {
  orgId: number; orgCount: number; grassrootsCount: number; childCount: number;
  memberCount: number; directMemberCount: number; retainedCount: number; newMembersThisYear: number;
}
export interface User {
  id: number; username: string; name: string; disabled: boolean; locked: boolean; createdAt: string;
  roles: Array<{ id?: number; orgId: number; orgName: string; role: string }>;
}
export interface AuditItem {
  id: number; at: string; actorName: string | null; orgId: number | null; action: string; entityType: string;
  entityId: string | null; before: unknown; after: unknown; requestId: string | null;
}
export interface DictItem { code: string; label: string; sort?: number; enabled?: boolean }
export type OrgInput = { name: string; parentId: number; level: OrgLevel; kind: OrgKind; regionCode: string; creditCode?: string | null; industryOrgId?: number | null };

/** 登录 POST /api/auth/login */
export async function login(username: string, password: string) {
  const r = await api<{ user: Me['user']; csrfToken: string }>('POST', '/api/auth/login', { username, password });
  csrf.set(r.csrfToken);
  return r;
}
/** 退出 POST /api/auth/logout */
export async function logout() {
  await api<void>('POST', '/api/auth/logout');
  csrf.clear();
}
/** 当前账号 GET /api/auth/me */
export const getMe = () => api<Me>('GET', '/api/auth/me');

/** 行政区划 GET /api/regions?parent= (公开): the provinces, or the next level below `parent` */
export const listRegions = (parent?: string) => api<Array<{ code: string; name: string; level: string; leaf: boolean }>>('GET', `/api/regions${qs({ parent })}`);
/** 工会列表 GET /api/orgs */
export const listOrgs = (p: { parentId?: number; q?: string; limit?: number; cursor?: string }) => api<Page<Org>>('GET', `/api/orgs${qs(p)}`);
/** 工会详情 GET /api/orgs/:id */
export const getOrg = (id: number) => api<Org>('GET', `/api/orgs/${id}`);
/** 工会统计 GET /api/orgs/:id/stats */
export const getOrgStats = (id: number) => api<OrgStats>('GET', `/api/orgs/${id}/stats`);
/** 新建工会 POST /api/orgs */
export const createOrg = (body: OrgInput) => api<Org>('POST', '/api/orgs', body);
/** 修改工会 PATCH /api/orgs/:id */
export const updateOrg = (id: number, body: Partial<Omit<OrgInput, 'parentId'>> & { version: number }) => api<Org>('PATCH', `/api/orgs/${id}`, body);
/** 移动工会 POST /api/orgs/:id/move */
export const moveOrg = (id: number, newParentId: number) => api<Org & { movedCount: number }>('POST', `/api/orgs/${id}/move`, { newParentId });

/** 修改本人密码 POST /api/auth/password (其他会话退出) */
export const changeOwnPassword = (currentPassword: string, newPassword: string) => api<void>('POST', '/api/auth/password', { currentPassword, newPassword });
/** 管理员重置密码 POST /api/users/:id/password */
export const resetPassword = (id: number, newPassword: string) => api<void>('POST', `/api/users/${id}/password`, { newPassword });
/** 授予角色 POST /api/users/:id/roles */
export const grantRole = (id: number, body: { orgId: number; role: string }) => api<User>('POST', `/api/users/${id}/roles`, body);
/** 撤销角色 DELETE /api/users/:id/roles/:roleId */
export const revokeRole = (id: number, roleId: number) => api<User>('DELETE', `/api/users/${id}/roles/${roleId}`);
/** 账号列表 GET /api/users */
export const listUsers = (p: { q?: string; cursor?: string; limit?: number }) => api<Page<User>>('GET', `/api/users${qs(p)}`);
/** 新建账号 POST /api/users */
export const createUser = (body: { username: string; name: string; password: string; roles: Array<{ orgId: number; role: string }> }) => api<User>('POST', '/api/users', body);
/** 修改账号 PATCH /api/users/:id */
export const updateUser = (id: number, body: { name?: string; password?: string; disabled?: boolean; unlock?: boolean }) => api<User>('PATCH', `/api/users/${id}`, body);

/** 审计日志 GET /api/audit */
export const listAudit = (p: { cursor?: string; action?: string; limit?: number }) => api<Page<AuditItem>>('GET', `/api/audit${qs(p)}`);

/** 字典类型 GET /api/dictionaries */
export const listDictTypes = () => api<Array<{ type: string; name: string }>>('GET', '/api/dictionaries');
/** 字典项 GET /api/dictionaries/:type */
export const getDict = (type: string, all = false) => api<DictItem[]>('GET', `/api/dictionaries/${type}${qs({ all: all || undefined })}`);
/** 修改字典项 PUT /api/dictionaries/:type/:code */
export const putDictItem = (type: string, code: string, body: { label: string; sort?: number; enabled?: boolean }) => api<DictItem>('PUT', `/api/dictionaries/${type}/${code}`, body);

export type TicketStatus = 'accepted' | 'dispatched' | 'signed' | 'returned' | 'resolved' | 'evaluated' | 'closed';
export interface TicketEvent { id: number; action: string; fromStatus: string | null; toStatus: string | null; actorName: string | null; orgName: string | null; targetOrgName: string | null; note: string | null; at: string }
export interface Ticket {
  id: number; ticketNo: string; channel: string; receivedAt: string; callerName: string; maskedPhone: string; maskedIdNumber: string | null;
  category: string; content: string; employerName: string | null; employerCreditCode: string | null; regionCode: string;
  difficulty: 'general' | 'difficult' | 'complex' | null; status: TicketStatus; deadline: string; overdue: boolean; supervised: boolean; returned: boolean;
  reopenedCount: number; memberId: number | null; acceptOrgId: number; handlingOrgId: number; handlingOrgName: string; result: string | null; amountRecovered: number | null; amountRecoveredFen: number | null;
  satisfaction: string | null; resolvedAt: string | null; resolvedOnTime: boolean | null; abilities?: string[]; events?: TicketEvent[];
}
export interface HotlineStats {
  orgId: number; from: string; to: string; received: number; resolved: number; resolvedOnTime: number; overdue: number; evaluated: number;
  satisfactionRate: number | null; amountRecovered: number; amountRecoveredFen: number;
  byCategory: Array<{ category: string; label: string; received: number; resolved: number }>;
  byOrg: Array<{ orgId: number; orgName: string; received: number; resolved: number; overdue: number }>;
}
export interface LookupResult { ticketNo: string; status: TicketStatus; statusLabel: string; receivedAt: string; deadline: string; resolvedAt: string | null; result: string | null; satisfaction: string | null; canEvaluate: boolean }

/** 受理来电 POST /api/hotline/tickets */
export const createTicket = (body: Record<string, unknown>) => api<Ticket>('POST', '/api/hotline/tickets', body);
/** 工单列表 GET /api/hotline/tickets */
export const listTickets = (p: { status?: string; overdue?: boolean; open?: boolean; supervision?: boolean; orgId?: number; cursor?: string; limit?: number }) => api<Page<Ticket>>('GET', `/api/hotline/tickets${qs(p)}`);
/** 工单详情 GET /api/hotline/tickets/:id */
export const getTicket = (id: number) => api<Ticket>('GET', `/api/hotline/tickets/${id}`);
/** 工单操作 POST /api/hotline/tickets/:id/:action */
export const ticketAction = (id: number, action: string, body: Record<string, unknown>) => api<Ticket>('POST', `/api/hotline/tickets/${id}/${action}`, body);
/** 设置难度 PATCH /api/hotline/tickets/:id */
export const updateTicket = (id: number, body: { difficulty?: string; category?: string }) => api<Ticket>('PATCH', `/api/hotline/tickets/${id}`, body);
/** 热线统计 GET /api/hotline/stats */
export const getHotlineStats = (p: { orgId?: number; from?: string; to?: string }) => api<HotlineStats>('GET', `/api/hotline/stats${qs(p)}`);
export interface Notice { id: number; kind: string; message: string; orgId: number | null; entityType: string; entityId: number; createdAt: string; read: boolean }
/** 站内通知 GET /api/notifications */
export const listNotifications = (p: { unread?: boolean; limit?: number; cursor?: string } = {}) =>
  api<{ items: Notice[]; unreadCount: number; nextCursor: string | null }>('GET', `/api/notifications${qs(p)}`);
/** 标为已读 POST /api/notifications/:id/read */
export const readNotification = (id: number) => api<{ id: number; read: true; unreadCount: number }>('POST', `/api/notifications/${id}/read`);
/** 全部已读 POST /api/notifications/read-all */
export const readAllNotifications = () => api<{ marked: number; unreadCount: number }>('POST', '/api/notifications/read-all');
/** 网上提交诉求 POST /api/hotline/requests (公开) */
export const submitRequest = (body: Record<string, unknown>) => api<{ ticketNo: string; status: string; deadline: string }>('POST', '/api/hotline/requests', body);
/** 查询进度 GET /api/hotline/lookup (公开) */
export const lookupTicket = (ticketNo: string, phone: string) => api<LookupResult>('GET', `/api/hotline/lookup${qs({ ticketNo, phone })}`);
/** 评价 POST /api/hotline/lookup/evaluate (公开) */
export const evaluatePublic = (body: { ticketNo: string; phone: string; satisfaction: string; comment?: string }) => api<LookupResult>('POST', '/api/hotline/lookup/evaluate', body);

export interface CalendarDay { date: string; workday: boolean; name?: string }
/** 日历 GET /api/calendar/days */
export const getCalendarDays = (from: string, to: string) => api<CalendarDay[]>('GET', `/api/calendar/days${qs({ from, to })}`);
/** 设置工作日/休息日 PUT /api/calendar/days/:date */
export const putCalendarDay = (date: string, body: { workday: boolean; name: string | null }) => api<CalendarDay>('PUT', `/api/calendar/days/${date}`, body);

// ---- 会员 members ----
export type MemberStatus = 'active' | 'retained' | 'transferred' | 'expelled' | 'withdrawn';
export interface Member {
  id: number; personId: number; memberNo: string; name: string; idType: string; maskedIdNumber: string; maskedPhone: string;
  birthDate: string | null; gender: string | null; ethnicity: string | null; education: string | null; employmentStatus: string | null;
  householdType: string | null; isMigrantWorker: boolean; groups: string[]; orgId: number; orgName: string; status: MemberStatus;
  joinedOn: string; startedOn: string; endedOn: string | null; channel: string; version: number; createdAt: string;
}
/** A roster row: what `GET /api/members?view=summary` returns for each member. */
export type MemberSummary = Pick<Member, 'id' | 'memberNo' | 'name' | 'maskedIdNumber' | 'maskedPhone' | 'birthDate' | 'gender' | 'orgId' | 'orgName' | 'status' | 'joinedOn'>;
export interface HistoryItem { id: number; membershipId: number; changeType: string; changeTypeLabel: string; reasonCode: string | null; note: string | null; orgId: number; orgName: string; relatedOrgName: string | null; channel: string | null; actorName: string | null; at: string }
export interface MemberCard { memberNo: string; name: string; orgName: string; joinedOn: string; qr: string; token: string; expiresAt: string }

/** 会员列表 GET /api/members?view=summary (the roster table's columns only) */
export const listMembers = (p: { orgId?: number; q?: string; status?: string; cursor?: string; limit?: number }) =>
  api<Page<MemberSummary>>('GET', `/api/members${qs({ ...p, view: 'summary' })}`);
/** 会员详情 GET /api/members/:id */
export const getMember = (id: number) => api<Member>('GET', `/api/members/${id}`);
/** 登记会员 POST /api/members */
export const createMember = (body: Record<string, unknown>) => api<Member>('POST', '/api/members', body);
/** 修改会员 PATCH /api/members/:id */
export const updateMember = (id: number, body: Record<string, unknown>) => api<Member>('PATCH', `/api/members/${id}`, body);
/** 查看完整信息 POST /api/members/:id/reveal */
export const revealMember = (id: number, field: 'idNumber' | 'phone', reason: string) => api<{ field: string; value: string }>('POST', `/api/members/${id}/reveal`, { field, reason });
/** 保留/除名/退会 POST /api/members/:id/leave */
export const leaveMember = (id: number, body: { type: string; reason: string; reasonCode?: string }) => api<Member>('POST', `/api/members/${id}/leave`, body);
/** 会籍变化 GET /api/members/:id/history */
export const memberHistory = (id: number) => api<HistoryItem[]>('GET', `/api/members/${id}/history`);
/** 电子会员证 GET /api/members/:id/card */
export const memberCard = (id: number) => api<MemberCard>('GET', `/api/members/${id}/card`);
/** 本人会员证 POST /api/cards/mine (公开) */
export const myCard = (body: { applicationNo?: string; idType?: string; idNumber?: string; phone: string }) => api<MemberCard>('POST', '/api/cards/mine', body);
/** 核验会员证 GET /api/cards/verify (公开) */
export const verifyCard = (token: string) => api<{ valid: boolean; reason?: string; name?: string; orgName?: string; expiresAt?: string }>('GET', `/api/cards/verify${qs({ token })}`);
/** 全国工会名录 GET /api/org-directory */
export const orgDirectory = (q: string) => api<Array<{ id: number; name: string; regionCode: string | null; level: string }>>('GET', `/api/org-directory${qs({ q })}`);

// ---- 入会申请 join applications ----
export interface JoinApplication {
  /** Pending, and the applicant is already a member somewhere: a transfer, not a new membership. */
  alreadyMember: boolean;
  id: number; applicationNo: string; orgId: number; orgName: string; status: 'pending' | 'approved' | 'rejected'; channel: string; name: string;
  idType: string; maskedIdNumber: string; maskedPhone: string; gender: string | null; birthDate: string | null; employer: string | null;
  occupation: string | null; groups: string[]; rejectReason: string | null; memberId: number | null; decidedAt: string | null; createdAt: string;
  version: number;
  /** The actions the signed-in officer may take now (from the workflow). */
  abilities: Array<'approve' | 'reject' | 'forward'>;
  events?: Array<{ action: string; orgName: string | null; targetOrgName: string | null; note: string | null; actorName: string | null; at: string }>;
}
/** 入会申请列表 GET /api/join-applications */
export const listApplications = (p: { orgId?: number; status?: string; cursor?: string; limit?: number }) => api<Page<JoinApplication>>('GET', `/api/join-applications${qs(p)}`);
/** 审核 POST /api/join-applications/:id/:action */
export const decideApplication = (id: number, action: 'approve' | 'reject' | 'forward', body: Record<string, unknown> = {}) => api<JoinApplication>('POST', `/api/join-applications/${id}/${action}`, body);
/** 申请入会 POST /api/join-applications (公开) */
export const submitApplication = (body: Record<string, unknown>) => api<{ applicationNo: string; status: string; orgName: string; message: string }>('POST', '/api/join-applications', body);
/** 查询申请状态 GET /api/join-applications/status (公开) */
export const applicationStatus = (applicationNo: string, phone: string) => api<{ applicationNo: string; status: string; statusLabel: string; orgName: string; rejectReason: string | null; submittedAt: string }>('GET', `/api/join-applications/status${qs({ applicationNo, phone })}`);
/** 扫码入会页面的工会名称 GET /api/join/orgs/:id (公开) */
export const joinOrg = (id: number) => api<{ id: number; name: string }>('GET', `/api/join/orgs/${id}`);

// ---- 转会 transfers ----
export interface Transfer {
  id: number; personId: number; name: string; maskedIdNumber: string; memberNo: string; fromMemberId: number; fromOrgId: number; fromOrgName: string;
  toOrgId: number; toOrgName: string; status: 'requested' | 'released' | 'accepted' | 'rejected'; reason: string; rejectReason: string | null;
  newMemberId: number | null; createdAt: string; releasedAt: string | null; decidedAt: string | null; abilities: string[];
}
/** 转会列表 GET /api/transfers */
export const listTransfers = (p: { direction?: string; status?: string; cursor?: string; limit?: number }) => api<Page<Transfer>>('GET', `/api/transfers${qs(p)}`);
/** 发起转会 POST /api/transfers */
/** 发起转会 POST /api/transfers: a transfer (by member), or — asked for by identity number — only that a request was sent. */
export const createTransfer = (body: Record<string, unknown>) => api<Transfer | { status: 'sent'; message: string }>('POST', '/api/transfers', body);
/** 转会操作 POST /api/transfers/:id/:action */
export const transferAction = (id: number, action: 'release' | 'accept' | 'reject', body: Record<string, unknown> = {}) => api<Transfer>('POST', `/api/transfers/${id}/${action}`, body);

// ---- 名册 imports ----
export interface ImportJob {
  jobId: number; orgId: number; fileName: string; status: 'queued' | 'running' | 'done' | 'failed'; total: number; processed: number; inserted: number;
  updated: number; skipped: number; errorCount: number; progress: number; failure: string | null; createdAt: string; finishedAt: string | null;
}
/** 导入任务 GET /api/imports */
export const listImports = () => api<ImportJob[]>('GET', '/api/imports');
/** 上传名册 POST /api/imports/members (multipart) */
export async function uploadRoster(orgId: number, file: File): Promise<{ jobId: number }> {
  const fd = new FormData();
  fd.append('file', file, file.name);
  const res = await fetch(`/api/imports/members${qs({ orgId })}`, { method: 'POST', body: fd, credentials: 'same-origin', headers: { 'x-csrf-token': csrf.get() } });
  const data = (await res.json().catch(() => null)) as { jobId?: number; error?: { message: string } } | null;
  if (!res.ok) throw new Error(data?.error?.message ?? `上传失败（${res.status}）`);
  return { jobId: data?.jobId ?? 0 };
}

export interface AttachmentItem { id: number; name: string; size: number; contentType: string; sha256: string; kind: string; kindLabel: string; sensitive: boolean; createdAt: string }
/** 附件列表 GET <entity>/:id/attachments */
export const listAttachments = (entityUrl: string) => api<AttachmentItem[]>('GET', `${entityUrl}/attachments`);
/** 上传附件 POST <entity>/:id/attachments?kind= (multipart) */
export async function uploadAttachment(entityUrl: string, kind: string, file: File): Promise<AttachmentItem> {
  const fd = new FormData();
  fd.append('file', file, file.name);
  const res = await fetch(`${entityUrl}/attachments${qs({ kind })}`, { method: 'POST', body: fd, credentials: 'same-origin', headers: { 'x-csrf-token': csrf.get() } });
  const data = (await res.json().catch(() => null)) as (AttachmentItem & { error?: { message: string } }) | null;
  if (!res.ok || !data) throw new Error(data?.error?.message ?? `上传失败（${res.status}）`);
  return data;
}

/** 健康检查 GET /api/health (public): the engine and whether this is a demo deployment. */
export function getHealth() {
  return api<{ status: 'ok'; database: 'pglite' | 'postgres'; demo: boolean }>('GET', '/api/health');
}

/**
 * 导出完整会员名册 POST /api/exports/members {orgId, reveal: true, reason}: the revealed roster is
 * posted for (never a GET link), then handed to the browser as a download.
 */
export async function downloadRevealedRoster(orgId: number, reason: string): Promise<void> {
  const res = await fetch('/api/exports/members', {
    method: 'POST', credentials: 'same-origin',
    headers: { 'content-type': 'application/json', 'x-csrf-token': csrf.get() },
    body: JSON.stringify({ orgId, reveal: true, reason }),
  });
  if (!res.ok) {
    const err = ((await res.json().catch(() => null)) as { error?: { code: string; message: string } } | null)?.error;
    throw new ApiError(res.status, err?.code ?? 'HTTP_ERROR', err?.message ?? `请求失败（${res.status}）`);
  }
  const name = /filename\*=UTF-8''([^;]+)/.exec(res.headers.get('content-disposition') ?? '')?.[1];
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name ? decodeURIComponent(name) : '会员名册.xlsx';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

// ---- 职工账号 (worker accounts, the phone pages) ----
export interface WorkerMe { id: number; name: string; maskedIdNumber: string; maskedPhone: string; memberNo: string; membership: { orgName: string; joinedOn: string; status: string } | null }
/** 开通账号 POST /api/worker/auth/register (公开) */
export const workerRegister = (body: { idType: string; idNumber: string; phone: string; password: string; smsCode?: string }) => api<WorkerMe>('POST', '/api/worker/auth/register', body);
/** 职工登录 POST /api/worker/auth/login */
export async function workerLogin(phone: string, password: string) {
  const r = await api<{ worker: WorkerMe; csrfToken: string }>('POST', '/api/worker/auth/login', { phone, password });
  workerCsrf.set(r.csrfToken);
  return r.worker;
}
export async function workerLogout() {
  await api<void>('POST', '/api/worker/auth/logout').catch(() => undefined);
  workerCsrf.clear();
}
export const workerMe = () => api<WorkerMe>('GET', '/api/worker/me');
export const workerCard = () => api<MemberCard>('GET', '/api/worker/card');
export const workerNotifications = () => api<{ items: Notice[]; unreadCount: number; nextCursor: string | null }>('GET', '/api/worker/notifications?limit=20');
export interface MyApplication { applicationNo: string; status: string; statusLabel: string; orgName: string; rejectReason: string | null; submittedAt: string; decidedAt: string | null }
export interface MyRequest {
  ticketNo: string; category: string; categoryLabel: string; status: string; statusLabel: string; receivedAt: string; deadline: string;
  resolvedAt: string | null; result: string | null; satisfaction: string | null; canEvaluate: boolean;
}
/** 我的入会申请 GET /api/worker/applications */
export const workerApplications = () => api<{ items: MyApplication[] }>('GET', '/api/worker/applications');
/** 我的维权诉求 GET /api/worker/hotline-requests */
export const workerRequests = () => api<{ items: MyRequest[] }>('GET', '/api/worker/hotline-requests');
/** 开通账号需要短信验证码吗 GET /api/worker/auth/options */
export const workerOptions = () => api<{ smsCode: boolean }>('GET', '/api/worker/auth/options');
/** 获取短信验证码 POST /api/worker/auth/sms-code */
export const workerSmsCode = (phone: string) => api<{ message: string }>('POST', '/api/worker/auth/sms-code', { phone });
export const workerReadAll = () => api<{ marked: number; unreadCount: number }>('POST', '/api/worker/notifications/read-all');

// ---- 逐级审核 review chains ----
export type ReviewAction = 'approve' | 'return' | 'reject' | 'handover';
export interface ReviewStep {
  id: number; entityType: string; entityLabel: string; entityId: number; page: string | null; summary: string; round: number; seq: number;
  orgId: number; orgName: string; status: string; statusLabel: string; startedAt: string; deadline: string; overdue: boolean;
  decidedAt: string | null; decidedByName: string | null; reason: string | null; handedToOrgId: number | null; version: number; abilities: ReviewAction[];
}
/** 待审核 GET /api/reviews */
export const listReviews = (p: { overdue?: boolean; entityType?: string; cursor?: string; limit?: number }) => api<Page<ReviewStep>>('GET', `/api/reviews${qs(p)}`);
/** 审核环节详情 GET /api/reviews/:id */
export const getReview = (id: number) => api<ReviewStep & { history: ReviewStep[] }>('GET', `/api/reviews/${id}`);
/** 审核 POST /api/reviews/:id/:action */
export const reviewAction = (id: number, action: ReviewAction, body: Record<string, unknown>) => api<ReviewStep>('POST', `/api/reviews/${id}/${action}`, body);

// ---- 公示 public notices ----
export interface PublicNotice {
  id: number; entityType: string; entityLabel: string; orgId: number; orgName: string; title: string;
  items: Array<{ name: string; unit: string | null; item: string; amountFen: number | null }>;
  workingDays: number; startsOn: string; endsOn: string; running: boolean; status: string;
}
/** 某工会的公示 GET /api/publicity?orgId= (公开) */
export const publicNotices = (orgId: number) => api<{ items: PublicNotice[] }>('GET', `/api/publicity${qs({ orgId })}`);
/** 提出异议 POST /api/publicity/:id/objections (公开) */
export const objectToNotice = (id: number, body: { content: string; contactName?: string; contactPhone: string }) => api<{ id: number; status: 'open'; message: string }>('POST', `/api/publicity/${id}/objections`, body);
