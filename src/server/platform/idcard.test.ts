import { describe, expect, it } from 'vitest';
import { checkIdentity, excelMangledId } from './idcard.js';
import { idCheckChar } from './pii.js';

const withCheck = (first17: string) => first17 + idCheckChar(first17);
const today = new Date('2026-11-22T12:00:00+08:00');

describe('证件号 by type', () => {
  it.each([
    ['resident_id', '11010519491231002X', '11010519491231002X', '1949-12-31', 'female'],
    ['resident_id', '11010519491231002x', '11010519491231002X', '1949-12-31', 'female'],
    ['resident_id', ' １１０１０５ １９４９１２３１００２Ｘ ', '11010519491231002X', '1949-12-31', 'female'],
    ['resident_id', '110105491231002', withCheck('11010519491231002'), '1949-12-31', 'female'],
    ['hk_mo_tw_residence', withCheck('81000019900307301'), withCheck('81000019900307301'), '1990-03-07', 'male'],
    ['hk_mo_tw_residence', withCheck('83000020010101102'), withCheck('83000020010101102'), '2001-01-01', 'female'],
    ['foreign_permanent', withCheck('93611020000101123'), withCheck('93611020000101123'), '2000-01-01', 'male'],
  ])('%s %s is valid', (type, raw, value, birthDate, gender) => {
    expect(checkIdentity(type, raw, today)).toEqual({ ok: true, idType: type, value, birthDate, gender });
  });

  it.each([
    ['hk_mo_pass', 'H12345678', 'H12345678'],
    ['hk_mo_pass', 'm1234567890', 'M1234567890'],
    ['tw_pass', '12345678', '12345678'],
    ['foreign_permanent', 'USA123456789012', 'USA123456789012'],
    ['passport', 'E12345678', 'E12345678'],
    ['passport', 'ea 1234567', 'EA1234567'],
  ])('%s %s is valid without a birth date', (type, raw, value) => {
    expect(checkIdentity(type, raw, today)).toEqual({ ok: true, idType: type, value, birthDate: null, gender: null });
  });

  it.each([
    ['resident_id', '110105194912310021', '校验位错误'],
    ['resident_id', '11010519491231002', '应为 18 位'],
    ['resident_id', '1101051949123100A2', '前 17 位应为数字'],
    ['resident_id', withCheck('11010519490230002'), '不是有效日期'],
    ['resident_id', withCheck('11010520301231002'), '晚于今天'],
    ['resident_id', withCheck('99010519491231002'), '地区码'],
    ['resident_id', '', '请填写证件号码'],
    ['hk_mo_tw_residence', withCheck('11010519491231002'), '810000'],
    ['hk_mo_tw_residence', '810000199003073010', '校验位错误'],
    ['hk_mo_pass', 'A12345678', 'H（香港）或 M（澳门）'],
    ['hk_mo_pass', 'H1234567', '8 位数字'],
    ['tw_pass', '1234567', '8 位数字'],
    ['foreign_permanent', 'US1234567890123', '15 位'],
    ['passport', 'ABCDEFG', '应包含数字'],
    ['passport', 'E1234-5678', '字母或数字'],
    ['driver_licence', '123456', '证件类型'],
  ])('%s %s is refused (%s)', (type, raw, reason) => {
    const r = checkIdentity(type, raw, today);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain(reason);
  });
});

describe('Excel-mangled identity numbers', () => {
  it('recognises numbers beyond 15 digits and scientific notation', () => {
    expect(excelMangledId(110105194912310000)).toContain('文本');
    expect(excelMangledId('1.10105E+17')).toContain('文本');
    expect(excelMangledId(110105491231002)).toBeNull();
    expect(excelMangledId('11010519491231002X')).toBeNull();
  });
});
