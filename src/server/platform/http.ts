import type { FastifyError, FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { AppError, catalogMessage } from './errors.js';

/** `{ error: { code, message, details } }`, the one error body of the API. */
export const ErrorResponse = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  }),
});

/**
 * A string or null in a response schema, written the OpenAPI 3.0 way (`nullable: true`). The
 * response serialiser writes it directly, where an anyOf of string and null is tried branch by
 * branch: on a whole-record list page of 50 that doubled the time spent serialising (≈120 → 60 µs).
 */
export const NullableString = (options: { description?: string } = {}) => Type.Unsafe<string | null>({ type: 'string', nullable: true, ...options });

interface AjvError { instancePath?: string; keyword: string; params?: Record<string, unknown>; message?: string }

/** A Chinese message for one schema-validation failure. */
function ajvMessage(e: AjvError): string {
  const p = e.params ?? {};
  switch (e.keyword) {
    case 'required': return '必填';
    case 'maxLength': return `不能超过 ${String(p.limit)} 个字符`;
    case 'minLength': return Number(p.limit) <= 1 ? '不能为空' : `至少 ${String(p.limit)} 个字符`;
    case 'pattern': return '格式不正确';
    case 'enum': return '取值不在允许范围内';
    case 'type': return '类型不正确';
    case 'minimum': return `不能小于 ${String(p.limit)}`;
    case 'maximum': return `不能大于 ${String(p.limit)}`;
    case 'additionalProperties': return '不允许的字段';
    case 'format': return '格式不正确';
    case 'minItems': return `至少 ${String(p.limit)} 项`;
    case 'maxItems': return `最多 ${String(p.limit)} 项`;
    default: return '不符合要求';
  }
}

function ajvField(e: AjvError): string {
  const base = (e.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  const p = e.params ?? {};
  const extra = e.keyword === 'required' ? p.missingProperty : e.keyword === 'additionalProperties' ? p.additionalProperty : undefined;
  if (typeof extra === 'string') return base ? `${base}.${extra}` : extra;
  return base || '(body)';
}

/**
 * The one error handler: typed errors as they are, schema failures as 400 VALIDATION_FAILED with
 * per-field Chinese messages, framework errors mapped by status, and everything else as a
 * generic 500 with the request id (the full error is logged, redacted, never sent).
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    if (err instanceof AppError) {
      if (err.status === 429) reply.header('retry-after', '60');
      return reply.code(err.status).send({ error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } });
    }
    const fe = err as FastifyError & { validation?: AjvError[]; validationContext?: string };
    if (fe.validation) {
      const fields: Record<string, string> = {};
      for (const v of fe.validation) fields[ajvField(v)] ??= ajvMessage(v);
      const first = Object.entries(fields)[0];
      const message = first ? `${first[0]}：${first[1]}` : catalogMessage('VALIDATION_FAILED');
      return reply.code(400).send({ error: { code: 'VALIDATION_FAILED', message, details: { fields } } });
    }
    const status = fe.statusCode ?? 500;
    if (status === 413) return reply.code(413).send({ error: { code: 'PAYLOAD_TOO_LARGE', message: catalogMessage('PAYLOAD_TOO_LARGE') } });
    if (status === 415) return reply.code(415).send({ error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: catalogMessage('UNSUPPORTED_MEDIA_TYPE') } });
    if (status === 429) return reply.code(429).send({ error: { code: 'RATE_LIMITED', message: catalogMessage('RATE_LIMITED') } });
    if (status >= 400 && status < 500) {
      return reply.code(400).send({ error: { code: 'VALIDATION_FAILED', message: '请求格式不正确', details: { reason: fe.code ?? 'BAD_REQUEST' } } });
    }
    req.log.error({ err }, 'unhandled error');
    return reply.code(500).send({ error: { code: 'INTERNAL', message: catalogMessage('INTERNAL'), details: { requestId: req.id } } });
  });

  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send({ error: { code: 'ROUTE_NOT_FOUND', message: catalogMessage('ROUTE_NOT_FOUND') } }),
  );
}
