import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileTypeFromBuffer } from 'file-type';
import type { FileSealer } from './crypto.js';
import { appError } from './errors.js';

/**
 * The file store (附件存储): files under `DATA_DIR/files`, named by the SHA-256 of their content
 * (two uploads of one file are stored once), sealed with SM4 for sensitive kinds. The type is
 * sniffed from the content with `file-type` while the upload streams: a file whose bytes are not
 * one of the allowed types is refused 415 whatever its name says, before the rest is written.
 * A store that fails half way (a broken upload, over the cap, a refused type) leaves no file.
 */

/** Allowed content types, as `file-type` names them, with the extension a download gets. */
export const ALLOWED_TYPES: ReadonlyMap<string, string> = new Map([
  ['image/jpeg', 'jpg'], ['image/png', 'png'], ['image/webp', 'webp'], ['image/heic', 'heic'],
  ['application/pdf', 'pdf'],
  ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'docx'],
  ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'xlsx'],
  ['audio/mpeg', 'mp3'], ['audio/mp4', 'm4a'], ['audio/x-m4a', 'm4a'], ['audio/wav', 'wav'], ['audio/amr', 'amr'],
  ['video/mp4', 'mp4'],
]);

/** What `file-type` reads of a file's start to name its type. */
const SNIFF_BYTES = 4100;

export interface StoredFile { sha256: string; size: number; contentType: string; key: string; created: boolean }

export interface FileStore {
  /** Streams `content` into the store; throws 415 (type), 413 (over `maxBytes`) or 400 (empty) and keeps nothing. */
  put(content: Readable, opts: { sensitive: boolean; maxBytes: number }): Promise<StoredFile>;
  /** A stored file's content (a sealed one checked and decrypted). */
  open(key: string, sensitive: boolean): Promise<Readable>;
  /** Removes a stored file (an upload whose row could not be written; only when no row names it). */
  remove(key: string): Promise<void>;
}

class TooLarge extends Error {}

export function createFileStore(dir: string, sealer: FileSealer): FileStore {
  const tmpDir = path.join(dir, 'tmp');
  const fileOf = (key: string) => {
    if (!/^[0-9a-f]{2}\/[0-9a-f]{64}(\.sm4)?$/.test(key)) throw new Error(`not a file key: ${key}`);
    return path.join(dir, key);
  };
  return {
    async put(content, { sensitive, maxBytes }) {
      await fs.promises.mkdir(tmpDir, { recursive: true, mode: 0o700 });
      const tmp = path.join(tmpDir, randomUUID());
      const hash = createHash('sha256');
      let size = 0;
      let head: Buffer[] = [];
      let headBytes = 0;
      let contentType: string | undefined;
      const sniff = async () => {
        const found = await fileTypeFromBuffer(Buffer.concat(head));
        head = [];
        if (!found || !ALLOWED_TYPES.has(found.mime)) throw appError('ATTACHMENT_TYPE_REFUSED');
        contentType = found.mime;
      };
      const meter = new Transform({
        transform(chunk: Buffer, _e, cb) {
          size += chunk.length;
          if (size > maxBytes) { cb(new TooLarge()); return; }
          hash.update(chunk);
          if (contentType === undefined) {
            head.push(chunk);
            headBytes += chunk.length;
            if (headBytes >= SNIFF_BYTES) { sniff().then(() => cb(null, chunk), (err: unknown) => cb(err as Error)); return; }
          }
          cb(null, chunk);
        },
        flush(cb) {
          if (size === 0) { cb(appError('ATTACHMENT_EMPTY')); return; }
          if (contentType === undefined) { sniff().then(() => cb(), (err: unknown) => cb(err as Error)); return; }
          cb();
        },
      });
      try {
        const out = fs.createWriteStream(tmp, { mode: 0o600 });
        await (sensitive ? pipeline(content, meter, sealer.seal(), out) : pipeline(content, meter, out));
        if ((content as Readable & { truncated?: boolean }).truncated) throw new TooLarge();
        const sha256 = hash.digest('hex');
        const name = sensitive ? `${sealer.nameOf(sha256)}.sm4` : sha256;
        const key = `${name.slice(0, 2)}/${name}`;
        const file = fileOf(key);
        await fs.promises.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
        let created = true;
        try {
          await fs.promises.link(tmp, file); // fails when the same content is already stored
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
          created = false;
        }
        return { sha256, size, contentType: contentType ?? 'application/octet-stream', key, created };
      } catch (err) {
        if (err instanceof TooLarge || (err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw appError('PAYLOAD_TOO_LARGE');
        throw err;
      } finally {
        await fs.promises.rm(tmp, { force: true });
        if (!content.readableEnded) content.resume(); // drain the rest of a refused upload
      }
    },

    async open(key, sensitive) {
      const file = fileOf(key);
      if (sensitive) return sealer.open(file);
      await fs.promises.access(file);
      return fs.createReadStream(file);
    },

    async remove(key) {
      await fs.promises.rm(fileOf(key), { force: true });
    },
  };
}
