import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { requestCaller } from '../../platform/auth.js';
import { ErrorResponse, publicBaseUrl } from '../../platform/http.js';
import { Card, CardLookupBody, CardVerify, CreateMemberBody, HistoryItem, LeaveBody, ListMembersQuery, Member, MemberList, MemberParams, RevealBody, UpdateMemberBody } from './schemas.js';
import type { MemberService } from './service.js';

export interface MemberRouteDeps { members: MemberService; publicUrl: string | undefined }

/** /api/members, /api/cards — 会员实名制: the roster, a member's record, card and history. */
export const memberRoutes: FastifyPluginAsyncTypebox<MemberRouteDeps> = async (app, { members, publicUrl }) => {
  const errors = { 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse };
  const baseUrl = (req: FastifyRequest) => publicBaseUrl(publicUrl, req);
  const Id = MemberParams;
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

};
