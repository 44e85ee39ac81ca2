import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requestCaller } from '../../platform/auth.js';
import { ErrorResponse } from '../../platform/http.js';
import { HandoverBody, NoteBody, ReasonBody, REVIEW_ACTIONS, ReviewQueue, ReviewQueueQuery, ReviewStep, ReviewStepDetail, StepParams, type ReviewAction } from './schemas.js';
import type { ReviewService } from './service.js';

const SUMMARIES: Record<ReviewAction, string> = {
  approve: '审核通过（转上级工会审核，或在最高一级办结）', return: '退回补正（须说明原因）', reject: '驳回（须说明原因）', handover: '转办给其他工会审核',
};
const BODIES = { approve: NoteBody, return: ReasonBody, reject: ReasonBody, handover: HandoverBody };

/**
 * /api/reviews — 逐级审核 of every service. The permission differs per service (the chain's), so the
 * routes ask only for a signed-in officer and the service scopes each step by its chain's permission.
 */
export const reviewRoutes: FastifyPluginAsyncTypebox<{ reviews: ReviewService }> = async (app, { reviews }) => {
  const errors = { 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse };

  app.get('/api/reviews', {
    config: { access: { authenticated: true } },
    schema: { tags: ['reviews'], summary: '待审核事项（本级及下级工会，按审核时限排序）', querystring: ReviewQueueQuery, response: { 200: ReviewQueue, 400: ErrorResponse } },
  }, async (req) => reviews.queue(requestCaller(req), req.query));

  app.get('/api/reviews/:id', {
    config: { access: { authenticated: true } },
    schema: { tags: ['reviews'], summary: '审核环节详情（含该事项的审核记录）', params: StepParams, response: { 200: ReviewStepDetail, 404: ErrorResponse } },
  }, async (req) => reviews.get(requestCaller(req), req.params.id));

  for (const action of REVIEW_ACTIONS) {
    const given = BODIES[action];
    app.post(`/api/reviews/:id/${action}`, {
      config: { access: { authenticated: true } },
      schema: { tags: ['reviews'], summary: SUMMARIES[action], params: StepParams, body: given, response: { 200: ReviewStep, ...errors } },
    }, async (req) => reviews.act(requestCaller(req), req.params.id, action, (req.body ?? {}) as never));
  }
};
