import { PassThrough } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/multipart';
import QRCode from 'qrcode';
import { Type } from 'typebox';
import { requestActor, requestCaller } from '../../platform/auth.js';
import { appError, invalidField } from '../../platform/errors.js';
import { ErrorResponse, IntId, publicBaseUrl } from '../../platform/http.js';
import { scopeContains } from '../../platform/scope.js';
import type { OrgService } from '../orgs/service.js';
import type { JoinService } from './applications.js';
import type { ImportService } from './imports.js';
import {
  Application, ApplicationList, ApplicationStatus, ApplicationStatusQuery, Card, CardLookupBody, CardVerify, CreateMemberBody, CreateTransferBody, ForwardBody,
  HistoryItem, ImportJob, LeaveBody, ListApplicationsQuery, ListMembersQuery, ListTransfersQuery, Member, MemberList, MemberParams, RejectBody, RevealBody,
  SubmitApplicationBody, Transfer, TransferList, UpdateMemberBody,
} from './schemas.js';
import type { MemberService } from './service.js';
import type { TransferService } from './transfers.js';

export interface MemberRouteDeps {
  members: MemberService; joins: JoinService; transfers: TransferService; imports: ImportService; orgs: OrgService; publicUrl: string | undefined;
}


const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** A file answer (xlsx, png): documented as binary, sent as a Buffer or stream. */
const Binary = Type.Unsafe<unknown>({ type: 'string', format: 'binary' });
const attachment = (name: string) => `attachment; filename="${encodeURIComponent(name).replace(/%[0-9A-F]{2}/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;

/** /api/members, /api/join-applications, /api/transfers, /api/cards, /api/imports, /api/exports — 会员实名制. */
export const memberRoutes: FastifyPluginAsyncTypebox<MemberRouteDeps> = async (app, { members, joins, transfers, imports, orgs, publicUrl }) => {
  const errors = { 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse };
  const baseUrl = (req: FastifyRequest) => publicBaseUrl(publicUrl, req);
  const Id = MemberParams;
  const OrgParams = Type.Object({ id: IntId() });

  // ---- members 会员 ----
  app.post('/api/members', {
    config: { access: { permission: 'member.manage' } },
    schema: { tags: ['members'], summary: '登记会员（流动窗口入会）', body: CreateMemberBody, response: { 201: Member, ...errors } },
  }, async (req, reply) => reply.code(201).send(await members.create(requestCaller(req), req.body)));

  app.get('/api/members', {
    config: { access: { permission: 'member.read' } },
    schema: { tags: ['members'], summary: '会员列表与搜索（本级及下级）', querystring: ListMembersQuery, response: { 200: MemberList, 400: ErrorResponse, 404: ErrorResponse } },
  }, async (req) => members.list(requestCaller(req), req.query));

  app.get('/api/members/:id', {
    config: { access: { permission: 'member.read' } },
    schema: { tags: ['members'], summary: '会员详情（证件号、手机号脱敏）', params: Id, response: { 200: Member, 404: ErrorResponse } },
  }, async (req) => members.get(requestCaller(req), req.params.id));

  app.patch('/api/members/:id', {
    config: { access: { permission: 'member.manage' } },
    schema: { tags: ['members'], summary: '修改会员资料', params: Id, body: UpdateMemberBody, response: { 200: Member, ...errors } },
  }, async (req) => members.update(requestCaller(req), req.params.id, req.body));

  app.post('/api/members/:id/reveal', {
    config: { access: { permission: 'member.reveal' } },
    schema: {
      tags: ['members'], summary: '查看完整证件号或手机号（须填写事由，记入审计）', params: Id, body: RevealBody,
      response: { 200: Type.Object({ field: Type.String(), value: Type.String() }), ...errors },
    },
  }, async (req) => members.reveal(requestCaller(req), req.params.id, req.body.field, req.body.reason));

  app.post('/api/members/:id/leave', {
    config: { access: { permission: 'member.manage' } },
    schema: { tags: ['members'], summary: '保留会籍 / 除名 / 退会', params: Id, body: LeaveBody, response: { 200: Member, ...errors } },
  }, async (req) => members.leave(requestCaller(req), req.params.id, req.body));

  app.get('/api/members/:id/history', {
    config: { access: { permission: 'member.read' } },
    schema: { tags: ['members'], summary: '会籍变化记录', params: Id, response: { 200: Type.Array(HistoryItem), 404: ErrorResponse } },
  }, async (req) => members.history(requestCaller(req), req.params.id));

  app.get('/api/members/:id/card', {
    config: { access: { permission: 'member.read' } },
    schema: { tags: ['members'], summary: '电子会员证（二维码带签名，10 分钟内有效）', params: Id, response: { 200: Card, 404: ErrorResponse, 422: ErrorResponse } },
  }, async (req) => members.card(requestCaller(req), req.params.id, baseUrl(req)));

  app.post('/api/cards/mine', {
    config: { access: { public: true }, rateLimit: { max: 20, timeWindow: '10 minutes' } },
    schema: { tags: ['members'], summary: '职工查看本人电子会员证（申请编号或证件号 + 手机号，公开，限流）', body: CardLookupBody, response: { 200: Card, 404: ErrorResponse, 429: ErrorResponse } },
  }, async (req) => members.publicCard(req.body, baseUrl(req)));

  app.get('/api/cards/verify', {
    config: { access: { public: true }, rateLimit: { max: 120, timeWindow: '1 minute' } },
    schema: {
      tags: ['members'], summary: '核验会员证二维码（公开，不返回个人敏感信息）',
      querystring: Type.Object({ token: Type.String({ maxLength: 200 }) }, { additionalProperties: false }), response: { 200: CardVerify, 429: ErrorResponse },
    },
  }, async (req) => members.verifyCard(req.query.token));

  // ---- join applications 入会申请 ----
  app.post('/api/join-applications', {
    config: { access: { public: true }, rateLimit: { max: 10, timeWindow: '1 hour' } },
    schema: {
      tags: ['join'], summary: '职工申请入会（网上 / 扫码，公开，限流）', body: SubmitApplicationBody,
      response: { 201: Type.Object({ applicationNo: Type.String(), status: Type.Literal('pending'), orgName: Type.String(), message: Type.String() }), 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse, 429: ErrorResponse },
    },
  }, async (req, reply) => reply.code(201).send(await joins.submit(req.body, requestActor(req))));

  app.get('/api/join-applications/status', {
    config: { access: { public: true }, rateLimit: { max: 30, timeWindow: '1 minute' } },
    schema: { tags: ['join'], summary: '按申请编号和手机号查询审核状态（公开）', querystring: ApplicationStatusQuery, response: { 200: ApplicationStatus, 404: ErrorResponse, 429: ErrorResponse } },
  }, async (req) => joins.status(req.query.applicationNo, req.query.phone));

  app.get('/api/join-applications', {
    config: { access: { permission: 'member.read' } },
    schema: { tags: ['join'], summary: '入会申请列表', querystring: ListApplicationsQuery, response: { 200: ApplicationList, 400: ErrorResponse, 404: ErrorResponse } },
  }, async (req) => joins.list(requestCaller(req), req.query));

  app.get('/api/join-applications/:id', {
    config: { access: { permission: 'member.read' } },
    schema: { tags: ['join'], summary: '入会申请详情', params: Id, response: { 200: Application, 404: ErrorResponse } },
  }, async (req) => joins.get(requestCaller(req), req.params.id));

  app.post('/api/join-applications/:id/approve', {
    config: { access: { permission: 'member.manage' } },
    schema: { tags: ['join'], summary: '审核通过（建立会籍）', params: Id, response: { 200: Application, ...errors } },
  }, async (req) => joins.approve(requestCaller(req), req.params.id));

  app.post('/api/join-applications/:id/reject', {
    config: { access: { permission: 'member.manage' } },
    schema: { tags: ['join'], summary: '审核不通过（须说明原因）', params: Id, body: RejectBody, response: { 200: Application, ...errors } },
  }, async (req) => joins.reject(requestCaller(req), req.params.id, req.body.reason));

  app.post('/api/join-applications/:id/forward', {
    config: { access: { permission: 'member.manage' } },
    schema: { tags: ['join'], summary: '转办给其他工会', params: Id, body: ForwardBody, response: { 200: Application, ...errors } },
  }, async (req) => joins.forward(requestCaller(req), req.params.id, req.body.toOrgId, req.body.reason));

  app.get('/api/join/orgs/:id', {
    config: { access: { public: true }, rateLimit: { max: 60, timeWindow: '1 minute' } },
    schema: { tags: ['join'], summary: '扫码入会页面显示的工会名称（公开）', params: OrgParams, response: { 200: Type.Object({ id: Type.Integer(), name: Type.String() }), 404: ErrorResponse } },
  }, async (req) => {
    const org = await orgs.publicInfo({ id: req.params.id });
    if (!org) throw appError('ORG_NOT_FOUND');
    return { id: org.id, name: org.name };
  });

  app.get('/api/orgs/:id/join-qrcode', {
    config: { access: { permission: 'org.read' } },
    schema: { tags: ['orgs'], summary: '本工会扫码入会二维码（PNG）', params: OrgParams, produces: ['image/png'], response: { 200: Binary, 404: ErrorResponse } },
  }, async (req, reply) => {
    const org = await orgs.get(requestCaller(req), req.params.id);
    const png = await QRCode.toBuffer(`${baseUrl(req)}/m/join?org=${org.id}`, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 360 });
    return reply.type('image/png').header('content-disposition', attachment(`${org.name}-扫码入会.png`)).send(png);
  });

  // ---- transfers 转会 ----
  app.post('/api/transfers', {
    config: { access: { permission: 'member.manage' } },
    schema: {
      tags: ['transfers'], summary: '发起转会（原工会按会员，新工会按证件号；按证件号时答复相同，不透露是否为会员）', body: CreateTransferBody,
      response: { 201: Transfer, 202: Type.Object({ status: Type.Literal('sent'), message: Type.String() }), ...errors },
    },
  }, async (req, reply) => {
    const r = await transfers.create(requestCaller(req), req.body);
    return 'message' in r ? reply.code(202).send(r) : reply.code(201).send(r);
  });

  app.get('/api/transfers', {
    config: { access: { permission: 'member.read' } },
    schema: { tags: ['transfers'], summary: '转会列表（转入 / 转出）', querystring: ListTransfersQuery, response: { 200: TransferList, 400: ErrorResponse } },
  }, async (req) => transfers.list(requestCaller(req), req.query));

  app.get('/api/transfers/:id', {
    config: { access: { permission: 'member.read' } },
    schema: { tags: ['transfers'], summary: '转会详情', params: Id, response: { 200: Transfer, 404: ErrorResponse } },
  }, async (req) => transfers.get(requestCaller(req), req.params.id));

  app.post('/api/transfers/:id/release', {
    config: { access: { permission: 'member.manage' } },
    schema: { tags: ['transfers'], summary: '原工会同意转出', params: Id, response: { 200: Transfer, 403: ErrorResponse, ...errors } },
  }, async (req) => transfers.release(requestCaller(req), req.params.id));

  app.post('/api/transfers/:id/accept', {
    config: { access: { permission: 'member.manage' } },
    schema: { tags: ['transfers'], summary: '新工会接收转入', params: Id, response: { 200: Transfer, 403: ErrorResponse, ...errors } },
  }, async (req) => transfers.accept(requestCaller(req), req.params.id));

  app.post('/api/transfers/:id/reject', {
    config: { access: { permission: 'member.manage' } },
    schema: { tags: ['transfers'], summary: '不同意转会', params: Id, body: RejectBody, response: { 200: Transfer, ...errors } },
  }, async (req) => transfers.reject(requestCaller(req), req.params.id, req.body.reason));

  // ---- imports and exports 名册 ----
  app.get('/api/imports/members/template', {
    config: { access: { permission: 'member.read' } },
    schema: { tags: ['imports'], summary: '下载会员名册模板（.xlsx）', produces: [XLSX], response: { 200: Binary } },
  }, async (_req, reply) => reply.type(XLSX).header('content-disposition', attachment('会员名册模板.xlsx')).send(await imports.template()));

  app.post('/api/imports/members', {
    config: { access: { permission: 'member.manage' } },
    schema: {
      tags: ['imports'], summary: '上传会员名册（multipart，.xlsx 或 .csv，后台导入）', consumes: ['multipart/form-data'],
      querystring: Type.Object({ orgId: IntId() }, { additionalProperties: false }),
      response: { 202: Type.Object({ jobId: Type.Integer() }), 400: ErrorResponse, 404: ErrorResponse, 413: ErrorResponse, 415: ErrorResponse },
    },
  }, async (req, reply) => {
    if (!req.isMultipart()) throw appError('UNSUPPORTED_MEDIA_TYPE', undefined, '请以 multipart/form-data 上传名册文件');
    const file = await req.file();
    if (!file) throw appError('IMPORT_FILE_INVALID');
    return reply.code(202).send(await imports.enqueue(requestCaller(req), req.query.orgId, file.filename, file.file));
  });

  app.get('/api/imports', {
    config: { access: { permission: 'member.manage' } },
    schema: { tags: ['imports'], summary: '最近的导入任务', response: { 200: Type.Array(ImportJob) } },
  }, async (req) => imports.list(requestCaller(req)));

  app.get('/api/imports/:id', {
    config: { access: { permission: 'member.manage' } },
    schema: { tags: ['imports'], summary: '导入进度', params: Id, response: { 200: ImportJob, 404: ErrorResponse } },
  }, async (req) => imports.get(requestCaller(req), req.params.id));

  app.get('/api/imports/:id/errors.xlsx', {
    config: { access: { permission: 'member.manage' } },
    schema: { tags: ['imports'], summary: '下载错误行（行号、列、脱敏内容、原因）', params: Id, produces: [XLSX], response: { 200: Binary, 404: ErrorResponse } },
  }, async (req, reply) => {
    const caller = requestCaller(req);
    await imports.get(caller, req.params.id);
    const out = new PassThrough();
    imports.writeErrors(caller, req.params.id, out).catch((err: unknown) => out.destroy(err as Error));
    return reply.type(XLSX).header('content-disposition', attachment(`导入错误行-${req.params.id}.xlsx`)).send(out);
  });

  const sendRoster = async (req: FastifyRequest, reply: FastifyReply, orgId: number, reveal: boolean, reason?: string) => {
    const caller = requestCaller(req);
    const org = await orgs.get(caller, orgId);
    if (reveal && !scopeContains(caller.as('member.reveal').scope, org.path)) throw appError('FORBIDDEN', { permission: 'member.reveal' });
    const out = new PassThrough();
    imports.exportRoster(caller, org.id, reveal, out, reason).catch((err: unknown) => out.destroy(err as Error));
    return reply.type(XLSX).header('content-disposition', attachment(`${org.name}-会员名册.xlsx`)).send(out);
  };

  app.get('/api/exports/members', {
    config: { access: { permission: 'member.read' } },
    schema: {
      tags: ['imports'], summary: '导出会员名册（.xlsx，流式，证件号和手机号脱敏）', produces: [XLSX],
      querystring: Type.Object({ orgId: IntId(), reveal: Type.Optional(Type.Boolean({ default: false, description: '已停用：完整名册须 POST' })) }, { additionalProperties: false }),
      response: { 200: Binary, 400: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse },
    },
  }, async (req, reply) => {
    // A revealed roster is never the side effect of a GET (a link, a prefetch, an <img src>).
    if (req.query.reveal) throw invalidField('reveal', '导出含完整证件号和手机号的名册须以 POST 提交，并填写事由');
    return sendRoster(req, reply, req.query.orgId, false);
  });

  app.post('/api/exports/members', {
    config: { access: { permission: 'member.read' } },
    schema: {
      tags: ['imports'], summary: '导出会员名册（.xlsx，流式；reveal=true 含完整证件号和手机号，须有查看权限、填写事由，记入审计）', produces: [XLSX],
      body: Type.Object({ orgId: IntId(), reveal: Type.Boolean(), reason: Type.Optional(Type.String({ minLength: 2, maxLength: 200 })) }, { additionalProperties: false }),
      response: { 200: Binary, 400: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse },
    },
  }, async (req, reply) => {
    if (req.body.reveal && !req.body.reason?.trim()) throw invalidField('reason', '导出完整名册须填写事由');
    return sendRoster(req, reply, req.body.orgId, req.body.reveal, req.body.reason?.trim());
  });
};
