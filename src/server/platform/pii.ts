import { regionByCode } from './region.js';
import { normalizeCode } from './credit-code.js';

/** 138****5678; landlines keep area code and last 4. */
export function maskPhone(phone: string): string {
  if (/^1\d{10}$/.test(phone)) return `${phone.slice(0, 3)}****${phone.slice(7)}`;
  if (phone.length <= 4) return '*'.repeat(phone.length);
  return `${phone.slice(0, Math.min(4, phone.length - 4))}****${phone.slice(-4)}`;
}

/** 110105********002X: first 6 and last 4 kept (18 characters); shorter documents keep less (E1*****78). */
export function maskIdNumber(id: string): string {
  if (id.length <= 4) return '*'.repeat(id.length);
  if (id.length <= 12) return `${id.slice(0, 2)}${'*'.repeat(id.length - 4)}${id.slice(-2)}`;
  return `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}`;
}

/** 张*三 style masking of a name: keep the first character. */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return name;
  return chars[0] + '*'.repeat(chars.length - 1);
}

export type Checked = { ok: true; value: string } | { ok: false; message: string };

/**
 * A caller's phone: an 11-digit mobile (1[3-9]…) or a landline with area code (0xx-xxxxxxxx).
 * Full-width digits, spaces, dashes and a +86 prefix are normalised.
 */
export function checkPhone(raw: string, opts: { mobileOnly?: boolean } = {}): Checked {
  let p = normalizeCode(raw).replace(/[-()（）]/g, '');
  if (p.startsWith('+86')) p = p.slice(3);
  else if (p.startsWith('0086')) p = p.slice(4);
  if (p === '') return { ok: false, message: '请填写电话号码' };
  if (/^1[3-9]\d{9}$/.test(p)) return { ok: true, value: p };
  if (/^1\d{10}$/.test(p)) return { ok: false, message: '手机号第二位应为 3–9' };
  if (!opts.mobileOnly && /^0\d{9,11}$/.test(p)) return { ok: true, value: p };
  if (/^\d+$/.test(p)) return { ok: false, message: opts.mobileOnly ? `手机号应为 11 位，当前为 ${p.length} 位` : '电话号码应为 11 位手机号或带区号的固定电话' };
  return { ok: false, message: '电话号码只能包含数字' };
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17.charAt(i)) * (ID_WEIGHTS[i] ?? 0);
  return ID_CHECK.charAt(sum % 11);
}

function realDate(y: number, m: number, d: number): boolean {
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

export interface ResidentId { value: string; birthDate: string; gender: 'male' | 'female' }

/**
 * 居民身份证号 (GB 11643): 18 characters, check character (X; lower-case x accepted), a real birth
 * date not in the future and not before 1900, a known province prefix. 15-digit legacy numbers
 * are converted (19 inserted, check character added). Full-width digits and spaces are normalised.
 */
export function checkResidentId(raw: string, today = new Date()): ({ ok: true } & ResidentId) | { ok: false; message: string } {
  let id = normalizeCode(raw);
  if (/^\d{15}$/.test(id)) {
    const first17 = `${id.slice(0, 6)}19${id.slice(6)}`;
    id = first17 + idCheckChar(first17);
  }
  if (id.length !== 18) return { ok: false, message: `身份证号应为 18 位，当前为 ${id.length} 位` };
  if (!/^\d{17}[\dX]$/.test(id)) return { ok: false, message: '身份证号前 17 位应为数字，最后一位为数字或 X' };
  if (!regionByCode(`${id.slice(0, 2)}0000`)) return { ok: false, message: `身份证号地区码 ${id.slice(0, 6)} 不存在` };
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  if (y < 1900 || !realDate(y, m, d)) return { ok: false, message: `身份证号中的出生日期 ${id.slice(6, 14)} 不是有效日期` };
  const birthDate = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (new Date(`${birthDate}T00:00:00+08:00`) > today) return { ok: false, message: '身份证号中的出生日期晚于今天' };
  if (idCheckChar(id.slice(0, 17)) !== id.charAt(17)) return { ok: false, message: '身份证号校验位错误' };
  return { ok: true, value: id, birthDate, gender: Number(id.charAt(16)) % 2 === 1 ? 'male' : 'female' };
}
