import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import type { Database } from '../../db/types.js';
import { listAudit } from '../../platform/audit.js';
import { requestCaller } from '../../platform/auth.js';
import { decodeCursor, ListQuery, page } from '../../platform/pagination.js';

const AuditItem = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  actorName: Type.Union([Type.String(), Type.Null()]),
  orgId: Type.Union([Type.Integer(), Type.Null()]),
  action: Type.String(),
  entityType: Type.String(),
  entityId: Type.Union([Type.String(), Type.Null()]),
  before: Type.Unknown(),
  after: Type.Unknown(),
  requestId: Type.Union([Type.String(), Type.Null()]),
});

/** /api/audit — the audit log of the caller's subtree (审计日志), newest first. */
export const auditRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<Database> }> = async (app, { db }) => {
  app.get('/api/audit', {
    config: { access: { permission: 'audit.read' } },
    schema: {
      tags: ['audit'], summary: '审计日志（本级及下级）',
      querystring: Type.Object({
        action: Type.Optional(Type.String({ maxLength: 60 })),
        entityType: Type.Optional(Type.String({ maxLength: 40 })),
        ...ListQuery,
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(AuditItem), nextCursor: Type.Union([Type.String(), Type.Null()]) }) },
    },
  }, async (req) => {
    const limit = req.query.limit ?? 50;
    const before = decodeCursor(req.query.cursor, { id: 'id' });
    const rows = await listAudit(db, requestCaller(req).scope, {
      limit: limit + 1, beforeId: before?.id, action: req.query.action, entityType: req.query.entityType,
    });
    const p = page(rows, limit, (r) => ({ id: r.id }));
    return { items: p.items.map((r) => ({ ...r, at: r.at.toISOString() })), nextCursor: p.nextCursor };
  });
};
