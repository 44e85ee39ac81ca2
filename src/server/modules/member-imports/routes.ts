import { PassThrough } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/multipart';
import { Type } from 'typebox';
import { requestCaller } from '../../platform/auth.js';
import { appError, invalidField } from '../../platform/errors.js';
import { attachment, Binary, ErrorResponse, IntId, XLSX } from '../../platform/http.js';
import { scopeContains } from '../../platform/scope.js';
import { MemberParams } from '../members/schemas.js';
import type { OrgService } from '../orgs/service.js';
import { ImportJob } from './schemas.js';
import type { ImportService } from './service.js';

export interface ImportRouteDeps { imports: ImportService; orgs: OrgService }

/** /api/imports, /api/exports — 名册导入导出: roster uploads run as background jobs; roster exports stream. */
export const importRoutes: FastifyPluginAsyncTypebox<ImportRouteDeps> = async (app, { imports, orgs }) => {
  const Id = MemberParams;
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
