import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requestCaller } from '../../platform/auth.js';
import { ErrorResponse } from '../../platform/http.js';
import { ListNotificationsQuery, NotificationList, NotificationParams, ReadAllResult, ReadResult } from './schemas.js';
import type { NotificationService } from './service.js';

/** /api/notifications — 站内通知 of the officer's unions (超期, 督办, and later the review chain's). */
export const notificationRoutes: FastifyPluginAsyncTypebox<{ notifications: NotificationService }> = async (app, { notifications }) => {
  app.get('/api/notifications', {
    config: { access: { authenticated: true } },
    schema: {
      tags: ['notifications'], summary: '站内通知（本人所在工会；未读数）', querystring: ListNotificationsQuery,
      response: { 200: NotificationList, 400: ErrorResponse },
    },
  }, async (req) => notifications.list(requestCaller(req), req.query));

  app.post('/api/notifications/:id/read', {
    config: { access: { authenticated: true } },
    schema: { tags: ['notifications'], summary: '标为已读', params: NotificationParams, response: { 200: ReadResult, 404: ErrorResponse } },
  }, async (req) => notifications.read(requestCaller(req), req.params.id));

  app.post('/api/notifications/read-all', {
    config: { access: { authenticated: true } },
    schema: { tags: ['notifications'], summary: '全部标为已读', response: { 200: ReadAllResult } },
  }, async (req) => notifications.readAll(requestCaller(req)));
};
