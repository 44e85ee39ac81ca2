import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { recordAudit } from '../../platform/audit.js';
import type { PiiCipher } from '../../platform/crypto.js';
import { appError } from '../../platform/errors.js';
import type { SheetLimits } from '../../platform/excel.js';
import { ID_TYPE_LABELS } from '../../platform/idcard.js';
import { narrowScope, type Scope } from '../../platform/scope.js';
import type { DictionaryService } from '../dictionaries/service.js';
import type { OrgService } from '../orgs/service.js';
import { loadCodebook } from '../members/person.js';
import { createImportJobs } from './import-job.js';
import { createJobRunner, type JobRunner } from '../../platform/jobs.js';
import * as repo from './repo.js';
import type { JobRow } from './repo.js';
import { ROSTER_COLUMNS } from './roster.js';
import type { MemberService } from '../members/service.js';
import type { Caller } from '../../platform/caller.js';

export interface ImportDeps {
  db: Kysely<Database>;
  pii: PiiCipher;
  orgs: OrgService;
  dictionaries: DictionaryService;
  members: MemberService;
  /** Where uploaded files are kept until their job is done. */
  dir: string;
  /** A running job whose heartbeat is older than this is taken over (the process died). */
  staleMs?: number;
  /** Rows per transaction (and per resume step). */
  batchSize?: number;
  /** Runs of a job (claims, including take-overs after a crash) before it is failed. */
  maxAttempts?: number;
  /** Jobs run at once by start(): a slow or stuck file does not hold back other unions' imports. */
  concurrency?: number;
  /** A job whose reader sends nothing for this long fails (a file that makes the reader spin). */
  stallMs?: number;
  /** Limits of the spreadsheet reader (tests lower them). */
  sheetLimits?: SheetLimits;
  /** The reader's worker script (tests give one; by default the compiled roster-reader). */
  readerScript?: string | URL;
  now?: () => Date;
  /** The platform's job runner (the server's; a service built alone gets its own over the same table). */
  jobs?: JobRunner;
}


export function createImportService({ db, pii, orgs, dictionaries, members, dir, staleMs = 30_000, batchSize = 1000, maxAttempts = 3, concurrency = 2, stallMs = 120_000, sheetLimits, readerScript, now = () => new Date(), jobs }: ImportDeps) {
  // uploaded rosters hold PII in clear: the directory and the files are the server's user's alone
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });

  function toJob(j: JobRow) {
    return {
      jobId: j.id, orgId: j.org_id, fileName: j.file_name, status: j.status as 'queued' | 'running' | 'done' | 'failed', total: j.total, processed: j.processed,
      inserted: j.inserted, updated: j.updated, skipped: j.skipped, errorCount: j.error_count,
      progress: j.status === 'done' ? 1 : j.total > 0 ? Math.min(0.99, Math.max(0, j.processed - 1) / j.total) : 0,
      failure: j.failure, createdAt: j.created_at.toISOString(), finishedAt: j.finished_at?.toISOString() ?? null,
    };
  }
  async function mustFind(scope: Scope, id: number): Promise<JobRow> {
    const j = await repo.findJob(db, scope, id);
    if (!j) throw appError('IMPORT_NOT_FOUND');
    return j;
  }

  const runner = createImportJobs({
    db, pii, orgs, dictionaries, members, staleMs, batchSize, maxAttempts, concurrency, stallMs, sheetLimits, readerScript, now, jobs: jobs ?? createJobRunner({ db, staleMs, now }),
  });
  return {
    runOnce: runner.runOnce,
    start: runner.start,
    /** Saves an uploaded roster and queues its job (202). */
    async enqueue(caller: Caller, orgId: number, fileName: string, stream: Readable): Promise<{ jobId: number }> {
      const org = await orgs.get(caller, orgId);
      const ext = path.extname(fileName).toLowerCase();
      if (ext !== '.xlsx' && ext !== '.csv') { stream.resume(); throw appError('IMPORT_FILE_INVALID'); }
      const file = path.join(dir, `${randomUUID()}${ext}`);
      const hash = createHash('sha256');
      let size = 0;
      let head = Buffer.alloc(0);
      try {
        await pipeline(stream, new Transform({
          transform(chunk: Buffer, _e, cb) { hash.update(chunk); size += chunk.length; if (head.length < 4) head = Buffer.concat([head, chunk]).subarray(0, 4); cb(null, chunk); },
        }), fs.createWriteStream(file, { mode: 0o600 }));
      } catch (err) {
        await fs.promises.rm(file, { force: true }); // e.g. over UPLOAD_LIMIT: nothing of the roster stays on disk
        throw err;
      }
      if ((stream as Readable & { truncated?: boolean }).truncated) { await fs.promises.rm(file, { force: true }); throw appError('PAYLOAD_TOO_LARGE'); }
      if (size === 0 || (ext === '.xlsx' && head.toString('latin1', 0, 2) !== 'PK')) {
        await fs.promises.rm(file, { force: true });
        throw appError('IMPORT_FILE_INVALID', undefined, ext === '.xlsx' ? '文件不是有效的 .xlsx 工作簿（请用 Excel 或 WPS 另存为 .xlsx）' : '文件是空的');
      }
      const id = await db.transaction().execute(async (trx) => {
        const j = await repo.insertJob(trx, {
          org_id: org.id, created_by: caller.actor.userId, file_name: fileName.slice(0, 200), file_path: file, file_sha256: hash.digest('hex'), file_size: size,
        });
        await recordAudit(trx, caller.actor, { action: 'member.import', entityType: 'import_job', entityId: j.id, org: { id: org.id, path: org.path }, after: { fileName, size } });
        await runner.queue(trx, j.id);
        return j.id;
      });
      return { jobId: id };
    },

    async get(caller: Caller, id: number) {
      return toJob(await mustFind(caller.scope, id));
    },

    async list(caller: Caller) {
      const rows = await repo.recentJobs(db, caller.scope, 20);
      return rows.map(toJob);
    },

    /** The rejected rows as a workbook: row, column, masked value, reason. */
    async writeErrors(caller: Caller, id: number, out: Writable) {
      await mustFind(caller.scope, id);
      const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
      const ws = wb.addWorksheet('错误行');
      ws.columns = [{ header: '行号', width: 8 }, { header: '列', width: 22 }, { header: '填写内容（已脱敏）', width: 24 }, { header: '原因', width: 60 }];
      ws.getRow(1).font = { bold: true };
      ws.getRow(1).commit();
      let after = 0;
      for (;;) {
        const rows = await repo.errorPage(db, id, after, 5000);
        for (const r of rows) ws.addRow([r.row_no, r.column_name, r.masked_value, r.reason]).commit();
        if (rows.length < 5000) break;
        after = rows[rows.length - 1]?.row_no ?? after;
      }
      await ws.commit();
      await wb.commit();
    },

    /** The downloadable template (identity column formatted as text so Excel keeps all 18 characters). */
    async template(): Promise<Buffer> {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('会员名册');
      ws.columns = ROSTER_COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width, style: c.key === 'idNumber' || c.key === 'phone' || c.key === 'orgCode' ? { numFmt: '@' } : {} }));
      ws.getRow(1).font = { bold: true };
      ws.addRow({ name: '张三', idType: '居民身份证', idNumber: '11010519491231002X', phone: '13800138000', ethnicity: '汉族', education: '大学本科', employmentStatus: '在岗', householdType: '城镇户籍', isMigrantWorker: '否', groups: '快递员', joinedOn: '2024-05-01', orgCode: '' });
      const help = wb.addWorksheet('填写说明');
      help.columns = [{ header: '说明', width: 100 }];
      for (const line of [
        '1. 第一个工作表为名册，第 1 行为表头，请勿修改；示例行请删除。带 * 的列必填。',
        '2. 证件类型可填：居民身份证（默认）、港澳台居民居住证、港澳居民来往内地通行证、台湾居民来往大陆通行证、外国人永久居留身份证、护照。',
        '3. 证件号码列已设为“文本”格式；如从其他表格粘贴，请确认 18 位号码没有变成科学计数法（如 1.10105E+17）。',
        '4. 民族、学历、就业状况、户籍类型、会员群体按数据字典的名称填写；会员群体可填多个，用顿号分隔。',
        '5. 入会日期格式 YYYY-MM-DD，不填为导入当天。所在工会统一社会信用代码不填时，导入到所选工会；填写时须为所选工会或其下级工会。',
        '6. 已在本工会的会员再次导入时只更新资料；已是其他工会会员的，请办理转会。同一文件可重复导入，不会重复入会。',
      ]) help.addRow([line]);
      return Buffer.from(await wb.xlsx.writeBuffer());
    },

    /**
     * A union's roster (current members) as a streamed workbook; identity numbers and phones masked
     * unless `reveal` (the caller holds member.reveal there). The export is audited, with the roster's
     * size from the counters, before its first row is written: a revealed roster never leaves unrecorded.
     */
    async exportRoster(caller: Caller, orgId: number, reveal: boolean, out: Writable, reason?: string) {
      const org = await orgs.get(caller, orgId);
      const codes = await loadCodebook(dictionaries);
      const size = await members.currentCount(narrowScope(caller.scope, org.path));
      await db.transaction().execute((trx) => recordAudit(trx, caller.actor, {
        action: 'member.export', entityType: 'org', entityId: org.id, org: { id: org.id, path: org.path }, after: { reveal, count: size, ...(reason ? { reason } : {}) },
      }));
      const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
      const ws = wb.addWorksheet('会员名册');
      ws.columns = [
        { header: '会员编号', width: 18 }, { header: '姓名', width: 10 }, { header: '证件类型', width: 14 }, { header: '证件号码', width: 22 },
        { header: '手机号码', width: 14 }, { header: '性别', width: 6 }, { header: '出生日期', width: 12 }, { header: '民族', width: 8 },
        { header: '学历', width: 14 }, { header: '就业状况', width: 10 }, { header: '是否农民工', width: 10 }, { header: '会员群体', width: 20 },
        { header: '入会日期', width: 12 }, { header: '所在工会', width: 30 }, { header: '会籍状态', width: 10 },
      ];
      ws.getRow(1).font = { bold: true };
      ws.getRow(1).commit();
      let after = Number.MAX_SAFE_INTEGER;
      for (;;) {
        const rows = await members.rosterPage(caller.scope, org.path, after, 2000);
        for (const r of rows) {
          ws.addRow([
            r.member_no, r.name, ID_TYPE_LABELS[r.id_type as keyof typeof ID_TYPE_LABELS] ?? r.id_type, reveal ? pii.decrypt(r.id_enc) : r.id_masked,
            reveal ? pii.decrypt(r.phone_enc) : r.phone_masked, r.gender === 'male' ? '男' : r.gender === 'female' ? '女' : '', r.birth_date ?? '',
            r.ethnicity ? codes.label('ethnicity', r.ethnicity) ?? '' : '', r.education ? codes.label('education', r.education) ?? '' : '',
            r.employment_status ? codes.label('employment_status', r.employment_status) ?? '' : '', r.is_migrant_worker ? '是' : '否',
            r.groups.map((g) => codes.label('member_group', g) ?? g).join('、'), r.joined_on, r.org_name, r.status === 'active' ? '在会' : '保留会籍',
          ]).commit();
        }
        if (rows.length < 2000) break;
        after = rows[rows.length - 1]?.id ?? 0;
      }
      await ws.commit();
      await wb.commit();
    },
  };

}



export type ImportService = ReturnType<typeof createImportService>;
