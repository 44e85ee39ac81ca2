/**
 * 统一社会信用代码 (unified social credit code), GB 32100-2015.
 * 18 characters: registration authority (1), organization category (1), region (6),
 * organization code (9, GB 11714), check character (1, mod 31).
 * Letters I O Z S V are never used.
 */
export const CREDIT_CODE_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export type CreditCodeResult = { ok: true; code: string } | { ok: false; message: string };

/** Full-width letters/digits to half-width, spaces removed, upper-cased. */
export function normalizeCode(raw: string): string {
  return raw
    .replace(/[\uFF01-\uFF5E]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(/[\s\u3000]/g, '')
    .toUpperCase();
}

/** The GB 32100 check character of the first 17 characters (which must be from the charset). */
export function creditCodeCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = CREDIT_CODE_CHARSET.indexOf(first17.charAt(i));
    if (v < 0) throw new Error('character outside the GB 32100 charset');
    sum += v * (WEIGHTS[i] ?? 0);
  }
  const c = (31 - (sum % 31)) % 31;
  return CREDIT_CODE_CHARSET.charAt(c);
}

/** GB 11714 organization-code check character of 8 characters (digits or upper-case letters). */
export function orgCodeCheckChar(first8: string): string {
  const w = [3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const ch = first8.charAt(i);
    const v = /[0-9]/.test(ch) ? Number(ch) : ch.charCodeAt(0) - 55;
    sum += v * (w[i] ?? 0);
  }
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

/**
 * Validates a credit code. With `union: true` the code must belong to a union
 * (registration authority 8 = 工会, category 1 = 基层工会 or 9 = 其他).
 */
export function validateCreditCode(raw: string, opts: { union?: boolean } = {}): CreditCodeResult {
  const code = normalizeCode(raw);
  if (code.length !== 18) return { ok: false, message: `统一社会信用代码应为 18 位，当前为 ${code.length} 位` };
  const bad = [...code].find((ch) => !CREDIT_CODE_CHARSET.includes(ch));
  if (bad !== undefined) {
    return { ok: false, message: `统一社会信用代码含有非法字符“${bad}”（不使用 I、O、Z、S、V）` };
  }
  if (!/^\d{6}$/.test(code.slice(2, 8))) {
    return { ok: false, message: '统一社会信用代码第 3–8 位应为行政区划代码（6 位数字）' };
  }
  const expected = creditCodeCheckChar(code.slice(0, 17));
  if (code.charAt(17) !== expected) return { ok: false, message: '统一社会信用代码校验位错误' };
  if (opts.union && !/^8[19]/.test(code)) {
    return { ok: false, message: '工会的统一社会信用代码应以 81（基层工会）或 89（其他工会）开头' };
  }
  return { ok: true, code };
}

/**
 * Makes a valid union credit code from a category ('1' or '9'), a region code and a serial number;
 * the organization-code part carries a valid GB 11714 check character too. For demo data and tests.
 */
export function makeUnionCreditCode(category: '1' | '9', regionCode: string, serial: number): string {
  const body8 = String(serial % 1e8).padStart(8, '0');
  const first17 = `8${category}${regionCode}${body8}${orgCodeCheckChar(body8)}`;
  return first17 + creditCodeCheckChar(first17);
}
