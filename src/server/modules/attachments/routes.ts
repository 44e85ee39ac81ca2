import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type {} from '@fastify/multipart';
import type { FastifyInstance, FastifyBaseLogger, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import { Type } from 'typebox';
import { requestCaller } from '../../platform/auth.js';
import { appError } from '../../platform/errors.js';
import { attachment, Binary, ErrorResponse } from '../../platform/http.js';
import type { Permission } from '../../platform/policy.js';
import { Attachment, AttachmentParams } from './schemas.js';
import type { AttachmentService } from './service.js';

type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

/** /api/attachments/:id — a file, streamed, to whoever may read the entity it belongs to. */
export const attachmentRoutes: FastifyPluginAsyncTypebox<{ attachments: AttachmentService }> = async (app, { attachments }) => {
  app.get('/api/attachments/:id', {
    config: { access: { authenticated: true } },
    schema: {
      tags: ['attachments'], summary: '下载附件（敏感材料的每次下载记入审计）', params: AttachmentParams, produces: ['application/octet-stream'],
      response: { 200: Binary, 404: ErrorResponse },
    },
  }, async (req, reply) => {
    const { attachment: a, content } = await attachments.open(requestCaller(req), req.params.id);
    return reply.type(a.contentType).header('content-disposition', attachment(a.name)).header('cache-control', 'private, no-store')
      .header('content-length', String(a.size)).send(content);
  });
};

/**
 * The two routes of an entity's files, for the module that owns the entity:
 * `POST <base>/:id/attachments?kind=` (multipart, one file) and `GET <base>/:id/attachments`.
 */
export function entityAttachmentRoutes(app: App, attachments: AttachmentService, o: {
  base: string; entityType: string; tag: string; entityName: string; kinds: readonly string[]; upload: Permission; read: Permission;
}) {
  app.post(`${o.base}/:id/attachments`, {
    config: { access: { permission: o.upload } },
    schema: {
      tags: [o.tag], summary: `上传${o.entityName}附件（multipart，单个文件；类型按内容识别）`, consumes: ['multipart/form-data'], params: AttachmentParams,
      querystring: Type.Object({ kind: Type.Optional(Type.Enum(o.kinds, { default: o.kinds[0] })) }, { additionalProperties: false }),
      response: { 201: Attachment, 400: ErrorResponse, 404: ErrorResponse, 413: ErrorResponse, 415: ErrorResponse },
    },
  }, async (req, reply) => {
    if (!req.isMultipart()) throw appError('UNSUPPORTED_MEDIA_TYPE', undefined, '请以 multipart/form-data 上传文件');
    const file = await req.file();
    if (!file) throw appError('ATTACHMENT_EMPTY', undefined, '没有收到文件');
    const kind = req.query.kind ?? o.kinds[0] ?? '';
    return reply.code(201).send(await attachments.upload(requestCaller(req), o.entityType, req.params.id, kind, { filename: file.filename, stream: file.file }));
  });

  app.get(`${o.base}/:id/attachments`, {
    config: { access: { permission: o.read } },
    schema: { tags: [o.tag], summary: `${o.entityName}的附件`, params: AttachmentParams, response: { 200: Type.Array(Attachment), 404: ErrorResponse } },
  }, async (req) => attachments.list(requestCaller(req), o.entityType, req.params.id));
}
