import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { Type, type TSchema } from 'typebox';
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
/** A value of the schema, or null (`Type.Union([t, Type.Null()])`). */
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
export const NullableString = (options: { description?: string } = {}) => Type.Unsafe<string | null>({ type: 'string', nullable: true, ...options });

/** Integer ids of `integer` columns (org, accounts): beyond them PostgreSQL would fail the query. */
export const IntId = (options: { description?: string } = {}) => Type.Integer({ minimum: 1, maximum: 2 ** 31 - 1, ...options });
/** Integer ids of `bigint` columns, up to what a JSON number holds exactly. */
export const BigId = (options: { description?: string } = {}) => Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, ...options });

/**
 * Characters a name must not hold: control characters, zero-width and other format characters
 * (including the bidirectional overrides U+202A–202E and U+2066–2069 that make 张三 read as
 * another name), and line or paragraph separators.
 */
const SPOOFING = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
export const DISPLAY_NAME_FORMAT = 'display-name';
/** A name (of a union, an officer, a caller, an employer): no control, zero-width or direction characters. */
export const NameText = (options: { minLength?: number; maxLength: number; description?: string }) => Type.String({ minLength: 1, ...options, format: DISPLAY_NAME_FORMAT });
/** Adds the name format to the schema validator (Fastify's ajv plugins option). */
export function ajvFormats(ajv: { addFormat(name: string, f: (s: string) => boolean): unknown }) {
  ajv.addFormat(DISPLAY_NAME_FORMAT, (v: string) => !SPOOFING.test(v));
  return ajv;
}

/** NUL and lone surrogates: PostgreSQL refuses the first in text and both break JSON round trips. */
// eslint-disable-next-line no-control-regex -- finding NUL is the point
export const BROKEN_TEXT = /\u0000|[\uD800-\uDFFF]/u;

const isPlain = (v: unknown): v is Record<string, unknown> =>
  // plain objects, including the query parser's (whose prototype is itself a null-prototype object)
  !!v && typeof v === 'object' && ((v as { constructor?: unknown }).constructor === Object || (v as { constructor?: unknown }).constructor === undefined);

/** The path of the first value in a parsed body, query or params (or key) that `bad` finds. */
function firstBad(value: unknown, bad: (v: unknown) => boolean, at = ''): string | null {
  if (bad(value)) return at || '(body)';
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) { const p = firstBad(value[i], bad, at ? `${at}.${i}` : String(i)); if (p) return p; }
    return null;
  }
  if (isPlain(value)) {
    for (const [k, v] of Object.entries(value)) {
      const here = at ? `${at}.${k}` : k;
      if (bad(k)) return here;
      const p = firstBad(v, bad, here);
      if (p) return p;
    }
  }
  return null;
}

/** The path of the first string (or key) that holds NUL or a lone surrogate. */
export const brokenTextAt = (value: unknown): string | null => firstBad(value, (v) => typeof v === 'string' && BROKEN_TEXT.test(v));

/**
 * Refuses, in every field of every route, text with NUL or a lone surrogate (before validation)
 * and numbers that are not finite (after it: the validator reads "1e400" as an integer, Infinity).
 */
function registerInputGuards(app: FastifyInstance): void {
  const refuse = (where: string, at: string, message: string) => {
    const field = where === 'body' ? at : `${where}.${at}`;
    return new AppError('VALIDATION_FAILED', `${field}：${message}`, { fields: { [field]: message } });
  };
  app.addHook('preValidation', async (req) => {
    for (const [where, value] of [['params', req.params], ['query', req.query], ['body', req.body]] as const) {
      const at = brokenTextAt(value);
      if (at) throw refuse(where, at, '不能包含空字符（NUL）或不完整的 Unicode 字符');
    }
  });
  app.addHook('preHandler', async (req) => {
    for (const [where, value] of [['params', req.params], ['query', req.query], ['body', req.body]] as const) {
      const at = firstBad(value, (v) => typeof v === 'number' && !Number.isFinite(v));
      if (at) throw refuse(where, at, '数值超出范围');
    }
  });
}

/**
 * The web app's Content-Security-Policy: scripts, styles, fonts and data only from this origin
 * (antd writes its CSS-in-JS into <style> elements, hence inline styles; QR codes are data:
 * images), no plugins, no framing by another site, forms and <base> to this origin only.
 */
export const APP_CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data: blob:", "font-src 'self' data:",
  "connect-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'",
].join('; ');

/**
 * Headers of every answer: no framing (X-Frame-Options and CSP frame-ancestors), no MIME
 * sniffing, the referrer kept to this origin, HSTS behind HTTPS; a strict CSP for the web app, a
 * CSP that allows nothing for API answers (JSON, files), and only frame-ancestors for the API
 * docs (Swagger UI brings its own inline code).
 */
export function securityHeaders(url: string, https: boolean): Array<[string, string]> {
  const csp = url.startsWith('/api/docs') ? "frame-ancestors 'none'" : url.startsWith('/api/') ? "default-src 'none'; frame-ancestors 'none'" : APP_CSP;
  return [
    ['x-content-type-options', 'nosniff'],
    ['x-frame-options', 'DENY'],
    ['referrer-policy', 'same-origin'],
    ['content-security-policy', csp],
    ['cross-origin-opener-policy', 'same-origin'],
    ...(https ? [['strict-transport-security', 'max-age=31536000; includeSubDomains'] as [string, string]] : []),
  ];
}

/** Host names a link may be built from when PUBLIC_URL is not set: this machine only. */
const LOOPBACK_HOST = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d{1,5})?$/i;

/**
 * The site's public address for links put into QR codes (join links, member cards): PUBLIC_URL
 * when set. Without it, only a request addressed to this machine itself (localhost, 127.x, [::1]:
 * the quick start) may lend its Host; any other Host header is the client's word, and a QR code
 * built from it could send workers to another site, so the answer is 422 PUBLIC_URL_REQUIRED.
 */
export function publicBaseUrl(publicUrl: string | undefined, req: { protocol: string; host: string }): string {
  if (publicUrl) return publicUrl;
  if (LOOPBACK_HOST.test(req.host)) return `${req.protocol}://${req.host}`;
  throw new AppError('PUBLIC_URL_REQUIRED');
}

/** A URL the router cannot decode (malformed percent encoding) answers in the API's error shape. */
export function badUrl(err: FastifyError, _req: unknown, reply: FastifyReply): void {
  void reply.code(400).send({ error: { code: 'VALIDATION_FAILED', message: '请求地址格式不正确', details: { reason: err.code } } });
}

/** So does a request Node's HTTP parser refuses (a URL or headers over its size limit, a broken request line). */
export function clientError(err: Error & { code?: string }, socket: Socket): void {
  const large = err.code === 'HPE_HEADER_OVERFLOW';
  const body = JSON.stringify({ error: { code: large ? 'PAYLOAD_TOO_LARGE' : 'VALIDATION_FAILED', message: large ? '请求地址或请求头过长' : '请求格式不正确' } });
  if (!socket.writable) { socket.destroy(); return; }
  socket.end(`HTTP/1.1 ${large ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

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
    case 'format': return p.format === DISPLAY_NAME_FORMAT ? '不能包含控制字符、零宽字符或文字方向控制符' : '格式不正确';
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
  registerInputGuards(app);

  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    if (err instanceof AppError) {
      const wait = err.details?.retryAfterSeconds;
      if (err.status === 429 || err.status === 423) reply.header('retry-after', String(typeof wait === 'number' ? wait : 60));
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

/** The media type of the .xlsx files the API sends. */
export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** A file answer (xlsx, png): documented as binary, sent as a Buffer or stream. */
export const Binary = Type.Unsafe<unknown>({ type: 'string', format: 'binary' });
/** RFC 5987 ext-value characters: encodeURIComponent leaves ' ( ) * as they are, which the header grammar does not allow. */
const extValue = (name: string) => encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
/** Content-Disposition for a download named `name`: an ASCII fallback (non-ASCII as _) and the UTF-8 name (RFC 6266). */
export const attachment = (name: string) => `attachment; filename="${extValue(name).replace(/%[0-9A-F]{2}/g, '_')}"; filename*=UTF-8''${extValue(name)}`;
