import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requestActor, requestCaller } from '../../platform/auth.js';
import { BigId, ErrorResponse, IntId, Nullable } from '../../platform/http.js';
import type { PublicityService } from './service.js';

const Item = Type.Object({ name: Type.String({ description: '已脱敏' }), unit: Nullable(Type.String()), item: Type.String(), amountFen: Nullable(Type.Integer()) });
const Notice = Type.Object({
  id: Type.Integer(), entityType: Type.String(), entityLabel: Type.String(), orgId: Type.Integer(), orgName: Type.String(), title: Type.String(),
  items: Type.Array(Item), workingDays: Type.Integer(), startsOn: Type.String({ format: 'date' }), endsOn: Type.String({ format: 'date' }),
  running: Type.Boolean({ description: '公示期内' }), status: Type.String(),
});
const Objection = Type.Object({
  id: Type.Integer(), content: Type.String(), contactName: Nullable(Type.String()), maskedContact: Type.String(), status: Type.Enum(['open', 'resolved']),
  resolution: Nullable(Type.String()), createdAt: Type.String(), resolvedAt: Nullable(Type.String()),
});
const Id = Type.Object({ id: BigId() });

/**
 * 公示: the public page of a union's notices and the objection form (public, rate limited); the
 * officers' list, objections (contacts masked; a reveal is audited) and their handling.
 */
export const publicityRoutes: FastifyPluginAsyncTypebox<{ publicity: PublicityService }> = async (app, { publicity }) => {
  app.get('/api/publicity', {
    config: { access: { public: true }, rateLimit: { max: 60, timeWindow: '1 minute' } },
    schema: {
      tags: ['publicity'], summary: '某工会的公示（公开：公示期内及近 30 天结束的）',
      querystring: Type.Object({ orgId: IntId() }, { additionalProperties: false }), response: { 200: Type.Object({ items: Type.Array(Notice) }), 400: ErrorResponse, 429: ErrorResponse },
    },
  }, async (req) => ({ items: await publicity.publicList(req.query.orgId) }));

  app.post('/api/publicity/:id/objections', {
    config: { access: { public: true }, rateLimit: { max: 5, timeWindow: '1 hour' } },
    schema: {
      tags: ['publicity'], summary: '对公示提出异议（公开，限流；联系电话加密保存）', params: Id,
      body: Type.Object({
        content: Type.String({ minLength: 1, maxLength: 2000 }), contactName: Type.Optional(Type.String({ maxLength: 50 })), contactPhone: Type.String({ minLength: 5, maxLength: 20 }),
      }, { additionalProperties: false }),
      response: { 201: Type.Object({ id: Type.Integer(), status: Type.Literal('open'), message: Type.String() }), 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 429: ErrorResponse },
    },
  }, async (req, reply) => reply.code(201).send(await publicity.object(req.params.id, req.body, requestActor(req))));

  app.get('/api/publicity/notices', {
    config: { access: { authenticated: true } },
    schema: {
      tags: ['publicity'], summary: '本级及下级工会的公示（含未处理异议数）',
      querystring: Type.Object({ entityType: Type.Optional(Type.String({ maxLength: 40, pattern: '^[a-z_]+$' })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(Type.Object({ ...Notice.properties, openObjections: Type.Integer() })) }), 400: ErrorResponse },
    },
  }, async (req) => publicity.list(requestCaller(req), req.query));

  app.get('/api/publicity/notices/:id', {
    config: { access: { authenticated: true } },
    schema: { tags: ['publicity'], summary: '公示详情与异议', params: Id, response: { 200: Type.Object({ ...Notice.properties, objections: Type.Array(Objection) }), 404: ErrorResponse } },
  }, async (req) => publicity.get(requestCaller(req), req.params.id));

  app.post('/api/publicity/objections/:id/resolve', {
    config: { access: { authenticated: true } },
    schema: {
      tags: ['publicity'], summary: '处理异议（核实结果）', params: Id,
      body: Type.Object({ resolution: Type.String({ minLength: 2, maxLength: 1000 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ id: Type.Integer(), status: Type.Literal('resolved'), noticeId: Type.Integer() }), 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse },
    },
  }, async (req) => publicity.resolve(requestCaller(req), req.params.id, req.body.resolution));

  app.post('/api/publicity/objections/:id/reveal', {
    config: { access: { authenticated: true } },
    schema: {
      tags: ['publicity'], summary: '查看异议人完整联系电话（须说明原因，留痕）', params: Id,
      body: Type.Object({ reason: Type.String({ minLength: 2, maxLength: 200 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ contactPhone: Type.String() }), 400: ErrorResponse, 404: ErrorResponse },
    },
  }, async (req) => publicity.revealContact(requestCaller(req), req.params.id, req.body.reason));
};
