/**
 * Money (金额) in one form: an integer number of fen (分) everywhere it is stored, computed or sent
 * as `…Fen`; 元 only where a person reads or types it. These helpers are the only way between the
 * two, on the server and in the web app. A float never becomes money silently: more than two
 * decimals, an exponent, a negative amount or one past what a bigint column and a JavaScript
 * number both hold exactly is refused with a Chinese message.
 */

/** The largest amount accepted, in fen: Number.MAX_SAFE_INTEGER rounded down to whole yuan (≈90 万亿元). */
export const MAX_FEN = 9_007_199_254_740_900;

export type MoneyCheck = { ok: true; fen: number } | { ok: false; message: string };

const YUAN = /^(\d{1,16})(?:\.(\d{1,2}))?$/;

/**
 * An amount of yuan as typed or sent (`1234.5`, `"1,234.50"`, `"¥1,234.50"`, `"1234.50元"`) in fen.
 * `allowNegative` admits a leading minus (a reversing row's amount); otherwise it is refused.
 */
export function yuanToFen(input: number | string, opts: { allowNegative?: boolean } = {}): MoneyCheck {
  let s: string;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return { ok: false, message: '金额不是有效数字' };
    s = String(input); // shortest round-trip form: 0.1 → "0.1", 24000.123 → "24000.123", 1e21 → "1e+21"
  } else {
    s = input.trim().replace(/^[¥￥]\s*/, '').replace(/\s*元$/, '');
    if (/^-?\d{1,3}(,\d{3})+(\.\d*)?$/.test(s)) s = s.replace(/,/g, '');
  }
  let negative = false;
  if (s.startsWith('-')) {
    negative = true;
    s = s.slice(1);
  }
  if (s === '') return { ok: false, message: '请填写金额' };
  const m = YUAN.exec(s);
  if (!m) {
    if (/^\d+\.\d{3,}$/.test(s)) return { ok: false, message: '金额最多保留两位小数（精确到分）' };
    return { ok: false, message: '金额格式不正确，应为元，如 1234.50' };
  }
  if (negative && !opts.allowNegative) return { ok: false, message: '金额不能为负数' };
  const fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  if (fen > MAX_FEN) return { ok: false, message: '金额超出上限' };
  return { ok: true, fen: negative && fen !== 0 ? -fen : fen };
}

/** Throws unless `fen` is a whole, safe number of fen. */
function assertFen(fen: number): void {
  if (!Number.isSafeInteger(fen)) throw new Error(`not an amount in fen: ${fen}`);
}

/** Fen as yuan with two decimals and no grouping (`123450` → `"1234.50"`), for exports and inputs. */
export function fenToYuan(fen: number): string {
  assertFen(fen);
  const abs = Math.abs(fen);
  return `${fen < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Fen as a person reads it: `123450` → `"¥1,234.50"`, `-500` → `"-¥5.00"`. */
export function formatFen(fen: number): string {
  assertFen(fen);
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${fen < 0 ? '-' : ''}¥${yuan}.${String(abs % 100).padStart(2, '0')}`;
}
