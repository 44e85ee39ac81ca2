import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { recordAudit, systemActor } from '../../platform/audit.js';
import type { PiiCipher } from '../../platform/crypto.js';
import { appError, pgErrorInfo } from '../../platform/errors.js';
import { SpreadsheetError, type SheetLimits } from '../../platform/excel.js';
import { ID_TYPE_LABELS } from '../../platform/idcard.js';
import { inScope, subtreeScope, type Scope } from '../../platform/scope.js';
import type { DictionaryService } from '../dictionaries/service.js';
import type { PublicOrg } from '../orgs/repo.js';
import type { OrgService } from '../orgs/service.js';
import { dictionaryItems, loadCodebook } from './person.js';
import { currentMemberCount, refreshPerson } from './repo.js';
import { openRosterReader } from './roster-reader.js';
import { ImportFileError, LABEL, ROSTER_COLUMNS, type Candidate, type RowError } from './roster.js';
import { CURRENT_STATUSES } from './schemas.js';
import type { MemberCaller, MemberService } from './service.js';

const MAX_ERRORS_STORED = 1_000_000;

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
}


export function createImportService({ db, pii, orgs, dictionaries, members, dir, staleMs = 30_000, batchSize = 1000, maxAttempts = 3, concurrency = 2, stallMs = 120_000, sheetLimits, readerScript, now = () => new Date() }: ImportDeps) {
  // uploaded rosters hold PII in clear: the directory and the files are the server's user's alone
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });

  function base() {
    return db.selectFrom('import_job as j').innerJoin('org as o', 'o.id', 'j.org_id').selectAll('j').select(['o.path as org_path']);
  }
  type JobRow = Awaited<ReturnType<ReturnType<typeof base>['executeTakeFirstOrThrow']>>;
  function toJob(j: JobRow) {
    return {
      jobId: j.id, orgId: j.org_id, fileName: j.file_name, status: j.status as 'queued' | 'running' | 'done' | 'failed', total: j.total, processed: j.processed,
      inserted: j.inserted, updated: j.updated, skipped: j.skipped, errorCount: j.error_count,
      progress: j.status === 'done' ? 1 : j.total > 0 ? Math.min(0.99, Math.max(0, j.processed - 1) / j.total) : 0,
      failure: j.failure, createdAt: j.created_at.toISOString(), finishedAt: j.finished_at?.toISOString() ?? null,
    };
  }
  async function mustFind(scope: Scope, id: number): Promise<JobRow> {
    const j = await base().where('j.id', '=', id).where(inScope(scope, 'o.path')).executeTakeFirst();
    if (!j) throw appError('IMPORT_NOT_FOUND');
    return j;
  }

  /**
   * Writes one batch in one transaction: new people and memberships, refreshed details of people
   * already in this union, one error per bad row, and the job's counters and resume point. A batch
   * re-run after a crash finds its rows already there and skips them.
   */
  async function writeBatch(job: JobRow, cands: Candidate[], errors: RowError[], lastRowNo: number, orgCache: Map<string, PublicOrg | null>, jobOrg: PublicOrg) {
    const scope = subtreeScope(job.org_path);
    const missing = [...new Set(cands.map((c) => c.orgCode).filter((c): c is string => c !== null && !orgCache.has(c)))];
    if (missing.length) {
      const found = await orgs.byCreditCodes(scope, missing);
      for (const c of missing) orgCache.set(c, found.get(c) ?? null);
    }
    await db.transaction().execute(async (trx) => {
      const counts = { inserted: 0, updated: 0, skipped: 0 };
      const rowErrors = [...errors];
      const ready: Array<Candidate & { org: PublicOrg }> = [];
      for (const c of cands) {
        const org = c.orgCode ? orgCache.get(c.orgCode) : jobOrg;
        if (!org) rowErrors.push({ rowNo: c.rowNo, column: LABEL.orgCode, value: c.orgCode ?? '', reason: '所在工会统一社会信用代码不存在，或不在本工会之下' });
        else ready.push({ ...c, org });
      }
      // New people are inserted first, all at once; a person already on record is left alone by
      // ON CONFLICT and looked up afterwards. The identity index is probed once per row (by the
      // insert) instead of twice: a separate lookup of every row cost a fifth of the database's work.
      const joins: Array<{ personId: number; c: Candidate & { org: PublicOrg } }> = [];
      const known: Array<Candidate & { org: PublicOrg }> = [];
      if (ready.length) {
        const col = <T>(f: (c: Candidate & { org: PublicOrg }) => T) => ready.map(f);
        // (a member number drawn for a row that turns out to be known is not used: numbers may have gaps)
        const inserted = await sql<{ id: number; id_type: string; id_idx: string }>`
          insert into person (id_type, id_idx, id_enc, id_masked, name, gender, birth_date, ethnicity, education, employment_status, household_type,
            is_migrant_worker, groups, phone_enc, phone_idx, phone_masked, member_no)
          select t.id_type, t.id_idx, t.id_enc, t.id_masked, t.name, t.gender, t.birth_date, t.ethnicity, t.education, t.employment_status, t.household_type,
            t.migrant, t.groups::text[], t.phone_enc, t.phone_idx, t.phone_masked, t.region || lpad(nextval('member_no_seq')::text, 10, '0')
          from unnest(${col((c) => c.p.idType)}::text[], ${col((c) => c.p.idIdx)}::text[], ${col((c) => c.p.idEnc)}::text[], ${col((c) => c.p.idMasked)}::text[],
            ${col((c) => c.p.name)}::text[], ${col((c) => c.p.gender)}::text[], ${col((c) => c.p.birthDate)}::date[], ${col((c) => c.p.ethnicity)}::text[],
            ${col((c) => c.p.education)}::text[], ${col((c) => c.p.employmentStatus)}::text[], ${col((c) => c.p.householdType)}::text[],
            ${col((c) => c.p.isMigrantWorker)}::boolean[], ${col((c) => `{${c.p.groups.join(',')}}`)}::text[], ${col((c) => c.p.phoneEnc)}::text[],
            ${col((c) => c.p.phoneIdx)}::text[], ${col((c) => c.p.phoneMasked)}::text[], ${col((c) => c.org.region_code ?? '000000')}::text[])
            as t(id_type, id_idx, id_enc, id_masked, name, gender, birth_date, ethnicity, education, employment_status, household_type, migrant, groups,
              phone_enc, phone_idx, phone_masked, region)
          on conflict (id_idx, id_type) do nothing
          returning id, id_type, id_idx`.execute(trx);
        const idBy = new Map(inserted.rows.map((r) => [`${r.id_type}:${r.id_idx}`, r.id]));
        for (const c of ready) {
          const id = idBy.get(`${c.p.idType}:${c.p.idIdx}`);
          if (id === undefined) known.push(c);
          else joins.push({ personId: id, c });
        }
      }
      const people = known.length ? await trx.selectFrom('person').select(['id', 'id_type', 'id_idx', 'name', 'phone_idx', 'ethnicity', 'education', 'employment_status', 'household_type', 'is_migrant_worker', 'groups'])
        .where('id_idx', '=', sql<string>`any(${known.map((c) => c.p.idIdx)}::text[])`).execute() : [];
      const personBy = new Map(people.map((p) => [`${p.id_type}:${p.id_idx}`, p]));
      const currents = people.length ? await trx.selectFrom('membership as m').innerJoin('org as o', 'o.id', 'm.org_id').select(['m.person_id', 'm.org_id', 'm.org_path', 'o.name as org_name'])
        .where('m.person_id', '=', sql<number>`any(${people.map((p) => p.id)}::bigint[])`).where('m.status', 'in', ['active', 'retained']).execute() : [];
      const currentBy = new Map(currents.map((m) => [m.person_id, m]));
      for (const c of known) {
        const p = personBy.get(`${c.p.idType}:${c.p.idIdx}`);
        if (!p) throw new Error('a person the insert found on record is missing');
        const cur = currentBy.get(p.id);
        if (cur && cur.org_id !== c.org.id) {
          const named = cur.org_path.startsWith(job.org_path) ? `「${cur.org_name}」` : '其他工会';
          rowErrors.push({ rowNo: c.rowNo, column: LABEL.idNumber, value: c.p.idMasked, reason: `已是${named}会员，请办理转会` });
        } else if (cur) {
          // the refresh rule of every way in (repo.refreshPerson): name and phone as given, an empty
          // optional cell keeps what is on record
          const same = p.name === c.p.name && p.phone_idx === c.p.phoneIdx && (c.p.ethnicity === null || p.ethnicity === c.p.ethnicity)
            && (c.p.education === null || p.education === c.p.education) && (c.p.employmentStatus === null || p.employment_status === c.p.employmentStatus)
            && (c.p.householdType === null || p.household_type === c.p.householdType) && (!c.p.isMigrantWorker || p.is_migrant_worker)
            && (c.p.groups.length === 0 || [...p.groups].sort().join() === [...c.p.groups].sort().join());
          if (same) counts.skipped += 1;
          else {
            await refreshPerson(trx, p.id, c.p);
            if (p.name !== c.p.name) await trx.updateTable('membership').set({ name: c.p.name }).where('person_id', '=', p.id).where('status', 'in', CURRENT_STATUSES).execute();
            counts.updated += 1;
          }
        } else {
          // a former member coming back: their details refreshed by the same rule as a form's
          await refreshPerson(trx, p.id, c.p);
          joins.push({ personId: p.id, c });
        }
      }
      if (joins.length) {
        const col = <T>(f: (j: (typeof joins)[number]) => T) => joins.map(f);
        const ms = await sql<{ id: number; person_id: number; org_id: number }>`
          insert into membership (person_id, org_id, org_path, status, joined_on, started_on, channel, id_last4, name)
          select t.person_id, t.org_id, t.org_path, 'active', t.joined_on, t.joined_on, 'roster', t.id_last4, t.name
          from unnest(${col((j) => j.personId)}::bigint[], ${col((j) => j.c.org.id)}::int[], ${col((j) => j.c.org.path)}::text[], ${col((j) => j.c.joinedOn)}::date[],
            ${col((j) => j.c.p.idLast4)}::text[], ${col((j) => j.c.p.name)}::text[]) as t(person_id, org_id, org_path, joined_on, id_last4, name)
          returning id, person_id, org_id`.execute(trx);
        await sql`
          insert into membership_change (person_id, membership_id, org_id, change_type, channel, note, actor_id)
          select t.person_id, t.membership_id, t.org_id, '1', 'roster', ${`名册导入 #${job.id}`}, ${job.created_by}
          from unnest(${ms.rows.map((m) => m.person_id)}::bigint[], ${ms.rows.map((m) => m.id)}::bigint[], ${ms.rows.map((m) => m.org_id)}::int[])
            as t(person_id, membership_id, org_id)`.execute(trx);
        counts.inserted += ms.rows.length;
      }
      if (rowErrors.length && job.error_count < MAX_ERRORS_STORED) {
        await trx.insertInto('import_error').values(rowErrors.map((e) => ({ job_id: job.id, row_no: e.rowNo, column_name: e.column, masked_value: e.value, reason: e.reason })))
          .onConflict((oc) => oc.columns(['job_id', 'row_no']).doNothing()).execute();
      }
      await trx.updateTable('import_job').set({
        processed: lastRowNo, heartbeat_at: new Date(),
        inserted: sql`inserted + ${counts.inserted}`, updated: sql`updated + ${counts.updated}`, skipped: sql`skipped + ${counts.skipped}`,
        error_count: sql`error_count + ${rowErrors.length}`,
      }).where('id', '=', job.id).execute();
    });
  }

  /**
   * Processes a claimed job from its resume point to the end; `crashAfterBatches` stops dead (tests
   * of resume). The file is read, checked and sealed by a reader (in a worker thread where one can
   * run); this thread only writes the batches it hands over.
   */
  async function process(job: JobRow, crashAfterBatches?: number) {
    let batches = 0;
    const jobOrg = await orgs.publicInfo({ id: job.org_id });
    if (!jobOrg) throw new Error('import union vanished');
    const orgCache = new Map<string, PublicOrg | null>();
    let total = 0;
    const reader = openRosterReader({
      file: job.file_path, kind: job.file_path.endsWith('.csv') ? 'csv' : 'xlsx', processed: job.processed, batchSize, countFirst: job.total === 0,
      today: members.today(), now: now(), ...(sheetLimits ? { limits: sheetLimits } : {}),
    }, { dictionaries: await dictionaryItems(dictionaries), pii, stallMs, ...(readerScript ? { script: readerScript } : {}) });
    // The job's heartbeat says this process is alive and working on it, even between batches.
    const beat = setInterval(() => void db.updateTable('import_job').set({ heartbeat_at: new Date() }).where('id', '=', job.id).where('status', '=', 'running').execute().catch(() => {}), Math.max(1000, staleMs / 3));
    // One batch is written while the next is read and sealed (PostgreSQL and Node work at once).
    // A batch starts only after the one before it committed, so batches land in row order and
    // `processed` stays a true resume point.
    let writing: Promise<void> = Promise.resolve();
    try {
      for await (const ev of reader.events) {
        if (ev.type === 'total') {
          await db.updateTable('import_job').set({ total: ev.total, heartbeat_at: new Date() }).where('id', '=', job.id).execute();
        } else if (ev.type === 'batch') {
          await writing;
          if (crashAfterBatches !== undefined && batches++ >= crashAfterBatches) throw new SimulatedCrash();
          writing = writeBatch(job, ev.cands, ev.errors, ev.lastRowNo, orgCache, jobOrg);
          writing.catch(() => {}); // its failure surfaces at the next await
        } else total = ev.total;
      }
      await writing;
    } finally {
      clearInterval(beat);
      await reader.close();
      await writing.catch(() => {}); // never leave a batch running behind a failure
    }
    await db.transaction().execute(async (trx) => {
      const done = await trx.updateTable('import_job').set({ status: 'done', total, finished_at: new Date() })
        .where('id', '=', job.id).returning(['inserted', 'updated', 'skipped', 'error_count']).executeTakeFirstOrThrow();
      await recordAudit(trx, { ...systemActor, userId: job.created_by }, {
        action: 'member.import.done', entityType: 'import_job', entityId: job.id, org: { id: job.org_id, path: job.org_path },
        after: { total, inserted: done.inserted, updated: done.updated, skipped: done.skipped, errors: done.error_count },
      });
    });
    await fs.promises.rm(job.file_path, { force: true });
  }

  /**
   * Claims the oldest queued job, or a running one whose worker stopped beating (crash or restart).
   * A job whose worker died `maxAttempts` times is not taken back again: it fails and its file is
   * deleted, so a file that kills its reader cannot do so on every restart.
   */
  async function claim(): Promise<JobRow | undefined> {
    const staleBefore = new Date(now().getTime() - staleMs);
    for (;;) {
      const claimed = await db.transaction().execute(async (trx) => {
        const j = await trx.selectFrom('import_job').select(['id', 'status', 'attempts', 'file_path'])
          .where((eb) => eb.or([eb('status', '=', 'queued'), eb.and([eb('status', '=', 'running'), eb('heartbeat_at', '<', staleBefore)])]))
          .orderBy('id').limit(1).forUpdate().skipLocked().executeTakeFirst();
        if (!j) return undefined;
        if (j.status === 'running' && j.attempts >= maxAttempts) {
          await trx.updateTable('import_job').set({ status: 'failed', failure: `处理该文件时导入程序已中断 ${j.attempts} 次，已停止处理；请检查文件后重新上传`, finished_at: new Date() })
            .where('id', '=', j.id).execute();
          return { gaveUp: j.file_path };
        }
        await trx.updateTable('import_job').set({ status: 'running', heartbeat_at: new Date(), started_at: sql`coalesce(started_at, now())`, attempts: sql`attempts + 1` })
          .where('id', '=', j.id).execute();
        return { id: j.id };
      });
      if (claimed === undefined) return undefined;
      if ('gaveUp' in claimed) { if (claimed.gaveUp) await fs.promises.rm(claimed.gaveUp, { force: true }); continue; }
      return base().where('j.id', '=', claimed.id).executeTakeFirstOrThrow();
    }
  }

  /**
   * Claims and runs one job; null when there was none. `crashAfterBatches` makes the run stop as a
   * killed process would (no status written; the heartbeat goes stale), so tests can prove resume.
   */
  async function runOnce(opts: { crashAfterBatches?: number } = {}): Promise<number | null> {
    const job = await claim();
    if (!job) return null;
    try {
      await process(job, opts.crashAfterBatches);
    } catch (caught) {
      const err = caught instanceof SpreadsheetError ? new ImportFileError(caught.message) : caught;
      if (err instanceof SimulatedCrash) return job.id;
      if (!(err instanceof ImportFileError) && job.attempts < maxAttempts) {
        // A transient failure (a concurrent registration of the same person racing a batch, a lost
        // connection, a reader hiccup): the batch rolled back whole; run the job again from its last batch.
        await db.updateTable('import_job').set({ status: 'queued' }).where('id', '=', job.id).execute();
        if (pgErrorInfo(err).code !== '23505') throw err;
      } else {
        const failure = err instanceof ImportFileError ? err.message : '导入过程中发生系统错误，请联系管理员';
        await db.updateTable('import_job').set({ status: 'failed', failure, finished_at: new Date() }).where('id', '=', job.id).execute();
        await fs.promises.rm(job.file_path, { force: true }); // the roster holds PII in clear: it stays on disk only while its job runs
        if (!(err instanceof ImportFileError)) throw err;
      }
    }
    return job.id;
  }

  return {
    runOnce,
    /**
     * Polls for jobs every `ms` until stopped, running up to `concurrency` jobs at once (each slot
     * claims its own job), so one slow or stuck file never holds back the others; errors are
     * reported, never thrown.
     */
    start(ms: number, onError: (err: unknown) => void, onDone: (jobId: number) => void = () => {}): () => void {
      let stopped = false;
      let running = 0;
      const slot = async () => {
        running += 1;
        try {
          for (let id = await runOnce(); id !== null && !stopped; id = await runOnce()) onDone(id);
        } catch (err) { onError(err); } finally { running -= 1; }
      };
      const tick = () => {
        if (stopped) return;
        // one slot at a time per tick: a queue of several jobs fills the free slots within a few ticks
        if (running < concurrency) void slot();
      };
      const timer = setInterval(tick, ms);
      timer.unref();
      tick();
      return () => { stopped = true; clearInterval(timer); };
    },

    /** Saves an uploaded roster and queues its job (202). */
    async enqueue(caller: MemberCaller, orgId: number, fileName: string, stream: Readable): Promise<{ jobId: number }> {
      const org = await orgs.get(caller.scope, orgId);
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
        const j = await trx.insertInto('import_job').values({
          kind: 'members', org_id: org.id, created_by: caller.actor.userId, file_name: fileName.slice(0, 200), file_path: file, file_sha256: hash.digest('hex'),
          status: 'queued', file_size: size,
        }).returning('id').executeTakeFirstOrThrow();
        await recordAudit(trx, caller.actor, { action: 'member.import', entityType: 'import_job', entityId: j.id, org: { id: org.id, path: org.path }, after: { fileName, size } });
        return j.id;
      });
      return { jobId: id };
    },

    async get(caller: MemberCaller, id: number) {
      return toJob(await mustFind(caller.scope, id));
    },

    async list(caller: MemberCaller) {
      const rows = await base().where(inScope(caller.scope, 'o.path')).orderBy('j.id', 'desc').limit(20).execute();
      return rows.map(toJob);
    },

    /** The rejected rows as a workbook: row, column, masked value, reason. */
    async writeErrors(caller: MemberCaller, id: number, out: Writable) {
      await mustFind(caller.scope, id);
      const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
      const ws = wb.addWorksheet('错误行');
      ws.columns = [{ header: '行号', width: 8 }, { header: '列', width: 22 }, { header: '填写内容（已脱敏）', width: 24 }, { header: '原因', width: 60 }];
      ws.getRow(1).font = { bold: true };
      ws.getRow(1).commit();
      let after = 0;
      for (;;) {
        const rows = await db.selectFrom('import_error').selectAll().where('job_id', '=', id).where('row_no', '>', after).orderBy('row_no').limit(5000).execute();
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
    async exportRoster(caller: MemberCaller, orgId: number, reveal: boolean, out: Writable, reason?: string) {
      const org = await orgs.get(caller.scope, orgId);
      const codes = await loadCodebook(dictionaries);
      const size = await currentMemberCount(db, subtreeScope(org.path));
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
        const rows = await db.selectFrom('membership as m').innerJoin('person as p', 'p.id', 'm.person_id').innerJoin('org as o', 'o.id', 'm.org_id')
          .select(['m.id', 'p.member_no', 'p.name', 'p.id_type', 'p.id_masked', 'p.id_enc', 'p.phone_masked', 'p.phone_enc', 'p.gender', 'p.birth_date', 'p.ethnicity',
            'p.education', 'p.employment_status', 'p.is_migrant_worker', 'p.groups', 'm.joined_on', 'o.name as org_name', 'm.status'])
          .where(inScope(caller.scope, 'm.org_path')).where('m.org_path', 'like', `${org.path}%`).where('m.status', 'in', ['active', 'retained'])
          .where('m.id', '<', after).orderBy('m.id', 'desc').limit(2000).execute();
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

class SimulatedCrash extends Error {}


export type ImportService = ReturnType<typeof createImportService>;
