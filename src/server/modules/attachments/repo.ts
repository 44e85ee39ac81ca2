import type { Insertable, Kysely, Transaction } from 'kysely';
import type { AttachmentTable, Database } from '../../db/types.js';

type Q = Kysely<Database> | Transaction<Database>;

export function insert(trx: Transaction<Database>, row: Insertable<AttachmentTable>) {
  return trx.insertInto('attachment').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findById(db: Q, id: number) {
  return db.selectFrom('attachment').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listOf(db: Q, entityType: string, entityId: number) {
  return db.selectFrom('attachment').selectAll().where('entity_type', '=', entityType).where('entity_id', '=', entityId).orderBy('id').execute();
}

export async function isStored(db: Q, storageKey: string): Promise<boolean> {
  return (await db.selectFrom('attachment').select('id').where('storage_key', '=', storageKey).limit(1).executeTakeFirst()) !== undefined;
}
