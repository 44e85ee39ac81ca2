import { Type } from 'typebox';
import { invalidField } from './errors.js';

/** `?limit=` (≤ 200, default 50) and an opaque keyset `?cursor=`, as api.md fixes for every list. */
export const ListQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
};

export function encodeCursor(key: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** Decodes a cursor made by encodeCursor; a forged or broken one is 400 VALIDATION_FAILED. */
export function decodeCursor<K extends Record<string, string | number>>(cursor: string | undefined, keys: Array<keyof K>): K | undefined {
  if (!cursor) return undefined;
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    for (const k of keys) {
      const x = v[k as string];
      if (typeof x !== 'string' && typeof x !== 'number') throw new Error('bad');
    }
    return v as K;
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
