import { normalizeCode } from './credit-code.js';
import { checkResidentId, idCheckChar } from './pii.js';

/**
 * 证件 (identity documents) a member may register with, each with its own format rules. The codes
 * are those of the `id_type` dictionary.
 */
export const ID_TYPES = ['resident_id', 'hk_mo_tw_residence', 'hk_mo_pass', 'tw_pass', 'foreign_permanent', 'passport'] as const;
export type IdType = (typeof ID_TYPES)[number];
export const ID_TYPE_LABELS: Record<IdType, string> = {
  resident_id: '居民身份证',
  hk_mo_tw_residence: '港澳台居民居住证',
  hk_mo_pass: '港澳居民来往内地通行证',
  tw_pass: '台湾居民来往大陆通行证',
  foreign_permanent: '外国人永久居留身份证',
  passport: '护照',
};

export interface Identity { idType: IdType; value: string; birthDate: string | null; gender: 'male' | 'female' | null }
export type IdentityCheck = ({ ok: true } & Identity) | { ok: false; message: string };

export function isIdType(v: string): v is IdType {
  return (ID_TYPES as readonly string[]).includes(v);
}

type Eighteen = { ok: true; birthDate: string; gender: 'male' | 'female' } | { ok: false; message: string };

/** 18-character numbers with a GB 11643 check character and a birth date (居住证, 新版永居证). */
function checkEighteen(id: string, label: string, prefixOk: boolean, prefixMessage: string, today: Date): Eighteen {
  if (id.length !== 18) return { ok: false, message: `${label}号码应为 18 位，当前为 ${id.length} 位` };
  if (!/^\d{17}[\dX]$/.test(id)) return { ok: false, message: `${label}号码前 17 位应为数字，最后一位为数字或 X` };
  if (!prefixOk) return { ok: false, message: prefixMessage };
  const [y, m, d] = [Number(id.slice(6, 10)), Number(id.slice(10, 12)), Number(id.slice(12, 14))];
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) {
    return { ok: false, message: `${label}号码中的出生日期 ${id.slice(6, 14)} 不是有效日期` };
  }
  const birthDate = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (new Date(`${birthDate}T00:00:00+08:00`) > today) return { ok: false, message: `${label}号码中的出生日期晚于今天` };
  if (idCheckChar(id.slice(0, 17)) !== id.charAt(17)) return { ok: false, message: `${label}号码校验位错误` };
  return { ok: true, birthDate, gender: Number(id.charAt(16)) % 2 === 1 ? 'male' : 'female' };
}

/**
 * Validates and normalises an identity number for its type. Full-width characters, spaces and
 * lower-case letters are normalised first. Resident ID: GB 11643 (see checkResidentId, 15-digit
 * numbers converted). 港澳台居民居住证: 18 characters with the GB 11643 check and prefix 810000 (香港),
 * 820000 (澳门) or 830000 (台湾). 港澳通行证 (回乡证): H or M and 8 (or the older 10) digits.
 * 台胞证: 8 digits. 外国人永久居留身份证: 2017 edition 15 characters (3 letters + 12 digits) or 2023
 * edition 18 characters starting with 9. 护照: 5–17 letters and digits, with at least one digit.
 */
export function checkIdentity(idType: string, raw: string, today = new Date()): IdentityCheck {
  if (!isIdType(idType)) return { ok: false, message: `证件类型 ${idType} 不存在` };
  const id = normalizeCode(raw);
  if (id === '') return { ok: false, message: '请填写证件号码' };
  switch (idType) {
    case 'resident_id': {
      const r = checkResidentId(id, today);
      return r.ok ? { ok: true, idType, value: r.value, birthDate: r.birthDate, gender: r.gender } : r;
    }
    case 'hk_mo_tw_residence': {
      const r = checkEighteen(id, '港澳台居民居住证', /^8[123]0000/.test(id), '港澳台居民居住证号码应以 810000（香港）、820000（澳门）或 830000（台湾）开头', today);
      return r.ok ? { ok: true, idType, value: id, birthDate: r.birthDate, gender: r.gender } : r;
    }
    case 'hk_mo_pass':
      if (!/^[HM]/.test(id)) return { ok: false, message: '港澳居民来往内地通行证号码应以 H（香港）或 M（澳门）开头' };
      if (!/^[HM](\d{8}|\d{10})$/.test(id)) return { ok: false, message: '港澳居民来往内地通行证号码应为 H 或 M 加 8 位数字' };
      return { ok: true, idType, value: id, birthDate: null, gender: null };
    case 'tw_pass':
      if (!/^\d{8}$/.test(id)) return { ok: false, message: '台湾居民来往大陆通行证号码应为 8 位数字' };
      return { ok: true, idType, value: id, birthDate: null, gender: null };
    case 'foreign_permanent':
      if (/^[A-Z]{3}\d{12}$/.test(id)) return { ok: true, idType, value: id, birthDate: null, gender: null };
      if (id.length === 18) {
        const r = checkEighteen(id, '外国人永久居留身份证', id.startsWith('9'), '新版外国人永久居留身份证号码应以 9 开头', today);
        return r.ok ? { ok: true, idType, value: id, birthDate: r.birthDate, gender: r.gender } : r;
      }
      return { ok: false, message: '外国人永久居留身份证号码应为 15 位（3 个字母加 12 位数字）或 18 位' };
    case 'passport':
      if (!/^[A-Z0-9]{5,17}$/.test(id)) return { ok: false, message: '护照号码应为 5–17 位字母或数字' };
      if (!/\d/.test(id)) return { ok: false, message: '护照号码应包含数字' };
      return { ok: true, idType, value: id, birthDate: null, gender: null };
  }
}

/**
 * A resident ID that Excel stored as a number: shown in scientific notation (2.10102E+17) or with
 * its last digits turned to zeros (Excel keeps 15 significant digits). Such a value cannot be
 * repaired; the row is refused with this reason.
 */
export function excelMangledId(cell: unknown): string | null {
  const mangled = '证件号被 Excel 存成了数字，末几位已丢失；请将该列设为“文本”格式后重新填写';
  if (typeof cell === 'number') return Number.isSafeInteger(cell) && String(cell).length <= 15 ? null : mangled;
  if (typeof cell === 'string' && /^\s*\d(\.\d+)?E\+\d+\s*$/i.test(cell)) return mangled;
  return null;
}
