import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { Type } from 'typebox';
import { requestActor, requestCaller } from '../../platform/auth.js';
import { appError } from '../../platform/errors.js';
import { attachment, Binary, ErrorResponse, IntId, publicBaseUrl } from '../../platform/http.js';
import { MemberParams } from '../members/schemas.js';
import type { OrgService } from '../orgs/service.js';
import { Application, ApplicationList, ApplicationStatus, ApplicationStatusQuery, ForwardBody, ListApplicationsQuery, RejectBody, SubmitApplicationBody } from './schemas.js';
import { actionRoutes } from '../../platform/workflow.js';
import { APPLICATION_WORKFLOW, type JoinService } from './service.js';

export interface JoinRouteDeps { joins: JoinService; orgs: OrgService; publicUrl: string | undefined }

/** /api/join-applications, /api/join — 入会申请: a worker applies online or by QR code, the union decides. */
export const joinRoutes: FastifyPluginAsyncTypebox<JoinRouteDeps> = async (app, { joins, orgs, publicUrl }) => {
  const errors = { 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse };
  const baseUrl = (req: FastifyRequest) => publicBaseUrl(publicUrl, req);
  const Id = MemberParams;
  const OrgParams = Type.Object({ id: IntId() });
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

  actionRoutes(app, APPLICATION_WORKFLOW, {
    base: '/api/join-applications', tag: 'join', params: Id, response: Application, errors,
    bodies: { approve: null, reject: RejectBody, forward: ForwardBody },
    handle: (req, { id, body }, action) => {
      const caller = requestCaller(req);
      if (action === 'approve') return joins.approve(caller, id, body.version);
      if (action === 'reject') return joins.reject(caller, id, body.reason as string, body.version);
      return joins.forward(caller, id, body.toOrgId as number, body.reason as string, body.version);
    },
  });

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

};
