import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Readable } from 'node:stream';
import type { Database } from '../../db/types.js';
import { recordAudit } from '../../platform/audit.js';
import type { Caller } from '../../platform/caller.js';
import { appError, invalidField, type ErrorCode } from '../../platform/errors.js';
import type { FileStore } from '../../platform/files.js';
import * as repo from './repo.js';

/** The entity a file belongs to, as its module answers for a caller. */
export interface OwnerRef { provinceCode: string; org: { id: number; path: string } }

/**
 * A module whose entities carry files registers itself as their owner: which kinds of file it
 * takes (the sensitive ones are sealed and every download of one is audited), and who may add
 * and read them (null: not found or outside the caller's scope, answered alike).
 */
export interface AttachmentOwner {
  notFound: ErrorCode;
  kinds: Readonly<Record<string, { label: string; sensitive: boolean }>>;
  writable(caller: Caller, id: number): Promise<OwnerRef | null>;
  readable(caller: Caller, id: number): Promise<OwnerRef | null>;
}

export interface Attachment {
  id: number; name: string; size: number; contentType: string; sha256: string; kind: string; kindLabel: string; sensitive: boolean; createdAt: string;
}

/** A file name as shown and offered on download: its last path part, without control characters, at most 200 characters. */
export function cleanFileName(raw: string | undefined): string {
  const base = path.basename((raw ?? '').replace(/\\/g, '/')).replace(/[\uD800-\uDFFF]/gu, '').replace(/[\p{Cc}"]/gu, '').trim();
  if (base === '' || base === '.' || base === '..') return '附件';
  if (base.length <= 200) return base;
  const ext = path.extname(base).slice(0, 20);
  return base.slice(0, 200 - ext.length) + ext;
}

export interface AttachmentDeps { db: Kysely<Database>; store: FileStore; maxBytes: number }

export function createAttachmentService({ db, store, maxBytes }: AttachmentDeps) {
  const owners = new Map<string, AttachmentOwner>();
  const ownerOf = (entityType: string) => {
    const o = owners.get(entityType);
    if (!o) throw new Error(`no attachment owner for ${entityType}`);
    return o;
  };
  const toAttachment = (r: Awaited<ReturnType<typeof repo.listOf>>[number]): Attachment => ({
    id: r.id, name: r.name, size: r.size, contentType: r.content_type, sha256: r.sha256, kind: r.kind,
    kindLabel: owners.get(r.entity_type)?.kinds[r.kind]?.label ?? r.kind, sensitive: r.sensitive, createdAt: r.created_at.toISOString(),
  });

  return {
    register(entityType: string, owner: AttachmentOwner) {
      if (owners.has(entityType)) throw new Error(`attachment owner ${entityType} registered twice`);
      owners.set(entityType, owner);
    },

    /** Streams an upload into the store and links it to the entity; nothing stays when any step fails. */
    async upload(caller: Caller, entityType: string, entityId: number, kind: string, file: { filename: string; stream: Readable }): Promise<Attachment> {
      const owner = ownerOf(entityType);
      const kindOf = owner.kinds[kind];
      const ref = await owner.writable(caller, entityId);
      if (!ref || !kindOf) {
        file.stream.resume();
        if (!ref) throw appError(owner.notFound);
        throw invalidField('kind', `附件类别不正确，可选：${Object.entries(owner.kinds).map(([k, v]) => `${k}（${v.label}）`).join('、')}`);
      }
      const name = cleanFileName(file.filename);
      const stored = await store.put(file.stream, { sensitive: kindOf.sensitive, maxBytes });
      try {
        const row = await db.transaction().execute(async (trx) => {
          const r = await repo.insert(trx, {
            province_code: ref.provinceCode, entity_type: entityType, entity_id: entityId, kind, name, content_type: stored.contentType,
            size: stored.size, sha256: stored.sha256, sensitive: kindOf.sensitive, storage_key: stored.key, uploaded_by: caller.actor.userId,
          });
          await recordAudit(trx, caller.actor, {
            action: 'attachment.upload', entityType, entityId, org: ref.org,
            after: { attachmentId: r.id, kind, size: stored.size, contentType: stored.contentType, sha256: stored.sha256 },
          });
          return r;
        });
        return toAttachment(row);
      } catch (err) {
        // the row was not written: the file goes too, unless it is an older upload's content
        if (stored.created && !(await repo.isStored(db, stored.key))) await store.remove(stored.key);
        throw err;
      }
    },

    async list(caller: Caller, entityType: string, entityId: number): Promise<Attachment[]> {
      const owner = ownerOf(entityType);
      if (!(await owner.readable(caller, entityId))) throw appError(owner.notFound);
      return (await repo.listOf(db, entityType, entityId)).map(toAttachment);
    },

    /** A file for download: its metadata and content, when the caller may read its entity; a sensitive one's download is audited. */
    async open(caller: Caller, id: number): Promise<{ attachment: Attachment; content: Readable }> {
      const row = await repo.findById(db, id);
      const owner = row ? owners.get(row.entity_type) : undefined;
      const ref = row && owner ? await owner.readable(caller, row.entity_id) : null;
      if (!row || !ref) throw appError('ATTACHMENT_NOT_FOUND');
      const content = await store.open(row.storage_key, row.sensitive);
      if (row.sensitive) {
        try {
          await db.transaction().execute((trx) => recordAudit(trx, caller.actor, {
            action: 'attachment.download', entityType: row.entity_type, entityId: row.entity_id, org: ref.org, after: { attachmentId: row.id, kind: row.kind },
          }));
        } catch (err) {
          content.destroy(); // no audit record, no download
          throw err;
        }
      }
      return { attachment: toAttachment(row), content };
    },
  };
}
export type AttachmentService = ReturnType<typeof createAttachmentService>;
