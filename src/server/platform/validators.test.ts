import { describe, expect, it } from 'vitest';
import { creditCodeCheckChar, makeUnionCreditCode, orgCodeCheckChar, validateCreditCode } from './credit-code.js';
import { isKnownRegionCode, regionByCode, regionChildren, streetsOf } from './region.js';
import { assertStrongPassword } from './password.js';
import { AppError } from './errors.js';

describe('统一社会信用代码 (GB 32100)', () => {
  it.each([
    '91350100M000100Y43', // published sample
    '91110108551385082Q',
    makeUnionCreditCode('1', '210102', 42),
    makeUnionCreditCode('9', '210000', 7),
  ])('accepts %s', (code) => {
    expect(validateCreditCode(code)).toEqual({ ok: true, code });
  });

  it('computes the mod-31 check character and the GB 11714 one', () => {
    expect(creditCodeCheckChar('91350100M000100Y4')).toBe('3');
    expect(orgCodeCheckChar('M000100Y')).toBe('4');
    const code = makeUnionCreditCode('1', '210102', 42);
    expect(code.slice(0, 2)).toBe('81');
    expect(code.slice(2, 8)).toBe('210102');
    expect(orgCodeCheckChar(code.slice(8, 16))).toBe(code.charAt(16));
  });

  it('normalises full-width characters, lower case and spaces', () => {
    expect(validateCreditCode(' ９１３５０１００ｍ０００１００ｙ４３ ')).toEqual({ ok: true, code: '91350100M000100Y43' });
  });

  it.each([
    ['91350100M000100Y44', '校验位错误'],
    ['91350100M000100Y4', '应为 18 位，当前为 17 位'],
    ['91350100M000100Y433', '当前为 19 位'],
    ['91350100I000100Y43', '非法字符“I”'],
    ['91350100O000100Y43', '非法字符“O”'],
    ['9135010ZM000100Y43', '非法字符“Z”'],
    ['91350100S000100Y43', '非法字符“S”'],
    ['91350100V000100Y43', '非法字符“V”'],
    ['913501-0M000100Y43', '非法字符“-”'],
    ['91AB0100M000100Y43', '行政区划代码'],
    ['', '当前为 0 位'],
  ])('rejects %s with a Chinese reason', (code, reason) => {
    const r = validateCreditCode(code);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain(reason);
  });

  it('requires 81/89 for unions', () => {
    const r = validateCreditCode('91350100M000100Y43', { union: true });
    expect(r).toEqual({ ok: false, message: expect.stringContaining('81') });
    expect(validateCreditCode(makeUnionCreditCode('9', '210000', 1), { union: true }).ok).toBe(true);
  });
});

describe('GB/T 2260 region codes', () => {
  it('knows provinces, prefectures and counties from the maintained package', () => {
    expect(regionByCode('210000')).toMatchObject({ name: '辽宁省', level: 'province' });
    expect(regionByCode('210100')).toMatchObject({ name: '沈阳市', level: 'city', parentCode: '210000' });
    expect(regionByCode('210102')).toMatchObject({ name: '和平区', level: 'county', parentCode: '210100' });
    expect(regionChildren('210000')).toHaveLength(14);
    expect(streetsOf('210102').length).toBeGreaterThan(3);
  });
  it.each(['219999', '000000', '21010', '2101021', 'abcdef', '210100x'])('rejects %s', (code) => {
    expect(isKnownRegionCode(code)).toBe(false);
  });
});

describe('password policy', () => {
  it.each(['Demo#Union2026', 'abcdefgh12AB', 'correct-horse-42', 'Chief#Test2026', 'Xk#9vLq2!mRt'])('accepts %s', (p) => expect(() => assertStrongPassword(p, { username: 'heping_officer' })).not.toThrow());
  it.each([
    ['P@ssw0rd2026!', '过于常见'], ['Admin@123456', '过于常见'], ['Qwer1234!@#', '过于常见'], ['1qaz@WSX3edc', '过于常见'], ['Aa123456789', '过于常见'],
    ['Abc@123456', '过于常见'], ['Woaini1314!', '过于常见'], ['Huawei@123', '过于常见'], ['Welcome@2026', '过于常见'], ['Abcabcabc1!', '过于常见'],
    ['Gonghui@2026', '本系统的名称'], ['G0nghui#2026', '本系统的名称'], ['我爱工会Ab12#xyz', '本系统的名称'], ['Zhgh@123456x', '本系统的名称'],
    ['Heping_officer1', '用户名'], ['Officer@Heping_officer', '用户名'], ['reciffo_gnipeh#A1', '用户名'],
  ])('refuses %s (%s)', (p, reason) => {
    try {
      assertStrongPassword(p, { username: 'heping_officer' });
      expect.unreachable();
    } catch (e) {
      expect((e as AppError).code).toBe('PASSWORD_TOO_WEAK');
      expect((e as AppError).message).toContain(reason);
    }
  });
  it.each(['short1A!', 'alllowercaseletters', 'abcdefghij12', '1234567890!!', 'x'.repeat(129) + 'A1'])('rejects %s', (p) => {
    try {
      assertStrongPassword(p);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe('PASSWORD_TOO_WEAK');
      expect((e as AppError).message).toContain('至少 10 位');
    }
  });
});
