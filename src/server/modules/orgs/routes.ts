import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { regionList } from '../../platform/region.js';
import { requestCaller } from '../../platform/auth.js';
import { ErrorResponse } from '../../platform/http.js';
import { CreateOrgBody, ListOrgsQuery, MoveOrgBody, Org, OrgList, OrgParams, OrgStats, UpdateOrgBody } from './schemas.js';
import type { OrgService } from './service.js';
import { Type } from 'typebox';

/** /api/orgs — the union tree (工会组织). */
/** Member figures of a union's subtree, provided by the members module (which depends on orgs, not the reverse). */
export type MemberFigures = (org: { id: number; path: string }) => Promise<{ memberCount: number; directMemberCount: number; retainedCount: number; newMembersThisYear: number }>;

export const orgRoutes: FastifyPluginAsyncTypebox<{ orgs: OrgService; memberFigures: MemberFigures }> = async (app, { orgs, memberFigures }) => {
  const errors = { 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse };

  app.post('/api/orgs', {
    config: { access: { permission: 'org.create' } },
    schema: { tags: ['orgs'], summary: '新建工会组织', body: CreateOrgBody, response: { 201: Org, ...errors } },
  }, async (req, reply) => reply.code(201).send(await orgs.create(requestCaller(req), req.body)));

  app.get('/api/orgs', {
    config: { access: { permission: 'org.read' } },
    schema: {
      tags: ['orgs'], summary: '下级工会列表 / 按名称搜索（不带条件时返回本人管辖的顶层工会）',
      querystring: ListOrgsQuery, response: { 200: OrgList, 400: ErrorResponse },
    },
  }, async (req) => orgs.list(requestCaller(req), req.query));

  app.get('/api/regions', {
    config: { access: { public: true }, rateLimit: { max: 120, timeWindow: '1 minute' } },
    schema: {
      tags: ['orgs'], summary: '行政区划（GB/T 2260）：省级列表，或某地的下一级（市、区县），供地区选择',
      querystring: Type.Object({ parent: Type.Optional(Type.String({ pattern: '^\\d{6}$', description: '上级区划代码；不填为省级' })) }, { additionalProperties: false }),
      response: { 200: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), level: Type.String(), leaf: Type.Boolean() })), 400: ErrorResponse },
    },
  }, async (req) => regionList(req.query.parent));

  app.get('/api/org-directory', {
    config: { access: { authenticated: true } },
    schema: {
      tags: ['orgs'], summary: '全国工会名录（按名称或统一社会信用代码查找，仅返回名称，用于转办、转会）',
      querystring: Type.Object({ q: Type.String({ minLength: 2, maxLength: 50 }) }, { additionalProperties: false }),
      response: { 200: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), regionCode: Type.Union([Type.String(), Type.Null()]), level: Type.String() })), 400: ErrorResponse },
    },
  }, async (req) => orgs.directory(req.query.q));

  app.get('/api/orgs/:id', {
    config: { access: { permission: 'org.read' } },
    schema: { tags: ['orgs'], summary: '工会详情', params: OrgParams, response: { 200: Org, 404: ErrorResponse } },
  }, async (req) => orgs.get(requestCaller(req), req.params.id));

  app.patch('/api/orgs/:id', {
    config: { access: { permission: 'org.update' } },
    schema: { tags: ['orgs'], summary: '修改工会信息', params: OrgParams, body: UpdateOrgBody, response: { 200: Org, ...errors } },
  }, async (req) => orgs.update(requestCaller(req), req.params.id, req.body));

  app.post('/api/orgs/:id/move', {
    config: { access: { permission: 'org.move' } },
    schema: {
      tags: ['orgs'], summary: '移动工会（连同全部下级）', params: OrgParams, body: MoveOrgBody,
      response: { 200: Type.Intersect([Org, Type.Object({ movedCount: Type.Integer() })]), ...errors },
    },
  }, async (req) => orgs.move(requestCaller(req), req.params.id, req.body.newParentId));

  app.get('/api/orgs/:id/stats', {
    config: { access: { permission: 'stats.read' } },
    schema: { tags: ['orgs'], summary: '本级及下级统计', params: OrgParams, response: { 200: OrgStats, 404: ErrorResponse } },
  }, async (req) => {
    const { org, figures } = await orgs.stats(requestCaller(req), req.params.id);
    return { ...figures, ...(await memberFigures(org)) };
  });
};
