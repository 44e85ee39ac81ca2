import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requestActor, requestAuth, requestCaller, SESSION_COOKIE } from '../../platform/auth.js';
import { ErrorResponse } from '../../platform/http.js';
import { effectivePermissions } from '../../platform/policy.js';
import {
  CreateUserBody, GrantRoleBody, ListUsersQuery, LoginBody, LoginResponse, MeSchema, RoleParams, UpdateUserBody, UserList, UserParams, UserSchema,
} from './schemas.js';
import type { AuthService, UserService } from './service.js';

export interface AccountRoutesOptions {
  auth: AuthService;
  users: UserService;
  secureCookies: boolean;
  sessionMaxHours: number;
  rootPath: string;
}

/** /api/auth (登录) and /api/users (账号管理). */
export const accountRoutes: FastifyPluginAsyncTypebox<AccountRoutesOptions> = async (app, opts) => {
  const { auth, users } = opts;

  app.post('/api/auth/login', {
    config: { access: { public: true }, rateLimit: { max: 20, timeWindow: '1 minute' } },
    schema: {
      tags: ['auth'], summary: '登录',
      body: LoginBody,
      response: { 200: LoginResponse, 401: ErrorResponse, 423: ErrorResponse, 429: ErrorResponse },
    },
  }, async (req, reply) => {
    const { token, auth: info } = await auth.login(req.body.username, req.body.password, { requestId: req.id, ip: req.ip });
    reply.setCookie(SESSION_COOKIE, token, {
      path: '/', httpOnly: true, sameSite: 'lax', secure: opts.secureCookies, maxAge: opts.sessionMaxHours * 3600,
    });
    return { user: info.user, csrfToken: info.csrfToken };
  });

  app.post('/api/auth/logout', {
    config: { access: { authenticated: true } },
    schema: { tags: ['auth'], summary: '退出登录', response: { 204: Type.Null() } },
  }, async (req, reply) => {
    await auth.logout(requestAuth(req).sessionId);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send(null);
  });

  app.post('/api/auth/password', {
    config: { access: { authenticated: true }, rateLimit: { max: 30, timeWindow: '15 minutes' } },
    schema: {
      tags: ['auth'], summary: '修改本人密码（本账号的其他登录随之退出）',
      body: Type.Object({ currentPassword: Type.String({ minLength: 1, maxLength: 200 }), newPassword: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
      response: { 204: Type.Null(), 400: ErrorResponse, 422: ErrorResponse, 423: ErrorResponse, 429: ErrorResponse },
    },
  }, async (req, reply) => {
    await auth.changePassword(requestAuth(req), req.body.currentPassword, req.body.newPassword, requestActor(req));
    return reply.code(204).send(null);
  });

  app.get('/api/auth/me', {
    config: { access: { authenticated: true } },
    schema: { tags: ['auth'], summary: '当前账号、角色与权限', response: { 200: MeSchema } },
  }, async (req) => {
    const a = requestAuth(req);
    return {
      user: a.user,
      roles: a.roles.map((r) => ({ orgId: r.orgId, orgName: r.orgName, role: r.role })),
      permissions: effectivePermissions(a.roles, opts.rootPath),
    };
  });

  app.get('/api/users', {
    config: { access: { permission: 'user.read' } },
    schema: { tags: ['users'], summary: '账号列表（本级及下级）', querystring: ListUsersQuery, response: { 200: UserList } },
  }, async (req) => users.list(requestCaller(req), req.query));

  app.post('/api/users', {
    config: { access: { permission: 'user.manage' } },
    schema: { tags: ['users'], summary: '新建账号', body: CreateUserBody, response: { 201: UserSchema, 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse } },
  }, async (req, reply) => reply.code(201).send(await users.create(requestCaller(req), req.body)));

  app.get('/api/users/:id', {
    config: { access: { permission: 'user.read' } },
    schema: { tags: ['users'], summary: '账号详情', params: UserParams, response: { 200: UserSchema, 404: ErrorResponse } },
  }, async (req) => users.get(requestCaller(req), req.params.id));

  app.patch('/api/users/:id', {
    config: { access: { permission: 'user.manage' } },
    schema: { tags: ['users'], summary: '修改账号（姓名、密码、停用、解锁）', params: UserParams, body: UpdateUserBody, response: { 200: UserSchema, 404: ErrorResponse } },
  }, async (req) => users.update(requestCaller(req), req.params.id, req.body));

  app.post('/api/users/:id/password', {
    config: { access: { permission: 'user.manage' } },
    schema: {
      tags: ['users'], summary: '重置账号密码（该账号的登录全部退出）', params: UserParams,
      body: Type.Object({ newPassword: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
      response: { 204: Type.Null(), 400: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse },
    },
  }, async (req, reply) => {
    await users.resetPassword(requestCaller(req), req.params.id, req.body.newPassword);
    return reply.code(204).send(null);
  });

  app.post('/api/users/:id/roles', {
    config: { access: { permission: 'user.manage' } },
    schema: { tags: ['users'], summary: '授予角色', params: UserParams, body: GrantRoleBody, response: { 200: UserSchema, 404: ErrorResponse } },
  }, async (req) => users.grantRole(requestCaller(req), req.params.id, req.body.orgId, req.body.role));

  app.delete('/api/users/:id/roles/:roleId', {
    config: { access: { permission: 'user.manage' } },
    schema: { tags: ['users'], summary: '撤销角色', params: RoleParams, response: { 200: UserSchema, 404: ErrorResponse } },
  }, async (req) => users.revokeRole(requestCaller(req), req.params.id, req.params.roleId));
};
