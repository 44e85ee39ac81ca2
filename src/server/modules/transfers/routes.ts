import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requestCaller } from '../../platform/auth.js';
import { ErrorResponse } from '../../platform/http.js';
import { MemberParams } from '../members/schemas.js';
import { CreateTransferBody, ListTransfersQuery, RejectTransferBody, Transfer, TransferList } from './schemas.js';
import { actionRoutes } from '../../platform/workflow.js';
import { TRANSFER_WORKFLOW, type TransferService } from './service.js';

export interface TransferRouteDeps { transfers: TransferService }

/** /api/transfers — 转会: the old union releases, the new union accepts. */
export const transferRoutes: FastifyPluginAsyncTypebox<TransferRouteDeps> = async (app, { transfers }) => {
  const errors = { 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse };
  const Id = MemberParams;
  // ---- transfers 转会 ----
  app.post('/api/transfers', {
    config: { access: { permission: 'member.manage' } },
    schema: {
      tags: ['transfers'], summary: '发起转会（原工会按会员，新工会按证件号；按证件号时答复相同，不透露是否为会员）', body: CreateTransferBody,
      response: { 201: Transfer, 202: Type.Object({ status: Type.Literal('sent'), message: Type.String() }), ...errors },
    },
  }, async (req, reply) => {
    const r = await transfers.create(requestCaller(req), req.body);
    return 'message' in r ? reply.code(202).send(r) : reply.code(201).send(r);
  });

  app.get('/api/transfers', {
    config: { access: { permission: 'member.read' } },
    schema: { tags: ['transfers'], summary: '转会列表（转入 / 转出）', querystring: ListTransfersQuery, response: { 200: TransferList, 400: ErrorResponse } },
  }, async (req) => transfers.list(requestCaller(req), req.query));

  app.get('/api/transfers/:id', {
    config: { access: { permission: 'member.read' } },
    schema: { tags: ['transfers'], summary: '转会详情', params: Id, response: { 200: Transfer, 404: ErrorResponse } },
  }, async (req) => transfers.get(requestCaller(req), req.params.id));

  actionRoutes(app, TRANSFER_WORKFLOW, {
    base: '/api/transfers', tag: 'transfers', params: Id, response: Transfer, errors: { 403: ErrorResponse, ...errors },
    bodies: { release: null, accept: null, reject: RejectTransferBody },
    handle: (req, { id, body }, action) => {
      const caller = requestCaller(req);
      if (action === 'release') return transfers.release(caller, id, body.version);
      if (action === 'accept') return transfers.accept(caller, id, body.version);
      return transfers.reject(caller, id, body.reason as string, body.version);
    },
  });
};
