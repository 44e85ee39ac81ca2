import { Type } from 'typebox';
import { invalidField } from './errors.js';
import { BROKEN_TEXT } from './http.js';

/** `?limit=` (≤ 200, default 50) and an opaque keyset `?cursor=`, as api.md fixes for every list. */
export const ListQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
};

export function encodeCursor(key: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

type CursorKind = 'id' | 'timestamp' | 'string';
type CursorValue<T extends CursorKind> = T extends 'id' ? number : string;
const CURSOR_OK: Record<CursorKind, (v: unknown) => boolean> = {
  id: (v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0,
  timestamp: (v) => typeof v === 'string' && v.length <= 40 && /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(v) && !Number.isNaN(Date.parse(v)),
  string: (v) => typeof v === 'string' && v.length <= 200 && !BROKEN_TEXT.test(v),
};

/**
 * Decodes a cursor made by encodeCursor, each key checked against its kind (an id is a
 * non-negative safe integer, a timestamp an ISO instant): a forged or broken one is 400
 * VALIDATION_FAILED, never a value the query cannot take.
 */
export function decodeCursor<S extends Record<string, CursorKind>>(cursor: string | undefined, spec: S): { [K in keyof S]: CursorValue<S[K]> } | undefined {
  if (!cursor) return undefined;
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('bad');
    const out: Record<string, unknown> = {};
    for (const [k, kind] of Object.entries(spec)) {
      const x = (v as Record<string, unknown>)[k];
      if (!CURSOR_OK[kind](x)) throw new Error('bad');
      out[k] = x;
    }
    return out as { [K in keyof S]: CursorValue<S[K]> };
  } catch {
    throw invalidField('cursor', '分页游标无效');
  }
}

/** Cuts one extra row off a page fetched with limit+1 and makes the next cursor from the last row kept. */
export function page<T>(rows: T[], limit: number, key: (row: T) => Record<string, string | number>) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(key(last)) : null };
}
