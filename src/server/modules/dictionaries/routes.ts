import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requestCaller } from '../../platform/auth.js';
import { ErrorResponse } from '../../platform/http.js';
import { DictItem, DictItemFull, DictItemParams, DictParams, DictQuery, DictTypes, PutDictItemBody } from './schemas.js';
import type { DictionaryService } from './service.js';

/** /api/dictionaries — national code lists (字典). Reading is public; editing is for root admins. */
export const dictionaryRoutes: FastifyPluginAsyncTypebox<{ dictionaries: DictionaryService }> = async (app, { dictionaries }) => {
  app.get('/api/dictionaries', {
    config: { access: { public: true } },
    schema: { tags: ['dictionaries'], summary: '字典类型', response: { 200: DictTypes } },
  }, async () => dictionaries.types());

  app.get('/api/dictionaries/:type', {
    config: { access: { public: true } },
    schema: {
      tags: ['dictionaries'], summary: '字典项 [{code, label}]', params: DictParams, querystring: DictQuery,
      response: { 200: Type.Array(Type.Union([DictItemFull, DictItem])), 404: ErrorResponse },
    },
  }, async (req) => dictionaries.items(req.params.type, req.query.all === true));

  app.put('/api/dictionaries/:type/:code', {
    config: { access: { permission: 'dictionary.update' } },
    schema: {
      tags: ['dictionaries'], summary: '新增或修改字典项（根工会管理员）', params: DictItemParams, body: PutDictItemBody,
      response: { 200: DictItemFull, 403: ErrorResponse, 404: ErrorResponse },
    },
  }, async (req) => dictionaries.putItem(requestCaller(req), req.params.type, req.params.code, req.body));
};
