import { Readable } from 'node:stream';
import { systemActor } from '../../src/server/platform/audit.js';
import { systemCaller } from '../../src/server/platform/caller.js';
import { makeUnionCreditCode } from '../../src/server/platform/credit-code.js';
import { login, type TestApp, type Tree } from './app.js';
import { mobile, residentId } from './ids.js';
import { multipartFile } from './multipart.js';

/**
 * The leak table (数据权限): for every /api route, how a county officer (和平区) could reach a row of
 * another county (大连中山区) through it, and what must answer instead. The leak test reads the
 * real app's route table: a route missing here fails it. A module that adds routes adds its rows.
 *
 * - `id`: the request with the other county's id must answer exactly as with an id that does not
 *   exist (same status, same body): the officer cannot tell "not yours" from "not there".
 * - `list`: a list the officer may read must not carry any of the other county's rows.
 * - `none`: the route takes no id of a scoped row; the reason says why.
 */
export type Leak =
  | { id: (o: OtherCounty, id: number) => LeakRequest; of: (o: OtherCounty) => number }
  | { list: (o: OtherCounty) => LeakRequest; rows: (body: unknown) => number[]; of: (o: OtherCounty) => number | number[] }
  | { none: string };

export interface LeakRequest { method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'; url: string; payload?: unknown; headers?: Record<string, string> }

/** Rows of 大连中山区, made by its own officers or by the system, that 和平区 must never reach. */
export interface OtherCounty {
  /** The officer's own county (和平区), for the parts of a request that are the officer's own. */
  home: number;
  county: number; union: number; secondUnion: number; userId: number; roleId: number;
  ticketId: number; memberId: number; applicationId: number; transferId: number; importJobId: number;
  /** The 督办 notice to 中山区 about its ticket. */
  notificationId: number;
  /** A file of that ticket. */
  attachmentId: number;
  /** A pending review step at 中山区 (a chain the leak test registers). */
  reviewStepId: number;
  /** A 公示 of 中山区 with an objection (a kind the leak test registers). */
  noticeId: number;
  objectionId: number;
}

/** An id no row has. */
export const MISSING = 2_000_000_000;

const get = (url: string): LeakRequest => ({ method: 'GET', url });
const post = (url: string, payload: unknown = {}): LeakRequest => ({ method: 'POST', url, payload });
const items = (body: unknown) => ((body as { items?: Array<{ id: number }> }).items ?? []).map((r) => r.id);

const person = (seq: number) => ({ name: '周立新', idType: 'resident_id', idNumber: residentId(seq, '210202', '19880808'), phone: mobile(seq) });
const ticketAction = (action: string, payload: unknown): Leak => ({ of: (o) => o.ticketId, id: (_o, id) => post(`/api/hotline/tickets/${id}/${action}`, payload) });

export const LEAKS: Record<string, Leak> = {
  'GET /api/health': { none: 'public status of the server' },
  'POST /api/auth/login': { none: 'signs in' },
  'POST /api/auth/logout': { none: 'ends the own session' },
  'GET /api/auth/me': { none: 'the own account' },
  'POST /api/auth/password': { none: 'changes the own password' },

  'GET /api/users': { list: () => get('/api/users?limit=200'), rows: items, of: (o) => o.userId },
  'POST /api/users': { of: (o) => o.county, id: (_o, id) => post('/api/users', { username: `leak${id % 997}`, name: '越权', password: 'Qv#8mZt2!pLw9', roles: [{ orgId: id, role: 'viewer' }] }) },
  'GET /api/users/:id': { of: (o) => o.userId, id: (_o, id) => get(`/api/users/${id}`) },
  'POST /api/users/:id/password': { of: (o) => o.userId, id: (_o, id) => post(`/api/users/${id}/password`, { newPassword: 'Reset#Leak2026x' }) },
  'PATCH /api/users/:id': { of: (o) => o.userId, id: (_o, id) => ({ method: 'PATCH', url: `/api/users/${id}`, payload: { disabled: true } }) },
  'POST /api/users/:id/roles': { of: (o) => o.userId, id: (o, id) => post(`/api/users/${id}/roles`, { orgId: o.home, role: 'viewer' }) },
  'DELETE /api/users/:id/roles/:roleId': { of: (o) => o.roleId, id: (o, id) => ({ method: 'DELETE', url: `/api/users/${id === MISSING ? MISSING : o.userId}/roles/${id}` }) },

  'POST /api/orgs': { of: (o) => o.county, id: (_o, id) => post('/api/orgs', { parentId: id, name: '越权新建工会', level: 'grassroots', kind: 'grassroots', regionCode: '210202' }) },
  'GET /api/orgs': { list: () => get('/api/orgs?q=中山区'), rows: items, of: (o) => o.county },
  'GET /api/regions': { none: 'public: the national list of administrative divisions' },
  'GET /api/org-directory': { none: 'the national directory of union names, by design (transfers, forwarding)' },
  'GET /api/orgs/:id': { of: (o) => o.county, id: (_o, id) => get(`/api/orgs/${id}`) },
  'PATCH /api/orgs/:id': { of: (o) => o.union, id: (_o, id) => ({ method: 'PATCH', url: `/api/orgs/${id}`, payload: { name: '越权改名工会' } }) },
  'POST /api/orgs/:id/move': { of: (o) => o.union, id: (_o, id) => post(`/api/orgs/${id}/move`, { newParentId: id }) },
  'GET /api/orgs/:id/stats': { of: (o) => o.county, id: (_o, id) => get(`/api/orgs/${id}/stats`) },
  'GET /api/orgs/:id/join-qrcode': { of: (o) => o.union, id: (_o, id) => get(`/api/orgs/${id}/join-qrcode`) },

  'GET /api/dictionaries': { none: 'national code lists, public' },
  'GET /api/dictionaries/:type': { none: 'national code lists, public' },
  'PUT /api/dictionaries/:type/:code': { none: 'national data, root union only' },
  'GET /api/audit': { list: () => get('/api/audit?limit=200'), rows: (b) => ((b as { items?: Array<{ orgId: number | null }> }).items ?? []).map((r) => r.orgId ?? 0), of: (o) => [o.county, o.union, o.secondUnion] },
  'GET /api/calendar/days': { none: 'the national holiday calendar' },
  'PUT /api/calendar/days/:date': { none: 'national data, root union only' },
  'GET /api/calendar/deadline': { none: 'a computation on the calendar' },

  'POST /api/hotline/tickets': { none: 'the agent takes a call in the own union' },
  'POST /api/hotline/requests': { none: 'public: a worker files a request' },
  'GET /api/hotline/tickets': { list: () => get('/api/hotline/tickets?limit=200'), rows: items, of: (o) => o.ticketId },
  'GET /api/hotline/tickets?orgId': { of: (o) => o.county, id: (_o, id) => get(`/api/hotline/tickets?orgId=${id}`) },
  'GET /api/hotline/tickets/:id': { of: (o) => o.ticketId, id: (_o, id) => get(`/api/hotline/tickets/${id}`) },
  'PATCH /api/hotline/tickets/:id': { of: (o) => o.ticketId, id: (_o, id) => ({ method: 'PATCH', url: `/api/hotline/tickets/${id}`, payload: { difficulty: 'difficult' } }) },
  'POST /api/hotline/tickets/:id/dispatch': { of: (o) => o.ticketId, id: (o, id) => post(`/api/hotline/tickets/${id}/dispatch`, { orgId: o.county }) },
  'POST /api/hotline/tickets/:id/sign': ticketAction('sign', {}),
  'POST /api/hotline/tickets/:id/return': ticketAction('return', { reason: '不属本级' }),
  'POST /api/hotline/tickets/:id/resolve': ticketAction('resolve', { result: '已处理完毕' }),
  'POST /api/hotline/tickets/:id/supervise': ticketAction('supervise', { note: '请加快办理' }),
  'POST /api/hotline/tickets/:id/evaluate': ticketAction('evaluate', { satisfaction: 'satisfied' }),
  'POST /api/hotline/tickets/:id/close': ticketAction('close', {}),
  'POST /api/hotline/tickets/:id/reopen': ticketAction('reopen', { reason: '来电人不满意' }),
  'GET /api/hotline/lookup': { none: 'public: by ticket number and the caller\'s phone together' },
  'POST /api/hotline/lookup/evaluate': { none: 'public: by ticket number and the caller\'s phone together' },
  'GET /api/hotline/stats': { of: (o) => o.county, id: (_o, id) => get(`/api/hotline/stats?orgId=${id}`) },
  'POST /api/hotline/tickets/:id/attachments': {
    of: (o) => o.ticketId,
    id: (_o, id) => {
      const mp = multipartFile('证据.pdf', Buffer.from('%PDF-1.4\n%%EOF\n'));
      return { method: 'POST', url: `/api/hotline/tickets/${id}/attachments`, payload: mp.payload, headers: mp.headers };
    },
  },
  'GET /api/hotline/tickets/:id/attachments': { of: (o) => o.ticketId, id: (_o, id) => get(`/api/hotline/tickets/${id}/attachments`) },
  'GET /api/attachments/:id': { of: (o) => o.attachmentId, id: (_o, id) => get(`/api/attachments/${id}`) },
  'POST /api/worker/auth/register': { none: 'public: a worker proves their own identity and phone together' },
  'POST /api/worker/auth/login': { none: 'signs a worker in' },
  'POST /api/worker/auth/logout': { none: 'a worker\'s own, by their worker session; an officer session gets 401 (worker-accounts.api.test)' },
  'GET /api/worker/me': { none: 'a worker\'s own, by their worker session; an officer session gets 401 (worker-accounts.api.test)' },
  'GET /api/worker/card': { none: 'a worker\'s own, by their worker session; an officer session gets 401 (worker-accounts.api.test)' },
  'GET /api/worker/auth/options': { none: 'public: whether the code step is on' },
  'POST /api/worker/auth/sms-code': { none: 'public: sends a code to a phone, answering alike for every phone' },
  'GET /api/worker/applications': { none: 'a worker\'s own, by their worker session; an officer session gets 401 (worker-accounts.api.test)' },
  'GET /api/worker/hotline-requests': { none: 'a worker\'s own, by their worker session; an officer session gets 401 (worker-accounts.api.test)' },
  'GET /api/worker/notifications': { none: 'a worker\'s own, by their worker session; an officer session gets 401 (worker-accounts.api.test)' },
  'POST /api/worker/notifications/:id/read': { none: 'a worker\'s own, by their worker session; an officer session gets 401 (worker-accounts.api.test)' },
  'POST /api/worker/notifications/read-all': { none: 'a worker\'s own, by their worker session; an officer session gets 401 (worker-accounts.api.test)' },
  'GET /api/notifications': { list: () => get('/api/notifications?limit=200'), rows: items, of: (o) => o.notificationId },
  'GET /api/notifications?unread': { list: () => get('/api/notifications?unread=true&limit=200'), rows: items, of: (o) => o.notificationId },
  'POST /api/notifications/:id/read': { of: (o) => o.notificationId, id: (_o, id) => post(`/api/notifications/${id}/read`) },
  'GET /api/reviews': { list: () => get('/api/reviews?limit=200'), rows: items, of: (o) => o.reviewStepId },
  'GET /api/reviews/:id': { of: (o) => o.reviewStepId, id: (_o, id) => get(`/api/reviews/${id}`) },
  'POST /api/reviews/:id/approve': { of: (o) => o.reviewStepId, id: (_o, id) => post(`/api/reviews/${id}/approve`, {}) },
  'POST /api/reviews/:id/return': { of: (o) => o.reviewStepId, id: (_o, id) => post(`/api/reviews/${id}/return`, { reason: '越权退回' }) },
  'POST /api/reviews/:id/reject': { of: (o) => o.reviewStepId, id: (_o, id) => post(`/api/reviews/${id}/reject`, { reason: '越权驳回' }) },
  'POST /api/reviews/:id/handover': { of: (o) => o.reviewStepId, id: (o, id) => post(`/api/reviews/${id}/handover`, { orgId: o.home, reason: '越权转办' }) },
  'GET /api/publicity': { none: 'public notices of a union by id: published for anyone to read (names masked)' },
  'POST /api/publicity/:id/objections': { none: 'anyone may object to a public notice (public, rate limited)' },
  'GET /api/publicity/notices': { list: () => get('/api/publicity/notices?limit=200'), rows: items, of: (o) => o.noticeId },
  'GET /api/publicity/notices/:id': { of: (o) => o.noticeId, id: (_o, id) => get(`/api/publicity/notices/${id}`) },
  'POST /api/publicity/objections/:id/resolve': { of: (o) => o.objectionId, id: (_o, id) => post(`/api/publicity/objections/${id}/resolve`, { resolution: '越权处理' }) },
  'POST /api/publicity/objections/:id/reveal': { of: (o) => o.objectionId, id: (_o, id) => post(`/api/publicity/objections/${id}/reveal`, { reason: '越权查看' }) },
  'POST /api/notifications/read-all': { none: 'marks the own notices read (the other county\'s stay unread: notifications.api.test)' },

  'POST /api/members': { of: (o) => o.union, id: (_o, id) => post('/api/members', { orgId: id, ...person(900 + (id % 50)) }) },
  'GET /api/members': { list: () => get('/api/members?status=all&limit=200'), rows: items, of: (o) => o.memberId },
  'GET /api/members?orgId': { of: (o) => o.union, id: (_o, id) => get(`/api/members?orgId=${id}`) },
  'GET /api/members/:id': { of: (o) => o.memberId, id: (_o, id) => get(`/api/members/${id}`) },
  'PATCH /api/members/:id': { of: (o) => o.memberId, id: (_o, id) => ({ method: 'PATCH', url: `/api/members/${id}`, payload: { version: 1, name: '改名' } }) },
  'POST /api/members/:id/reveal': { of: (o) => o.memberId, id: (_o, id) => post(`/api/members/${id}/reveal`, { field: 'idNumber', reason: '核对身份' }) },
  'POST /api/members/:id/leave': { of: (o) => o.memberId, id: (_o, id) => post(`/api/members/${id}/leave`, { type: 'withdraw', reason: '本人申请' }) },
  'GET /api/members/:id/history': { of: (o) => o.memberId, id: (_o, id) => get(`/api/members/${id}/history`) },
  'GET /api/members/:id/card': { of: (o) => o.memberId, id: (_o, id) => get(`/api/members/${id}/card`) },
  'POST /api/cards/mine': { none: 'public: the member\'s own card, by identity number and phone together' },
  'GET /api/cards/verify': { none: 'public: checks a signed card token' },

  'POST /api/join-applications': { none: 'public: a worker applies to any union' },
  'GET /api/join-applications/status': { none: 'public: by application number and phone together' },
  'GET /api/join-applications': { list: () => get('/api/join-applications?limit=200'), rows: items, of: (o) => o.applicationId },
  'GET /api/join-applications?orgId': { of: (o) => o.union, id: (_o, id) => get(`/api/join-applications?orgId=${id}`) },
  'GET /api/join-applications/:id': { of: (o) => o.applicationId, id: (_o, id) => get(`/api/join-applications/${id}`) },
  'POST /api/join-applications/:id/approve': { of: (o) => o.applicationId, id: (_o, id) => post(`/api/join-applications/${id}/approve`) },
  'POST /api/join-applications/:id/reject': { of: (o) => o.applicationId, id: (_o, id) => post(`/api/join-applications/${id}/reject`, { reason: '材料不全' }) },
  'POST /api/join-applications/:id/forward': { of: (o) => o.applicationId, id: (o, id) => post(`/api/join-applications/${id}/forward`, { toOrgId: o.county, reason: '转至所在地工会' }) },
  'GET /api/join/orgs/:id': { none: 'public: the join page of any union, by design' },

  'POST /api/transfers': { of: (o) => o.memberId, id: (o, id) => post('/api/transfers', { memberId: id, toOrgId: o.county, reason: '劳动关系变动' }) },
  'GET /api/transfers': { list: () => get('/api/transfers?limit=200'), rows: items, of: (o) => o.transferId },
  'GET /api/transfers/:id': { of: (o) => o.transferId, id: (_o, id) => get(`/api/transfers/${id}`) },
  'POST /api/transfers/:id/release': { of: (o) => o.transferId, id: (_o, id) => post(`/api/transfers/${id}/release`) },
  'POST /api/transfers/:id/accept': { of: (o) => o.transferId, id: (_o, id) => post(`/api/transfers/${id}/accept`) },
  'POST /api/transfers/:id/reject': { of: (o) => o.transferId, id: (_o, id) => post(`/api/transfers/${id}/reject`, { reason: '不同意转入' }) },

  'GET /api/imports/members/template': { none: 'the blank roster template' },
  'POST /api/imports/members': {
    of: (o) => o.union,
    id: (_o, id) => {
      const mp = multipartFile('roster.csv', Buffer.from('姓名*,证件类型,证件号码*,手机号码*\n'));
      return { method: 'POST', url: `/api/imports/members?orgId=${id}`, payload: mp.payload, headers: mp.headers };
    },
  },
  'GET /api/imports': { list: () => get('/api/imports'), rows: (b) => ((b as Array<{ jobId: number }>) ?? []).map((j) => j.jobId), of: (o) => o.importJobId },
  'GET /api/imports/:id': { of: (o) => o.importJobId, id: (_o, id) => get(`/api/imports/${id}`) },
  'GET /api/imports/:id/errors.xlsx': { of: (o) => o.importJobId, id: (_o, id) => get(`/api/imports/${id}/errors.xlsx`) },
  'GET /api/exports/members': { of: (o) => o.union, id: (_o, id) => get(`/api/exports/members?orgId=${id}`) },
  'POST /api/exports/members': { of: (o) => o.union, id: (_o, id) => post('/api/exports/members', { orgId: id, reveal: true, reason: '年度核对' }) },
};

/** Makes the other county's rows through the real services and routes, as its own officers would. */
export async function makeOtherCounty(t: TestApp, tree: Tree): Promise<OtherCounty> {
  const sys = systemCaller(systemActor);
  const secondUnion = (await t.services.orgs.create(sys, {
    parentId: tree.zhongshan, name: '中山区港湾物流有限公司工会委员会', level: 'grassroots', kind: 'grassroots', regionCode: '210202', creditCode: makeUnionCreditCode('1', '210202', 77),
  })).id;
  const zs = await login(t.app, 'zhongshan');
  const agent = await login(t.app, 'agent');
  const user = (await zs.get('/api/users?q=zhongshan_officer')).json().items[0] as { id: number; roles: Array<{ id: number }> };
  const m = await zs.post('/api/members', { orgId: tree.zhongshanCompany, ...person(801), joinedOn: '2024-03-01' });
  if (m.statusCode !== 201) throw new Error(`member: ${m.body}`);
  const moving = await zs.post('/api/members', { orgId: tree.zhongshanCompany, ...person(802), joinedOn: '2024-03-01' });
  const tr = await zs.post('/api/transfers', { memberId: moving.json().id, toOrgId: secondUnion, reason: '调至港湾物流' });
  if (tr.statusCode !== 201 && tr.statusCode !== 200) throw new Error(`transfer: ${tr.statusCode} ${tr.body}`);
  const ap = await t.app.inject({
    method: 'POST', url: '/api/join-applications', remoteAddress: '10.77.0.1',
    payload: { orgId: tree.zhongshanCompany, ...person(803), employer: '中山区港湾物流', occupation: '装卸工', groups: [], channel: 'qr' },
  });
  if (ap.statusCode !== 201) throw new Error(`application: ${ap.body}`);
  const applicationId = ((await zs.get('/api/join-applications?limit=5')).json().items[0] as { id: number }).id;
  const tk = await agent.post('/api/hotline/tickets', {
    channel: 'phone', caller: { name: '周师傅', phone: mobile(804) }, category: 'wage_arrears', content: '大连中山区某物流公司拖欠两个月工资', regionCode: '210202', difficulty: 'general',
  });
  if (tk.statusCode !== 201) throw new Error(`ticket: ${tk.body}`);
  const ticketId = tk.json().id as number;
  const d = await agent.post(`/api/hotline/tickets/${ticketId}/dispatch`, { orgId: tree.zhongshan });
  if (d.statusCode !== 200) throw new Error(`dispatch: ${d.body}`);
  const sv = await agent.post(`/api/hotline/tickets/${ticketId}/supervise`, { note: '请加快办理' });
  if (sv.statusCode !== 200) throw new Error(`supervise: ${sv.body}`);
  const notice = ((await zs.get('/api/notifications')).json() as { items: Array<{ id: number; entityId: number }> }).items.find((n) => n.entityId === ticketId);
  if (!notice) throw new Error('no notice to 中山区');
  const file = multipartFile('中山区证据.pdf', Buffer.from('%PDF-1.4\n% 中山区\n%%EOF\n'));
  const up = await t.app.inject({ method: 'POST', url: `/api/hotline/tickets/${ticketId}/attachments`, payload: file.payload, headers: { ...file.headers, cookie: zs.cookie, 'x-csrf-token': zs.csrf } });
  if (up.statusCode !== 201) throw new Error(`attachment: ${up.body}`);
  // a review step at 中山区, of a chain registered for the leak test (the services register theirs)
  t.services.reviews.register({ entityType: 'leak_case', label: '越权测试', permission: 'member.manage', top: () => 'city', deadline: 'working_days:5', onDecided: async () => {} });
  const zsOrg = (await t.services.orgs.publicInfo({ id: tree.zhongshan }))!;
  const reviewStepId = await t.db.db.transaction().execute((trx) => t.services.reviews.start(trx, {
    entityType: 'leak_case', entityId: 1, provinceCode: '21', org: { id: zsOrg.id, path: zsOrg.path }, summary: '中山区的审核事项', submittedBy: null,
  }));
  t.services.publicity.register('leak_case', { label: '越权测试', permission: 'member.manage' });
  const publicNotice = await t.db.db.transaction().execute((trx) => t.services.publicity.publish(trx, {
    entityType: 'leak_case', entityId: 1, provinceCode: '21', org: { id: zsOrg.id, path: zsOrg.path }, title: '中山区公示',
    items: [{ name: '周立新', item: '测试', amountFen: 100 }], workingDays: 5, createdBy: null,
  }));
  const objection = await t.services.publicity.object(publicNotice.id, { content: '中山区公示的异议', contactPhone: mobile(805) }, systemActor);
  const job = await t.services.imports.enqueue(systemCaller({ ...systemActor, userId: user.id }), tree.zhongshanCompany, 'roster.csv', Readable.from([Buffer.from('姓名*,证件类型,证件号码*,手机号码*\n')]));
  return {
    home: tree.heping, county: tree.zhongshan, union: tree.zhongshanCompany, secondUnion, userId: user.id, roleId: user.roles[0]?.id ?? 0,
    ticketId, memberId: m.json().id, applicationId, transferId: tr.json().id, importJobId: job.jobId, notificationId: notice.id, attachmentId: up.json().id, reviewStepId, noticeId: publicNotice.id, objectionId: objection.id,
  };
}
