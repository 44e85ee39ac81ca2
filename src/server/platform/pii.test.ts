import { describe, expect, it } from 'vitest';
import { createPiiCipher } from './crypto.js';
import { checkPhone, checkResidentId, maskIdNumber, maskName, maskPhone } from './pii.js';

const KEY = 'ab'.repeat(32);

describe('PII cipher (SM4-CBC + HMAC-SM3)', () => {
  const c = createPiiCipher(KEY);
  it('round-trips, randomises ciphertext, and keeps a deterministic blind index', () => {
    const a = c.encrypt('11010519491231002X');
    const b = c.encrypt('11010519491231002X');
    expect(a).not.toBe(b);
    expect(a).not.toContain('1101051949');
    expect(c.decrypt(a)).toBe('11010519491231002X');
    expect(c.blindIndex('phone', '13800138000')).toBe(c.blindIndex('phone', '13800138000'));
    expect(c.blindIndex('phone', '13800138000')).not.toBe(c.blindIndex('resident_id', '13800138000'));
    expect(createPiiCipher('cd'.repeat(32)).blindIndex('phone', '13800138000')).not.toBe(c.blindIndex('phone', '13800138000'));
  });
  it('never repeats an IV, across refills of its random pool', () => {
    const ivs = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const tok = c.encrypt('13800138000');
      ivs.add(Buffer.from(tok.slice(3), 'base64url').subarray(0, 16).toString('hex'));
      if (i % 4095 === 0) expect(c.decrypt(tok)).toBe('13800138000');
    }
    expect(ivs.size).toBe(10_000);
  });
  it('refuses tampered tokens and bad keys', () => {
    const tok = c.encrypt('13800138000');
    const flipped = `${tok.slice(0, 10)}${tok.charAt(10) === 'A' ? 'B' : 'A'}${tok.slice(11)}`;
    expect(() => c.decrypt(flipped)).toThrow();
    expect(() => createPiiCipher('short')).toThrow(/64 hex/);
  });
});

describe('masking', () => {
  it('masks phones, identity numbers and names', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('02488776655')).toBe('0248****6655');
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
    expect(maskIdNumber('E12345678')).toBe('E1*****78');
    expect(maskIdNumber('USA123456789012')).toBe('USA123*****9012');
    expect(maskIdNumber('123')).toBe('***');
    expect(maskName('王小明')).toBe('王**');
  });
});

describe('phone numbers', () => {
  it.each([['13812345678', '13812345678'], ['+86 138-1234-5678', '13812345678'], ['１３８１２３４５６７８', '13812345678'], ['024-88776655', '02488776655']])('accepts %s', (raw, v) => {
    expect(checkPhone(raw)).toEqual({ ok: true, value: v });
  });
  it.each([
    ['12812345678', '第二位'], ['1381234567', '11 位手机号'], ['138abc45678', '只能包含数字'], ['', '请填写'],
  ])('rejects %s', (raw, msg) => {
    const r = checkPhone(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain(msg);
  });
  it('mobile-only mode refuses landlines', () => {
    expect(checkPhone('02488776655', { mobileOnly: true }).ok).toBe(false);
  });
});

describe('居民身份证号 (GB 11643)', () => {
  it('accepts a valid number, lower-case x, full width and spaces; derives birth date and sex', () => {
    expect(checkResidentId('11010519491231002X')).toEqual({ ok: true, value: '11010519491231002X', birthDate: '1949-12-31', gender: 'female' });
    expect(checkResidentId('11010519491231002x').ok).toBe(true);
    expect(checkResidentId(' １１０１０５ １９４９１２３１００２Ｘ ').ok).toBe(true);
  });
  it('converts 15-digit legacy numbers', () => {
    const r = checkResidentId('110105491231002');
    expect(r).toMatchObject({ ok: true, value: '11010519491231002X', birthDate: '1949-12-31' });
  });
  it.each([
    ['110105194912310021', '校验位错误'],
    ['11010519491231002', '18 位'],
    ['1101051949123100AX', '前 17 位应为数字'],
    ['990105194912310028', '地区码'],
    ['110105194902300023', '不是有效日期'],
    ['110105209912310026', '晚于今天'],
    ['110105180001010021', '不是有效日期'],
  ])('rejects %s (%s)', (raw, msg) => {
    const r = checkResidentId(raw, new Date('2026-11-21T00:00:00Z'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain(msg);
  });
});
