import type { Kysely } from 'kysely';
import { DICTIONARIES } from '../../../common/dictionaries.js';
import type { Database } from '../../db/types.js';
import { recordAudit } from '../../platform/audit.js';
import { appError } from '../../platform/errors.js';
import type { Caller } from '../../platform/caller.js';
import * as repo from './repo.js';

export function createDictionaryService({ db, rootPath }: { db: Kysely<Database>; rootPath: () => string }) {
  function known(type: string) {
    const d = DICTIONARIES[type];
    if (!d) throw appError('DICTIONARY_NOT_FOUND', { type });
    return d;
  }
  return {
    types() {
      return Object.entries(DICTIONARIES).map(([type, d]) => ({ type, name: d.name }));
    },

    /** Items of one dictionary with Chinese labels; disabled items only when asked (admin pages). */
    async items(type: string, includeDisabled = false) {
      known(type);
      const rows = await repo.listItems(db, type, includeDisabled);
      return rows.map((r) => (includeDisabled ? { code: r.code, label: r.label, sort: r.sort, enabled: r.enabled } : { code: r.code, label: r.label }));
    },

    /** Relabels, reorders, disables or adds an item. Dictionaries are national: only admins of the root union edit them. */
    async putItem(caller: Caller, type: string, code: string, body: { label: string; sort?: number; enabled?: boolean }) {
      const { actor } = caller; // root-only: the route's permission counts only in the root union (policy.ts)
      known(type);
      const root = rootPath();
      return db.transaction().execute(async (trx) => {
        const before = await repo.findItem(trx, type, code);
        const row = await repo.upsertItem(trx, {
          type, code, label: body.label.trim(), sort: body.sort ?? before?.sort ?? 0, enabled: body.enabled ?? before?.enabled ?? true,
        });
        await recordAudit(trx, actor, {
          action: 'dictionary.put', entityType: 'dictionary_item', entityId: `${type}:${code}`,
          org: { id: Number(root.split('/')[1]), path: root },
          before: before ? { label: before.label, sort: before.sort, enabled: before.enabled } : null,
          after: { label: row.label, sort: row.sort, enabled: row.enabled },
        });
        return { code: row.code, label: row.label, sort: row.sort, enabled: row.enabled };
      });
    },

    /** Seeds the national code lists (missing items only). */
    async seed() {
      const rows = Object.entries(DICTIONARIES).flatMap(([type, d]) =>
        d.items.map((it, i) => ({ type, code: it.code, label: it.label, sort: (i + 1) * 10 })),
      );
      await repo.seedMissing(db, rows);
    },
  };
}

export type DictionaryService = ReturnType<typeof createDictionaryService>;
