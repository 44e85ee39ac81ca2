import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/types.js';

type Q = Kysely<Database> | Transaction<Database>;

/** The calendar is national reference data (no scope). */
export function allOverrides(db: Q) {
  return db.selectFrom('calendar_day').selectAll().orderBy('day').execute();
}

export function findDay(db: Q, day: string) {
  return db.selectFrom('calendar_day').selectAll().where('day', '=', day).executeTakeFirst();
}

export function upsertDay(trx: Transaction<Database>, v: { day: string; workday: boolean; name: string | null; source: 'admin' | 'package' }) {
  return trx
    .insertInto('calendar_day')
    .values(v)
    .onConflict((oc) => oc.column('day').doUpdateSet({ workday: v.workday, name: v.name, source: v.source }))
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Inserts package days that are missing; admins' edits stay. */
export async function seedMissing(db: Q, rows: Array<{ day: string; workday: boolean; name: string; source: 'package' }>) {
  for (let i = 0; i < rows.length; i += 500) {
    await db.insertInto('calendar_day').values(rows.slice(i, i + 500)).onConflict((oc) => oc.column('day').doNothing()).execute();
  }
}
