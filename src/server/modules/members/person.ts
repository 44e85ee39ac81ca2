import type { PiiCipher } from '../../platform/crypto.js';
import { checkIdentity, type IdType } from '../../platform/idcard.js';
import { checkPhone, maskIdNumber, maskPhone } from '../../platform/pii.js';
import type { DictionaryService } from '../dictionaries/service.js';

/** The code lists a person's fields are checked against, loaded once per request or import job. */
export interface Codebook {
  has(type: DictType, code: string): boolean;
  /** The code for a code or a Chinese label (roster cells may hold either); undefined if neither. */
  codeOf(type: DictType, codeOrLabel: string): string | undefined;
  label(type: DictType, code: string): string | undefined;
}
export type DictType = 'ethnicity' | 'education' | 'employment_status' | 'household_type' | 'member_group' | 'id_type' | 'change_type';

const DICT_TYPES: DictType[] = ['ethnicity', 'education', 'employment_status', 'household_type', 'member_group', 'id_type', 'change_type'];
/** The dictionaries a codebook is made of, as plain data (what a worker thread is handed). */
export type DictionaryItems = Partial<Record<DictType, Array<{ code: string; label: string }>>>;

export async function dictionaryItems(dictionaries: DictionaryService): Promise<DictionaryItems> {
  const out: DictionaryItems = {};
  for (const t of DICT_TYPES) out[t] = (await dictionaries.items(t)).map((i) => ({ code: i.code, label: i.label }));
  return out;
}

export function codebookFrom(items: DictionaryItems): Codebook {
  const maps = new Map<DictType, { byCode: Map<string, string>; byLabel: Map<string, string> }>();
  for (const t of DICT_TYPES) {
    const list = items[t] ?? [];
    maps.set(t, { byCode: new Map(list.map((i) => [i.code, i.label])), byLabel: new Map(list.map((i) => [i.label, i.code])) });
  }
  const m = (t: DictType) => maps.get(t) ?? { byCode: new Map<string, string>(), byLabel: new Map<string, string>() };
  return {
    has: (t, code) => m(t).byCode.has(code),
    codeOf: (t, v) => (m(t).byCode.has(v) ? v : m(t).byLabel.get(v)),
    label: (t, code) => m(t).byCode.get(code),
  };
}

export async function loadCodebook(dictionaries: DictionaryService): Promise<Codebook> {
  return codebookFrom(await dictionaryItems(dictionaries));
}

export interface PersonInput {
  name: string; idType: string; idNumber: string; phone: string;
  gender?: 'male' | 'female' | undefined; birthDate?: string | undefined;
  ethnicity?: string | null | undefined; education?: string | null | undefined; employmentStatus?: string | null | undefined;
  householdType?: string | null | undefined; isMigrantWorker?: boolean | undefined; groups?: string[] | undefined;
}

/** A person ready to store: identity normalised, PII encrypted, blind indexes and masks computed. */
export interface SealedPerson {
  name: string; idType: IdType; idIdx: string; idEnc: string; idMasked: string; idLast4: string;
  phoneIdx: string; phoneEnc: string; phoneMasked: string;
  gender: string | null; birthDate: string | null;
  ethnicity: string | null; education: string | null; employmentStatus: string | null; householdType: string | null;
  isMigrantWorker: boolean; groups: string[];
}

export type PersonCheck = { ok: true; person: SealedPerson } | { ok: false; field: keyof PersonInput; message: string };

const NAME_RE = /^[\p{Script=Han}A-Za-z·•.\s-]{1,50}$/u;

/** A person's name: 汉字, letters and the 间隔号 of minority and foreign names; spaces collapsed. */
export function checkName(raw: string): { ok: true; value: string } | { ok: false; message: string } {
  const name = raw.replace(/\s+/g, ' ').trim();
  if (!name) return { ok: false, message: '请填写姓名' };
  if (!NAME_RE.test(name)) return { ok: false, message: '姓名只能包含汉字、字母和间隔号' };
  return { ok: true, value: name };
}

/** The blind index of an identity: kind is the id type, so equal numbers of different types never collide. */
export function identityIndex(pii: PiiCipher, idType: string, value: string): string {
  return pii.blindIndex(idType, value);
}
export function phoneIndex(pii: PiiCipher, phone: string): string {
  return pii.blindIndex('phone', phone);
}

/**
 * Validates a person's fields (identity by type, mobile phone, code lists) and seals the PII.
 * Never echoes a full identity number or phone in a message.
 */
export function checkPerson(input: PersonInput, codes: Codebook, pii: PiiCipher, today = new Date()): PersonCheck {
  const nm = checkName(input.name);
  if (!nm.ok) return { ok: false, field: 'name', message: nm.message };
  const name = nm.value;
  const id = checkIdentity(input.idType, input.idNumber, today);
  if (!id.ok) return { ok: false, field: 'idNumber', message: id.message };
  const phone = checkPhone(input.phone, { mobileOnly: true });
  if (!phone.ok) return { ok: false, field: 'phone', message: phone.message };
  if (id.gender && input.gender && input.gender !== id.gender) return { ok: false, field: 'gender', message: '性别与身份证号不一致' };
  if (id.birthDate && input.birthDate && input.birthDate !== id.birthDate) return { ok: false, field: 'birthDate', message: '出生日期与身份证号不一致' };
  const dicts: Array<[keyof PersonInput, DictType, string | null | undefined, string]> = [
    ['ethnicity', 'ethnicity', input.ethnicity, '民族'], ['education', 'education', input.education, '学历'],
    ['employmentStatus', 'employment_status', input.employmentStatus, '就业状况'], ['householdType', 'household_type', input.householdType, '户籍类型'],
  ];
  for (const [field, type, value, label] of dicts) {
    if (value != null && !codes.has(type, value)) return { ok: false, field, message: `${label}代码 ${value} 不在字典中` };
  }
  for (const g of input.groups ?? []) if (!codes.has('member_group', g)) return { ok: false, field: 'groups', message: `会员群体代码 ${g} 不在字典中` };
  return {
    ok: true,
    person: {
      name, idType: id.idType, idIdx: identityIndex(pii, id.idType, id.value), idEnc: pii.encrypt(id.value), idMasked: maskIdNumber(id.value),
      idLast4: id.value.slice(-4), phoneIdx: phoneIndex(pii, phone.value), phoneEnc: pii.encrypt(phone.value), phoneMasked: maskPhone(phone.value),
      gender: id.gender ?? input.gender ?? null, birthDate: id.birthDate ?? input.birthDate ?? null,
      ethnicity: input.ethnicity ?? null, education: input.education ?? null, employmentStatus: input.employmentStatus ?? null,
      householdType: input.householdType ?? null, isMigrantWorker: input.isMigrantWorker ?? false, groups: input.groups ?? [],
    },
  };
}
