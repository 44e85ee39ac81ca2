import fs from 'node:fs';
import type { Kysely, Transaction } from 'kysely';
import { JobCrash, type JobRunner } from '../../platform/jobs.js';
import type { Database } from '../../db/types.js';
import { recordAudit, systemActor } from '../../platform/audit.js';
import { jobCaller } from '../../platform/caller.js';
import type { PiiCipher } from '../../platform/crypto.js';
import { pgErrorInfo } from '../../platform/errors.js';
import { SpreadsheetError, type SheetLimits } from '../../platform/excel.js';
import type { DictionaryService } from '../dictionaries/service.js';
import type { PublicOrg } from '../orgs/repo.js';
import type { OrgService } from '../orgs/service.js';
import { dictionaryItems } from '../members/person.js';
import * as repo from './repo.js';
import type { JobRow } from './repo.js';
import { openRosterReader } from './roster-reader.js';
import { ImportFileError, LABEL, type Candidate, type RowError } from './roster.js';
import type { MemberService } from '../members/service.js';

const MAX_ERRORS_STORED = 1_000_000;

export interface ImportJobDeps {
  db: Kysely<Database>;
  pii: PiiCipher;
  orgs: OrgService;
  dictionaries: DictionaryService;
  members: MemberService;
  staleMs: number;
  batchSize: number;
  maxAttempts: number;
  concurrency: number;
  stallMs: number;
  sheetLimits: SheetLimits | undefined;
  readerScript: string | URL | undefined;
  now: () => Date;
  jobs: JobRunner;
}

/**
 * The roster import job (名册导入): claims queued jobs, reads each file in a reader, writes its
 * batches, resumes after a crash. A job acts for the union it was queued on (jobCaller): the
 * officer's permission there was checked when it was queued.
 */
export function createImportJobs({ db, pii, orgs, dictionaries, members, staleMs, batchSize, maxAttempts, concurrency, stallMs, sheetLimits, readerScript, now, jobs }: ImportJobDeps) {
  /**
   * Writes one batch in one transaction: new people and memberships, refreshed details of people
   * already in this union, one error per bad row, and the job's counters and resume point. A batch
   * re-run after a crash finds its rows already there and skips them.
   */
  async function writeBatch(job: JobRow, cands: Candidate[], errors: RowError[], lastRowNo: number, orgCache: Map<string, PublicOrg | null>, jobOrg: PublicOrg) {
    const caller = jobCaller({ ...systemActor, userId: job.created_by }, job.org_path);
    const missing = [...new Set(cands.map((c) => c.orgCode).filter((c): c is string => c !== null && !orgCache.has(c)))];
    if (missing.length) {
      const found = await orgs.byCreditCodes(caller, missing);
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
      const outcomes = await members.enrolBatch(trx, ready.map((c) => ({ p: c.p, org: c.org, joinedOn: c.joinedOn })),
        { channel: 'roster', note: `名册导入 #${job.id}`, actorId: job.created_by, namedWithin: job.org_path });
      ready.forEach((c, i) => {
        const o = outcomes[i];
        if (o === undefined) throw new Error('an outcome per row');
        if (o.kind === 'elsewhere') rowErrors.push({ rowNo: c.rowNo, column: LABEL.idNumber, value: c.p.idMasked, reason: `已是${o.orgName ? `「${o.orgName}」` : '其他工会'}会员，请办理转会` });
        else counts[o.kind] += 1;
      });
      if (rowErrors.length && job.error_count < MAX_ERRORS_STORED) {
        await repo.insertErrors(trx, job.id, rowErrors);
      }
      await repo.addBatch(trx, job.id, lastRowNo, { ...counts, errors: rowErrors.length });
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
    const beat = setInterval(() => void repo.beat(db, job.id).catch(() => {}), Math.max(1000, staleMs / 3));
    // One batch is written while the next is read and sealed (PostgreSQL and Node work at once).
    // A batch starts only after the one before it committed, so batches land in row order and
    // `processed` stays a true resume point.
    let writing: Promise<void> = Promise.resolve();
    try {
      for await (const ev of reader.events) {
        if (ev.type === 'total') {
          await repo.setTotal(db, job.id, ev.total);
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
      const done = await repo.setDone(trx, job.id, total);
      await recordAudit(trx, { ...systemActor, userId: job.created_by }, {
        action: 'member.import.done', entityType: 'import_job', entityId: job.id, org: { id: job.org_id, path: job.org_path },
        after: { total, inserted: done.inserted, updated: done.updated, skipped: done.skipped, errors: done.error_count },
      });
    });
    await fs.promises.rm(job.file_path, { force: true });
  }

  let crashAfter: number | undefined;

  /**
   * The roster import as a kind of the platform's job runner: the job's payload names the import
   * job (its counters and resume point stay there); the runner claims, beats, takes over after a
   * crash and gives up after `maxAttempts` deaths. A bad file fails at once; any other failure runs
   * the job again from its last batch (the batch rolled back whole: a concurrent registration of
   * the same person racing a batch, a lost connection, a reader hiccup).
   */
  const removeFile = async (importId: number) => {
    const row = await repo.jobById(db, importId).catch(() => undefined);
    if (row) await fs.promises.rm(row.file_path, { force: true }); // the roster holds PII in clear: it stays on disk only while its job runs
  };
  jobs.define<{ importId: number }>({
    kind: ROSTER_IMPORT,
    maxAttempts,
    backoffMs: () => 0,
    report: (err) => pgErrorInfo(err).code !== '23505',
    permanent: (caught) => {
      if (caught instanceof SpreadsheetError) return caught.message;
      if (caught instanceof ImportFileError) return caught.message;
      return null;
    },
    async handle(ctx) {
      const importId = ctx.payload.importId;
      await db.transaction().execute((trx) => repo.setRunning(trx, importId));
      const job = await repo.jobById(db, importId);
      const crash = crashAfter;
      crashAfter = undefined;
      try {
        await process(job, crash);
      } catch (err) {
        if (err instanceof SimulatedCrash) throw new JobCrash();
        throw err;
      }
      return { importId };
    },
    async onFailed(ctx, reason, why) {
      const failure = why.interrupted !== undefined
        ? `处理该文件时导入程序已中断 ${why.interrupted} 次，已停止处理；请检查文件后重新上传`
        : why.error instanceof SpreadsheetError || why.error instanceof ImportFileError ? reason : '导入过程中发生系统错误，请联系管理员';
      await repo.setFailed(db, ctx.payload.importId, failure);
      await removeFile(ctx.payload.importId);
    },
  });

  const importIdOf = (job: { payload: Record<string, unknown> } | null) => (job ? Number(job.payload.importId) : null);

  return {
    /** Queues the roster import of an import job, in the upload's transaction. */
    queue: (trx: Transaction<Database>, importId: number) => jobs.enqueue(trx, { kind: ROSTER_IMPORT, payload: { importId }, dedupeKey: `import:${importId}`, maxAttempts }),

    /**
     * Claims and runs one roster import; its import job id, or null when there was none.
     * `crashAfterBatches` makes the run stop as a killed process would (no status written; the
     * heartbeat goes stale), so tests can prove resume.
     */
    async runOnce(opts: { crashAfterBatches?: number } = {}): Promise<number | null> {
      crashAfter = opts.crashAfterBatches;
      try {
        return importIdOf(await jobs.runOnce([ROSTER_IMPORT]));
      } finally {
        crashAfter = undefined;
      }
    },

    /**
     * Polls for roster imports every `ms` until stopped, running up to `concurrency` at once (each
     * slot claims its own job), so one slow or stuck file never holds back the others; errors are
     * reported, never thrown.
     */
    start(ms: number, onError: (err: unknown) => void, onDone: (jobId: number) => void = () => {}): () => void {
      return jobs.start(ms, onError, { concurrency, only: [ROSTER_IMPORT], onDone: (j) => onDone(importIdOf(j) ?? 0) });
    },
  };
}

/** The job kind of a roster import (名册导入). */
export const ROSTER_IMPORT = 'roster_import';

class SimulatedCrash extends Error {}
