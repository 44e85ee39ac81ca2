import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPiiCipher, loadOrCreatePiiKey, masterKeyOf } from './crypto.js';

describe('the master key file', () => {
  it('is generated readable by its owner only, in a directory only its owner can enter', () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'key-')), 'data', 'nested');
    const k = loadOrCreatePiiKey(undefined, dir);
    expect(k.generatedFile).toBe(path.join(dir, 'pii.key'));
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(dir, 'pii.key')).mode & 0o777).toBe(0o600);
    expect(loadOrCreatePiiKey(undefined, dir)).toEqual({ key: k.key });
  });

  it('is handed to worker threads only through masterKeyOf, for ciphers it made', () => {
    const key = 'ab'.repeat(32);
    expect(masterKeyOf(createPiiCipher(key))).toBe(key);
    expect(() => masterKeyOf({ ...createPiiCipher(key) })).toThrow();
  });
});
