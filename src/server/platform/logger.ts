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

export function loggerOptions(level: string): Exclude<FastifyServerOptions['logger'], boolean | undefined> {
  return { level, redact: { paths: REDACT_PATHS, censor: '[REDACTED]' } };
}
