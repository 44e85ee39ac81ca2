import { createCipheriv, createDecipheriv, createHmac, randomBytes, randomFillSync, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline as pipelineCb, Transform, Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * PII at rest (证件号、手机号), with 商用密码 (GM/T) primitives from Node's OpenSSL:
 * SM4-CBC with a random IV, then HMAC-SM3 over IV and ciphertext (encrypt-then-MAC); and a keyed
 * HMAC-SM3 blind index for exact lookup without decrypting. Three keys derive from one master key.
 */
export interface PiiCipher {
  encrypt(plain: string): string;
  decrypt(token: string): string;
  /** Deterministic keyed index of a normalised value; `kind` separates id numbers from phones. */
  blindIndex(kind: string, value: string): string;
  /** A keyed HMAC-SM3 tag (base64url) for signed tokens such as the member card QR; `purpose` separates uses. */
  sign(purpose: string, data: string): string;
  /** Constant-time check of a tag made by sign(). */
  verify(purpose: string, data: string, tag: string): boolean;
}

const sm3Hmac = (key: Buffer, data: Buffer | string) => createHmac('sm3', key).update(data).digest();

/**
 * Fresh random IVs from the CSPRNG, drawn 4,096 at a time: one call per IV cost ≈5 µs, as much as
 * the SM4 encryption itself, when rosters seal millions of values. Each IV is handed out once.
 */
function ivSource(): () => Buffer {
  const pool = Buffer.alloc(16 * 4096);
  let next = pool.length;
  return () => {
    if (next === pool.length) { randomFillSync(pool); next = 0; }
    const iv = Buffer.from(pool.subarray(next, next + 16));
    next += 16;
    return iv;
  };
}

/**
 * The key of the audit log's HMAC chain, derived from the master key (kept outside the database:
 * GONGHUI_PII_KEY or DATA_DIR/pii.key), so whoever can edit the database alone cannot recompute
 * the chain after an edit.
 */
export function auditKeyFrom(masterKeyHex: string): Buffer {
  if (!/^[0-9a-fA-F]{64}$/.test(masterKeyHex)) throw new Error('master key must be 64 hex characters (32 bytes)');
  return sm3Hmac(Buffer.from(masterKeyHex, 'hex'), 'gonghui/audit-chain');
}

/** The master key each cipher was made from, for handing it to a worker thread (never to a client or a log). */
const MASTER_KEYS = new WeakMap<PiiCipher, string>();

/** The master key a cipher was made from: for starting a worker thread that seals rows itself. */
export function masterKeyOf(pii: PiiCipher): string {
  const key = MASTER_KEYS.get(pii);
  if (!key) throw new Error('cipher was not made by createPiiCipher');
  return key;
}

export function createPiiCipher(masterKeyHex: string): PiiCipher {
  const cipher = makeCipher(masterKeyHex);
  MASTER_KEYS.set(cipher, masterKeyHex);
  return cipher;
}

function makeCipher(masterKeyHex: string): PiiCipher {
  if (!/^[0-9a-fA-F]{64}$/.test(masterKeyHex)) throw new Error('PII master key must be 64 hex characters (32 bytes)');
  const master = Buffer.from(masterKeyHex, 'hex');
  const encKey = sm3Hmac(master, 'gonghui/pii/sm4').subarray(0, 16);
  const macKey = sm3Hmac(master, 'gonghui/pii/mac');
  const idxKey = sm3Hmac(master, 'gonghui/pii/blind-index');
  const tokenKey = sm3Hmac(master, 'gonghui/token');
  const tag = (purpose: string, data: string) => sm3Hmac(tokenKey, `${purpose}\u0000${data}`);
  const freshIv = ivSource();
  return {
    encrypt(plain) {
      const iv = freshIv();
      const c = createCipheriv('sm4-cbc', encKey, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      const mac = sm3Hmac(macKey, Buffer.concat([iv, body]));
      return `v1.${Buffer.concat([iv, body, mac]).toString('base64url')}`;
    },
    decrypt(token) {
      if (!token.startsWith('v1.')) throw new Error('unknown PII token version');
      const raw = Buffer.from(token.slice(3), 'base64url');
      const iv = raw.subarray(0, 16);
      const body = raw.subarray(16, raw.length - 32);
      const mac = raw.subarray(raw.length - 32);
      const expected = sm3Hmac(macKey, Buffer.concat([iv, body]));
      if (mac.length !== 32 || !timingSafeEqual(mac, expected)) throw new Error('PII token failed authentication');
      const d = createDecipheriv('sm4-cbc', encKey, iv);
      return Buffer.concat([d.update(body), d.final()]).toString('utf8');
    },
    blindIndex(kind, value) {
      return sm3Hmac(idxKey, `${kind}\u0000${value}`).toString('hex');
    },
    sign(purpose, data) {
      return tag(purpose, data).toString('base64url');
    },
    verify(purpose, data, given) {
      const a = Buffer.from(given, 'base64url');
      const b = tag(purpose, data);
      return a.length === b.length && timingSafeEqual(a, b);
    },
  };
}

/** The master key if there is one (GONGHUI_PII_KEY or DATA_DIR/pii.key), without generating one. */
export function readPiiKey(configured: string | undefined, dataDir: string): string | undefined {
  if (configured) return configured;
  const file = path.join(dataDir, 'pii.key');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : undefined;
}

/**
 * The master key: GONGHUI_PII_KEY, or (embedded default) a key file in the data directory,
 * generated on first start. Returns whether it was generated, so the caller can say so.
 */
export function loadOrCreatePiiKey(configured: string | undefined, dataDir: string): { key: string; generatedFile?: string } {
  if (configured) return { key: configured };
  const file = path.join(dataDir, 'pii.key');
  if (fs.existsSync(file)) return { key: fs.readFileSync(file, 'utf8').trim() };
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32).toString('hex');
  fs.writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return { key, generatedFile: file };
}

/**
 * Files of sensitive kinds (ID copies, medical records, call recordings) at rest: the file is
 * IV ‖ SM4-CBC(content) ‖ HMAC-SM3(IV ‖ ciphertext), with keys of their own derived from the PII
 * master key. A sealed file is named by a keyed hash of its content's SHA-256, so the content's
 * own hash (which a guess could be checked against) is not on disk.
 */
export interface FileSealer {
  /** A transform from content to the sealed file. */
  seal(): Transform;
  /** The content of a sealed file, after its tag has been checked (throws when it fails). */
  open(file: string): Promise<Readable>;
  nameOf(sha256: string): string;
}

const SEALERS = new WeakMap<PiiCipher, FileSealer>();

export function fileSealerOf(pii: PiiCipher): FileSealer {
  const known = SEALERS.get(pii);
  if (known) return known;
  const master = Buffer.from(masterKeyOf(pii), 'hex');
  const encKey = sm3Hmac(master, 'gonghui/files/sm4').subarray(0, 16);
  const macKey = sm3Hmac(master, 'gonghui/files/mac');
  const nameKey = sm3Hmac(master, 'gonghui/files/name');
  const sealer: FileSealer = {
    seal() {
      const iv = randomBytes(16);
      const cipher = createCipheriv('sm4-cbc', encKey, iv);
      const mac = createHmac('sm3', macKey).update(iv);
      let started = false;
      return new Transform({
        transform(chunk: Buffer, _enc, cb) {
          const out = cipher.update(chunk);
          mac.update(out);
          if (!started) { started = true; cb(null, Buffer.concat([iv, out])); } else cb(null, out);
        },
        flush(cb) {
          const last = cipher.final();
          mac.update(last);
          cb(null, Buffer.concat([started ? Buffer.alloc(0) : iv, last, mac.digest()]));
        },
      });
    },
    async open(file) {
      const { size } = await fs.promises.stat(file);
      if (size < 16 + 16 + 32) throw new Error('sealed file too short');
      const mac = createHmac('sm3', macKey);
      await pipeline(fs.createReadStream(file, { end: size - 33 }), new Writable({ write(chunk: Buffer, _e, cb) { mac.update(chunk); cb(); } }));
      const iv = Buffer.alloc(16);
      const tag = Buffer.alloc(32);
      const fd = await fs.promises.open(file, 'r');
      try {
        await fd.read(iv, 0, 16, 0);
        await fd.read(tag, 0, 32, size - 32);
      } finally { await fd.close(); }
      if (!timingSafeEqual(tag, mac.digest())) throw new Error('sealed file failed authentication');
      const out = createDecipheriv('sm4-cbc', encKey, iv);
      // a read error destroys the decipher with it, so the response fails instead of ending short
      pipelineCb(fs.createReadStream(file, { start: 16, end: size - 33 }), out, () => undefined);
      return out;
    },
    nameOf: (sha256) => sm3Hmac(nameKey, sha256).toString('hex'),
  };
  SEALERS.set(pii, sealer);
  return sealer;
}
