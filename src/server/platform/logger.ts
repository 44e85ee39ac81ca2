import type { FastifyServerOptions } from 'fastify';

/**
 * Structured logs (pino) with request ids. PII and secrets are redacted wherever they might
 * appear: cookies, CSRF tokens, passwords, identity numbers, phones.
 */
export const REDACT_PATHS = [
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  '*.password',
  '*.idNumber',
  '*.phone',
  '*.token',
  'body.password',
  'body.idNumber',
  'body.phone',
];

/** Query parameters whose values are PII or secrets whatever they look like. */
const SECRET_QUERY = new Set(['q', 'phone', 'idnumber', 'token', 'applicationno', 'ticketno', 'name', 'reason', 'password']);
/** A run of digits as long as a phone's or an ID's tail, or an identity number (15/18 characters, X last). */
const NUMBERISH = /\d{6,}|\d{5,}[xX]/;

/**
 * A request URL fit for a log: each query value that is PII by its name (`q`, `phone`, …) or by its
 * shape (six or more digits: an identity number, a phone, their tails) is replaced by `[REDACTED]`,
 * and so is any path segment with such a run of digits. Malformed encodings are redacted whole.
 */
export function redactUrl(url: string): string {
  const at = url.indexOf('?');
  const pathPart = at < 0 ? url : url.slice(0, at);
  const safePath = pathPart.split('/').map((seg) => (NUMBERISH.test(seg) || /%(?![0-9a-fA-F]{2})/.test(seg) ? '[REDACTED]' : seg)).join('/');
  if (at < 0) return safePath;
  const pairs = url.slice(at + 1).split('&').map((pair) => {
    const eq = pair.indexOf('=');
    const rawKey = eq < 0 ? pair : pair.slice(0, eq);
    let key: string;
    let value: string;
    try {
      key = decodeURIComponent(rawKey.replace(/\+/g, ' '));
      value = eq < 0 ? '' : decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, ' '));
    } catch {
      return '[REDACTED]';
    }
    if (eq < 0) return NUMBERISH.test(key) ? '[REDACTED]' : rawKey;
    return SECRET_QUERY.has(key.toLowerCase()) || NUMBERISH.test(value) ? `${rawKey}=[REDACTED]` : pair;
  });
  return `${safePath}?${pairs.join('&')}`;
}

interface LoggedRequest { method?: string; url?: string; ip?: string; socket?: { remotePort?: number }; headers?: Record<string, unknown> }

export function loggerOptions(level: string): Exclude<FastifyServerOptions['logger'], boolean | undefined> {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    serializers: {
      // Fastify's own request serializer, with the URL's PII redacted (it carries searches and public lookups)
      req: (req: LoggedRequest) => ({ method: req.method, url: redactUrl(req.url ?? ''), host: typeof req.headers?.host === 'string' ? req.headers.host : undefined, remoteAddress: req.ip, remotePort: req.socket?.remotePort }),
    },
  };
}
