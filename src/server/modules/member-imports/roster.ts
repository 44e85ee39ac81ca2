/**
 * A roster (集体登记入会名册) read and checked row by row, without the database: the header is
 * matched to the template's columns, each row becomes a sealed candidate or a row error (its value
 * masked), duplicates inside the file are caught, and the rows come out in batches from a resume
 * point. The import job runs this in a worker thread (roster-reader.ts) when it can, so a hostile
 * file costs that thread, never the server's.
 */
import { normalizeCode, validateCreditCode } from '../../platform/credit-code.js';
import type { PiiCipher } from '../../platform/crypto.js';
import { cellText, countSheetRows, readSheetRows, RowKeySet, SHEET_LIMITS, type SheetLimits, type SheetRow } from '../../platform/excel.js';
import { excelMangledId, ID_TYPE_LABELS, isIdType } from '../../platform/idcard.js';
import { maskIdNumber, maskPhone } from '../../platform/pii.js';
import { checkPerson, type Codebook, type SealedPerson } from '../members/person.js';

/** The roster template's columns (集体登记入会名册), in order; `*` marks required ones. */
export const ROSTER_COLUMNS = [
  { key: 'name', header: '姓名*', width: 12 },
  { key: 'idType', header: '证件类型', width: 16 },
  { key: 'idNumber', header: '证件号码*', width: 22 },
  { key: 'phone', header: '手机号码*', width: 14 },
  { key: 'ethnicity', header: '民族', width: 10 },
  { key: 'education', header: '学历', width: 16 },
  { key: 'employmentStatus', header: '就业状况', width: 10 },
  { key: 'householdType', header: '户籍类型', width: 10 },
  { key: 'isMigrantWorker', header: '是否农民工', width: 10 },
  { key: 'groups', header: '会员群体', width: 22 },
  { key: 'joinedOn', header: '入会日期', width: 12 },
  { key: 'orgCode', header: '所在工会统一社会信用代码', width: 26 },
] as const;
export type ColumnKey = (typeof ROSTER_COLUMNS)[number]['key'];
export const REQUIRED: ColumnKey[] = ['name', 'idNumber', 'phone'];
export const LABEL: Record<ColumnKey, string> = Object.fromEntries(ROSTER_COLUMNS.map((c) => [c.key, c.header.replace('*', '')])) as Record<ColumnKey, string>;

export interface Candidate { rowNo: number; p: SealedPerson; joinedOn: string; orgCode: string | null }
export interface RowError { rowNo: number; column: string; value: string; reason: string }

/** What a reader hands the job: the row count first (when asked), then batches, then the end. */
export type RosterEvent =
  | { type: 'total'; total: number }
  | { type: 'batch'; cands: Candidate[]; errors: RowError[]; lastRowNo: number }
  | { type: 'end'; total: number };

export interface RosterReadOptions {
  file: string;
  kind: 'xlsx' | 'csv';
  /** Rows up to this number were written before a restart: read again only for the duplicate check. */
  processed: number;
  batchSize: number;
  /** Count the data rows first (a scan of the sheet's XML), for an exact progress bar. */
  countFirst: boolean;
  /** Default and latest 入会日期 (YYYY-MM-DD, Asia/Shanghai). */
  today: string;
  now: Date;
  limits?: SheetLimits;
}

/** A problem with the file itself (not a row): the job fails with this Chinese message. */
export class ImportFileError extends Error {}

/** Reads one row into a candidate or an error (the value in the error is masked). */
export function checkRow(raw: SheetRow, col: Map<ColumnKey, number>, codes: Codebook, pii: PiiCipher, defaultJoinedOn: string, now: Date): Candidate | RowError | null {
  const get = (k: ColumnKey) => { const i = col.get(k); return i === undefined ? null : raw.cells[i] ?? null; };
  const values = ROSTER_COLUMNS.map((c) => cellText(get(c.key)));
  if (values.every((v) => v === '')) return null;
  const err = (k: ColumnKey, reason: string, masked?: string): RowError => ({ rowNo: raw.rowNo, column: LABEL[k], value: masked ?? cellText(get(k)).slice(0, 30), reason });
  const idRaw = get('idNumber');
  const mangled = excelMangledId(idRaw);
  if (mangled) return err('idNumber', mangled, maskIdNumber(normalizeCode(cellText(idRaw))));
  const typeCell = cellText(get('idType'));
  const idType = typeCell === '' ? 'resident_id' : isIdType(typeCell) ? typeCell : codes.codeOf('id_type', typeCell);
  if (!idType) return err('idType', `证件类型“${typeCell}”不正确，可填：${Object.values(ID_TYPE_LABELS).join('、')}`);
  const dict = (k: ColumnKey, type: 'ethnicity' | 'education' | 'employment_status' | 'household_type', label: string): string | null | RowError => {
    const v = cellText(get(k));
    if (v === '') return null;
    return codes.codeOf(type, v) ?? err(k, `${label}“${v}”不在字典中`);
  };
  const ethnicity = dict('ethnicity', 'ethnicity', '民族');
  const education = dict('education', 'education', '学历');
  const employment = dict('employmentStatus', 'employment_status', '就业状况');
  const household = dict('householdType', 'household_type', '户籍类型');
  for (const d of [ethnicity, education, employment, household]) if (d && typeof d === 'object') return d;
  const migrantCell = cellText(get('isMigrantWorker'));
  if (migrantCell !== '' && !['是', '否', 'Y', 'N', '1', '0'].includes(migrantCell)) return err('isMigrantWorker', '是否农民工应填“是”或“否”');
  const groups: string[] = [];
  for (const g of cellText(get('groups')).split(/[、,，;；\s]+/).filter(Boolean)) {
    const c = codes.codeOf('member_group', g);
    if (!c) return err('groups', `会员群体“${g}”不在字典中`);
    if (!groups.includes(c)) groups.push(c);
  }
  const joinedCell = get('joinedOn');
  let joinedOn = defaultJoinedOn;
  if (joinedCell !== null && cellText(joinedCell) !== '') {
    const j = joinedCell instanceof Date ? joinedCell.toISOString().slice(0, 10) : cellText(joinedCell).replace(/[./年月]/g, '-').replace(/日$/, '');
    const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(j);
    const iso = m ? `${m[1]}-${m[2]?.padStart(2, '0')}-${m[3]?.padStart(2, '0')}` : '';
    if (!m || Number.isNaN(Date.parse(iso)) || new Date(iso).toISOString().slice(0, 10) !== iso) return err('joinedOn', '入会日期应为 YYYY-MM-DD 格式的有效日期');
    if (iso > defaultJoinedOn) return err('joinedOn', '入会日期不能晚于今天');
    if (iso < '1925-05-01') return err('joinedOn', '入会日期不能早于 1925 年 5 月 1 日');
    joinedOn = iso;
  }
  const orgCell = cellText(get('orgCode'));
  let orgCode: string | null = null;
  if (orgCell !== '') {
    const cc = validateCreditCode(orgCell);
    if (!cc.ok) return err('orgCode', '所在工会统一社会信用代码不正确');
    orgCode = cc.code;
  }
  const check = checkPerson({
    name: cellText(get('name')), idType, idNumber: cellText(idRaw), phone: cellText(get('phone')),
    ethnicity: ethnicity as string | null, education: education as string | null, employmentStatus: employment as string | null,
    householdType: household as string | null, isMigrantWorker: ['是', 'Y', '1'].includes(migrantCell), groups,
  }, codes, pii, now);
  if (!check.ok) {
    const k = (check.field === 'idNumber' || check.field === 'phone' || check.field === 'name' ? check.field : 'name') as ColumnKey;
    const v = cellText(get(k));
    const masked = k === 'idNumber' ? maskIdNumber(normalizeCode(v)) : k === 'phone' ? maskPhone(v.replace(/\D/g, '')) : v.slice(0, 30);
    return err(k, check.message, masked);
  }
  if (check.person.birthDate && joinedOn < check.person.birthDate) return err('joinedOn', '入会日期不能早于出生日期');
  return { rowNo: raw.rowNo, p: check.person, joinedOn, orgCode };
}

/** Reads a roster into batches of at most `batchSize` rows (candidates and errors), from the resume point on. */
export async function* readRoster(o: RosterReadOptions, codes: Codebook, pii: PiiCipher): AsyncGenerator<RosterEvent> {
  const limits = o.limits ?? SHEET_LIMITS;
  if (o.countFirst) yield { type: 'total', total: await countSheetRows(o.file, o.kind, limits) };
  const seen = new RowKeySet(); // identity (64-bit prefix of the blind index) → first row, for duplicates inside the file
  let col: Map<ColumnKey, number> | null = null;
  let cands: Candidate[] = [];
  let errors: RowError[] = [];
  let lastRowNo = o.processed;
  let total = 0;
  for await (const raw of readSheetRows(o.file, o.kind, limits)) {
    if (!col) {
      col = new Map();
      const headers = raw.cells.map((c) => cellText(c).replace(/[*＊\s]/g, ''));
      for (const c of ROSTER_COLUMNS) {
        const i = headers.indexOf(c.header.replace('*', ''));
        if (i >= 0) col.set(c.key, i);
      }
      const lacking = REQUIRED.filter((k) => !col?.has(k)).map((k) => LABEL[k]);
      if (lacking.length) throw new ImportFileError(`名册第 1 行应为表头，缺少列：${lacking.join('、')}（请使用下载的模板）`);
      continue;
    }
    const r = checkRow(raw, col, codes, pii, o.today, o.now);
    if (r === null) continue;
    total += 1;
    if ('p' in r) {
      // the blind index is keyed by id type, so equal numbers of different types never collide
      const first = seen.firstOrAdd(r.p.idIdx, r.rowNo);
      if (first !== undefined && first !== r.rowNo) {
        if (raw.rowNo > o.processed) errors.push({ rowNo: r.rowNo, column: LABEL.idNumber, value: r.p.idMasked, reason: `与第 ${first} 行的证件号码重复` });
        continue;
      }
    }
    if (raw.rowNo <= o.processed) continue; // done before a restart
    if ('p' in r) cands.push(r);
    else errors.push(r);
    lastRowNo = raw.rowNo;
    if (cands.length + errors.length >= o.batchSize) {
      yield { type: 'batch', cands, errors, lastRowNo };
      cands = [];
      errors = [];
    }
  }
  if (!col) throw new ImportFileError('名册文件是空的');
  yield { type: 'batch', cands, errors, lastRowNo };
  yield { type: 'end', total };
}
