import fs from 'node:fs';
import type { Kysely } from 'kysely';
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
}

/**
 * The roster import job (名册导入): claims queued jobs, reads each file in a reader, writes its
 * batches, resumes after a crash. A job acts for the union it was queued on (jobCaller): the
 * officer's permission there was checked when it was queued.
 */
export function createImportJobs({ db, pii, orgs, dictionaries, members, staleMs, batchSize, maxAttempts, concurrency, stallMs, sheetLimits, readerScript, now }: ImportJobDeps) {
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

  /**
   * Claims the oldest queued job, or a running one whose worker stopped beating (crash or restart).
   * A job whose worker died `maxAttempts` times is not taken back again: it fails and its file is
   * deleted, so a file that kills its reader cannot do so on every restart.
   */
  async function claim(): Promise<JobRow | undefined> {
    const staleBefore = new Date(now().getTime() - staleMs);
    for (;;) {
      const claimed = await db.transaction().execute(async (trx) => {
        const j = await repo.lockNext(trx, staleBefore);
        if (!j) return undefined;
        if (j.status === 'running' && j.attempts >= maxAttempts) {
          await repo.setFailed(trx, j.id, `处理该文件时导入程序已中断 ${j.attempts} 次，已停止处理；请检查文件后重新上传`);
          return { gaveUp: j.file_path };
        }
        await repo.setRunning(trx, j.id);
        return { id: j.id };
      });
      if (claimed === undefined) return undefined;
      if ('gaveUp' in claimed) { if (claimed.gaveUp) await fs.promises.rm(claimed.gaveUp, { force: true }); continue; }
      return repo.jobById(db, claimed.id);
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
        await repo.requeue(db, job.id);
        if (pgErrorInfo(err).code !== '23505') throw err;
      } else {
        const failure = err instanceof ImportFileError ? err.message : '导入过程中发生系统错误，请联系管理员';
        await repo.setFailed(db, job.id, failure);
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

  };
}

class SimulatedCrash extends Error {}
