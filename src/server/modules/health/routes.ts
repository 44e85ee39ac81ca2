import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sql, type Kysely } from 'kysely';
import { Type } from 'typebox';
import type { Database } from '../../db/types.js';
import type { Engine } from '../../db/connect.js';

export const healthRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<Database>; engine: Engine }> = async (app, { db, engine }) => {
  app.get('/api/health', {
    config: { access: { public: true } },
    schema: {
      tags: ['health'], summary: '健康检查',
      response: { 200: Type.Object({ status: Type.Literal('ok'), database: Type.Enum(['pglite', 'postgres']) }) },
    },
  }, async () => {
    await sql`select 1`.execute(db);
    return { status: 'ok' as const, database: engine };
  });
};
