import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requestActor, requestCaller } from '../../platform/auth.js';
import { ErrorResponse } from '../../platform/http.js';
import {
  CreateTicketBody, DispatchBody, EvaluateBody, HotlineStats, ListTicketsQuery, NoteBody, PublicEvaluateBody, PublicRequestBody,
  ReasonBody, ResolveBody, StatsQuery, SuperviseBody, Ticket, TicketList, TicketParams, UpdateTicketBody, TICKET_STATUSES,
} from './schemas.js';
import { entityAttachmentRoutes } from '../attachments/routes.js';
import type { AttachmentService } from '../attachments/service.js';
import { actionRoutes } from '../../platform/workflow.js';
import { TICKET_WORKFLOW, type ActionPayload, type HotlineService } from './service.js';

const LookupResult = Type.Object({
  ticketNo: Type.String(), status: Type.Enum(TICKET_STATUSES), statusLabel: Type.String(), receivedAt: Type.String(), deadline: Type.String(),
  resolvedAt: Type.Union([Type.String(), Type.Null()]), result: Type.Union([Type.String(), Type.Null()]),
  satisfaction: Type.Union([Type.String(), Type.Null()]), canEvaluate: Type.Boolean(),
});

/** /api/hotline — 12351 职工维权服务热线 work orders. */
export const hotlineRoutes: FastifyPluginAsyncTypebox<{ hotline: HotlineService; attachments: AttachmentService }> = async (app, { hotline, attachments }) => {
  const errors = { 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse };

  app.post('/api/hotline/tickets', {
    config: { access: { permission: 'hotline.create' } },
    schema: { tags: ['hotline'], summary: '坐席受理来电，创建工单', body: CreateTicketBody, response: { 201: Ticket, ...errors } },
  }, async (req, reply) => reply.code(201).send(await hotline.create(requestCaller(req), req.body)));

  app.post('/api/hotline/requests', {
    config: { access: { public: true }, rateLimit: { max: 5, timeWindow: '1 hour' } },
    schema: {
      tags: ['hotline'], summary: '职工网上提交诉求（公开，限流）', body: PublicRequestBody,
      response: { 201: Type.Object({ ticketNo: Type.String(), status: Type.Literal('accepted'), deadline: Type.String() }), 400: ErrorResponse, 429: ErrorResponse },
    },
  }, async (req, reply) => reply.code(201).send(await hotline.submitPublic(req.body, requestActor(req))));

  app.get('/api/hotline/tickets', {
    config: { access: { permission: 'hotline.read' } },
    schema: { tags: ['hotline'], summary: '工单列表（按办理时限排序）', querystring: ListTicketsQuery, response: { 200: TicketList, 400: ErrorResponse, 404: ErrorResponse } },
  }, async (req) => hotline.list(requestCaller(req), req.query));

  app.get('/api/hotline/tickets/:id', {
    config: { access: { permission: 'hotline.read' } },
    schema: { tags: ['hotline'], summary: '工单详情（含流转记录）', params: TicketParams, response: { 200: Ticket, 404: ErrorResponse } },
  }, async (req) => hotline.get(requestCaller(req), req.params.id));

  app.patch('/api/hotline/tickets/:id', {
    config: { access: { permission: 'hotline.create' } },
    schema: { tags: ['hotline'], summary: '设置难度或类别（重算办理时限）', params: TicketParams, body: UpdateTicketBody, response: { 200: Ticket, ...errors } },
  }, async (req) => hotline.update(requestCaller(req), req.params.id, req.body));

  // 交办 签收 退回 办结 督办 回访评价 归档 重办: one route per action of the workflow
  actionRoutes(app, TICKET_WORKFLOW, {
    base: '/api/hotline/tickets', tag: 'hotline', params: TicketParams, response: Ticket, errors,
    bodies: {
      dispatch: DispatchBody, sign: NoteBody, return: ReasonBody, resolve: ResolveBody, supervise: SuperviseBody,
      evaluate: EvaluateBody, close: NoteBody, reopen: ReasonBody,
    },
    handle: (req, { id, body }, action) => hotline.act(requestCaller(req), id, action, body as ActionPayload),
  });

  app.get('/api/hotline/lookup', {
    config: { access: { public: true }, rateLimit: { max: 30, timeWindow: '1 minute' } },
    schema: {
      tags: ['hotline'], summary: '按工单号和来电号码查询进度（公开）',
      querystring: Type.Object({ ticketNo: Type.String({ maxLength: 20 }), phone: Type.String({ maxLength: 20 }) }, { additionalProperties: false }),
      response: { 200: LookupResult, 404: ErrorResponse, 429: ErrorResponse },
    },
  }, async (req) => hotline.lookup(req.query.ticketNo, req.query.phone));

  app.post('/api/hotline/lookup/evaluate', {
    config: { access: { public: true }, rateLimit: { max: 10, timeWindow: '1 minute' } },
    schema: { tags: ['hotline'], summary: '来电人评价办理结果（公开）', body: PublicEvaluateBody, response: { 200: LookupResult, 404: ErrorResponse, 409: ErrorResponse, 429: ErrorResponse } },
  }, async (req) => hotline.evaluatePublic(req.body, requestActor(req)));

  app.get('/api/hotline/stats', {
    config: { access: { permission: 'stats.read' } },
    schema: { tags: ['hotline'], summary: '热线统计（本级及下级）', querystring: StatsQuery, response: { 200: HotlineStats, 404: ErrorResponse } },
  }, async (req) => hotline.stats(requestCaller(req), req.query));

  entityAttachmentRoutes(app, attachments, {
    base: '/api/hotline/tickets', entityType: 'hotline_ticket', tag: 'hotline', entityName: '工单',
    kinds: Object.keys(hotline.attachmentOwner.kinds), upload: 'hotline.handle', read: 'hotline.read',
  });
};
