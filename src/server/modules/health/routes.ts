import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sql, type Kysely } from 'kysely';
import { Type } from 'typebox';
import type { Database } from '../../db/types.js';
import type { Engine } from '../../db/connect.js';

export const healthRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<Database>; engine: Engine; demo: boolean }> = async (app, { db, engine, demo }) => {
  app.get('/api/health', {
    config: { access: { public: true } },
    schema: {
      tags: ['health'], summary: '健康检查',
      response: { 200: Type.Object({ status: Type.Literal('ok'), database: Type.Enum(['pglite', 'postgres']), demo: Type.Boolean({ description: '演示环境：存在使用公开密码的演示账号' }) }) },
    },
  }, async () => {
    await sql`select 1`.execute(db);
    return { status: 'ok' as const, database: engine, demo };
  });
};
