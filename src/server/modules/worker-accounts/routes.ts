import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { requestActor, requestWorker, WORKER_COOKIE } from '../../platform/auth.js';
import { ErrorResponse, Nullable } from '../../platform/http.js';
import { inbox, readAll, readOne } from '../notifications/service.js';
import { ListNotificationsQuery, NotificationList, NotificationParams, ReadAllResult, ReadResult } from '../notifications/schemas.js';
import { Card } from '../members/schemas.js';
import type { MemberService } from '../members/service.js';
import type { JoinService } from '../join-applications/service.js';
import type { HotlineService } from '../hotline/service.js';
import { RegisterBody, SmsCodeBody, Worker, WorkerLoginBody, WorkerLoginResponse } from './schemas.js';
import type { WorkerAccountService } from './service.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';

const MyApplication = Type.Object({
  applicationNo: Type.String(), status: Type.String(), statusLabel: Type.String(), orgName: Type.String(), rejectReason: Nullable(Type.String()),
  submittedAt: Type.String(), decidedAt: Nullable(Type.String()),
});
const MyRequest = Type.Object({
  ticketNo: Type.String(), category: Type.String(), categoryLabel: Type.String(), status: Type.String(), statusLabel: Type.String(),
  receivedAt: Type.String(), deadline: Type.String(), resolvedAt: Nullable(Type.String()), result: Nullable(Type.String()),
  satisfaction: Nullable(Type.String()), canEvaluate: Type.Boolean(),
});

export interface WorkerRouteDeps {
  workers: WorkerAccountService; members: MemberService; joins: JoinService; hotline: HotlineService; db: Kysely<Database>;
  secureCookies: boolean; sessionMaxHours: number; baseUrl: (req: FastifyRequest) => string;
}

/** /api/worker — 职工账号: open an account, sign in, and read what is one's own. */
export const workerRoutes: FastifyPluginAsyncTypebox<WorkerRouteDeps> = async (app, o) => {
  const { workers } = o;
  app.post('/api/worker/auth/register', {
    config: { access: { public: true }, rateLimit: { max: 10, timeWindow: '1 hour' } },
    schema: {
      tags: ['worker'], summary: '职工开通账号（证件号 + 预留手机号核验在会会员，公开，限流）', body: RegisterBody,
      response: { 201: Worker, 400: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse, 429: ErrorResponse },
    },
  }, async (req, reply) => reply.code(201).send(await workers.register(req.body, requestActor(req))));

  app.get('/api/worker/auth/options', {
    config: { access: { public: true }, rateLimit: { max: 60, timeWindow: '1 minute' } },
    schema: { tags: ['worker'], summary: '开通账号需要哪些步骤（是否需短信验证码）', response: { 200: Type.Object({ smsCode: Type.Boolean() }) } },
  }, async () => workers.options());

  app.post('/api/worker/auth/sms-code', {
    config: { access: { public: true }, rateLimit: { max: 5, timeWindow: '1 hour' } },
    schema: {
      tags: ['worker'], summary: '获取开通账号的短信验证码（平台开通短信时；限流；答复不透露号码是否存在）', body: SmsCodeBody,
      response: { 202: Type.Object({ message: Type.String() }), 400: ErrorResponse, 404: ErrorResponse, 429: ErrorResponse },
    },
  }, async (req, reply) => reply.code(202).send(await workers.sendCode(req.body.phone)));

  app.post('/api/worker/auth/login', {
    config: { access: { public: true }, rateLimit: { max: 20, timeWindow: '1 minute' } },
    schema: { tags: ['worker'], summary: '职工登录（手机号 + 密码）', body: WorkerLoginBody, response: { 200: WorkerLoginResponse, 401: ErrorResponse, 423: ErrorResponse, 429: ErrorResponse } },
  }, async (req, reply) => {
    const r = await workers.login(req.body.phone, req.body.password, requestActor(req));
    reply.setCookie(WORKER_COOKIE, r.token, { path: '/', httpOnly: true, sameSite: 'lax', secure: o.secureCookies, maxAge: o.sessionMaxHours * 3600 });
    return { worker: r.worker, csrfToken: r.csrfToken };
  });

  app.post('/api/worker/auth/logout', {
    config: { access: { worker: true } },
    schema: { tags: ['worker'], summary: '职工退出登录', response: { 204: Type.Null() } },
  }, async (req, reply) => {
    await workers.logout(requestWorker(req).sessionId);
    reply.clearCookie(WORKER_COOKIE, { path: '/' });
    return reply.code(204).send(null);
  });

  app.get('/api/worker/me', {
    config: { access: { worker: true } },
    schema: { tags: ['worker'], summary: '我的（证件号、手机号脱敏）', response: { 200: Worker } },
  }, async (req) => workers.me(requestWorker(req)));

  app.get('/api/worker/card', {
    config: { access: { worker: true } },
    schema: { tags: ['worker'], summary: '我的电子会员证', response: { 200: Card, 404: ErrorResponse, 422: ErrorResponse } },
  }, async (req) => o.members.workerCard(requestWorker(req).personId, o.baseUrl(req)));

  app.get('/api/worker/applications', {
    config: { access: { worker: true } },
    schema: { tags: ['worker'], summary: '我的入会申请', response: { 200: Type.Object({ items: Type.Array(MyApplication) }) } },
  }, async (req) => ({ items: await o.joins.forWorker(await o.members.workerKeys(requestWorker(req).personId)) }));

  app.get('/api/worker/hotline-requests', {
    config: { access: { worker: true } },
    schema: { tags: ['worker'], summary: '我的 12351 诉求（按预留手机号、证件号或会籍）', response: { 200: Type.Object({ items: Type.Array(MyRequest) }) } },
  }, async (req) => ({ items: await o.hotline.forWorker(await o.members.workerKeys(requestWorker(req).personId)) }));

  app.get('/api/worker/notifications', {
    config: { access: { worker: true } },
    schema: { tags: ['worker'], summary: '我的消息', querystring: ListNotificationsQuery, response: { 200: NotificationList, 400: ErrorResponse } },
  }, async (req) => inbox(o.db, { personId: requestWorker(req).personId }, req.query));

  app.post('/api/worker/notifications/:id/read', {
    config: { access: { worker: true } },
    schema: { tags: ['worker'], summary: '消息标为已读', params: NotificationParams, response: { 200: ReadResult, 404: ErrorResponse } },
  }, async (req) => readOne(o.db, { personId: requestWorker(req).personId }, req.params.id));

  app.post('/api/worker/notifications/read-all', {
    config: { access: { worker: true } },
    schema: { tags: ['worker'], summary: '消息全部已读', response: { 200: ReadAllResult } },
  }, async (req) => readAll(o.db, { personId: requestWorker(req).personId }));
};
