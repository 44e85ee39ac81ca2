import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/types.js';

type Q = Kysely<Database> | Transaction<Database>;

/** Dictionaries are global reference data (no scope): every officer and the public pages read them. */
export function listItems(db: Q, type: string, includeDisabled: boolean) {
  let q = db.selectFrom('dictionary_item').selectAll().where('type', '=', type).orderBy('sort').orderBy('code');
  if (!includeDisabled) q = q.where('enabled', '=', true);
  return q.execute();
}

export function findItem(db: Q, type: string, code: string) {
  return db.selectFrom('dictionary_item').selectAll().where('type', '=', type).where('code', '=', code).executeTakeFirst();
}

export function upsertItem(trx: Transaction<Database>, v: { type: string; code: string; label: string; sort: number; enabled: boolean }) {
  return trx
    .insertInto('dictionary_item')
    .values(v)
    .onConflict((oc) => oc.columns(['type', 'code']).doUpdateSet({ label: v.label, sort: v.sort, enabled: v.enabled }))
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Inserts missing seed items; existing items (and admins' edits to them) are left alone. */
export async function seedMissing(db: Q, rows: Array<{ type: string; code: string; label: string; sort: number }>) {
  if (rows.length === 0) return;
  await db.insertInto('dictionary_item').values(rows).onConflict((oc) => oc.columns(['type', 'code']).doNothing()).execute();
}
