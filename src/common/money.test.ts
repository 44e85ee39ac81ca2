import { describe, expect, it } from 'vitest';
import { fenToYuan, formatFen, MAX_FEN, yuanToFen } from './money.js';

describe('money in fen', () => {
  it.each([
    [0, 0], [1, 100], [0.1, 10], [0.01, 1], [1234.5, 123450], [24000, 2400000], [0.29, 29],
    ['1234.50', 123450], ['1,234.50', 123450], ['¥1,234.50', 123450], ['￥ 12', 1200], ['1234.50元', 123450], [' 8.8 ', 880], ['12,345,678.09', 1234567809],
  ] as const)('reads %s yuan as %i fen', (input, fen) => {
    expect(yuanToFen(input)).toEqual({ ok: true, fen });
  });

  it('reads a negative amount only where a reversing row allows it', () => {
    expect(yuanToFen('-5', { allowNegative: true })).toEqual({ ok: true, fen: -500 });
    expect(yuanToFen(-5)).toEqual({ ok: false, message: '金额不能为负数' });
  });

  it.each([
    [24000.123, '金额最多保留两位小数（精确到分）'], [1.005 * 1000, '金额最多保留两位小数（精确到分）'], ['0.001', '金额最多保留两位小数（精确到分）'], ['1.999', '金额最多保留两位小数（精确到分）'],
    [1e21, '金额格式不正确，应为元，如 1234.50'], [1e-7, '金额格式不正确，应为元，如 1234.50'], [Number.NaN, '金额不是有效数字'], [Infinity, '金额不是有效数字'],
    ['', '请填写金额'], ['十元', '金额格式不正确，应为元，如 1234.50'], ['1.2.3', '金额格式不正确，应为元，如 1234.50'], ['12,34', '金额格式不正确，应为元，如 1234.50'],
    ['.5', '金额格式不正确，应为元，如 1234.50'], ['1e3', '金额格式不正确，应为元，如 1234.50'], ['0x10', '金额格式不正确，应为元，如 1234.50'],
    ['99999999999999999', '金额格式不正确，应为元，如 1234.50'], ['9999999999999999', '金额超出上限'],
  ] as const)('refuses %s', (input, message) => {
    expect(yuanToFen(input)).toEqual({ ok: false, message });
  });

  it('formats fen as yuan, grouped for reading and plain for exports', () => {
    expect(formatFen(123450)).toBe('¥1,234.50');
    expect(formatFen(5)).toBe('¥0.05');
    expect(formatFen(-500)).toBe('-¥5.00');
    expect(formatFen(123456789012)).toBe('¥1,234,567,890.12');
    expect(fenToYuan(123450)).toBe('1234.50');
    expect(fenToYuan(-1)).toBe('-0.01');
    expect(fenToYuan(MAX_FEN)).toBe('90071992547409.00');
    expect(() => formatFen(1.5)).toThrow();
    expect(() => fenToYuan(Number.MAX_SAFE_INTEGER + 2)).toThrow();
  });

  it('round-trips every amount it formats', () => {
    for (const fen of [0, 1, 9, 10, 99, 100, 101, 123450, 99999999, MAX_FEN]) {
      expect(yuanToFen(formatFen(fen))).toEqual({ ok: true, fen });
      expect(yuanToFen(fenToYuan(fen))).toEqual({ ok: true, fen });
    }
  });
});
