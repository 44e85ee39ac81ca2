import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/types.js';

type Q = Kysely<Database> | Transaction<Database>;

/** The identity of this process among the servers over one database (jobs' `locked_by`, the leader's lease). */
export const PROCESS_ID = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

export interface JobContext<P> {
  id: number;
  /** 1 on the first run; a job taken over after a crash runs again from where its handler left a resume point. */
  attempt: number;
  payload: P;
  /** Tells the other servers this one is still working on the job (call it during long steps). */
  beat(): Promise<void>;
}

/** A kind of job: its handler and how it fails. */
export interface JobKind<P> {
  kind: string;
  handle(job: JobContext<P>): Promise<Record<string, unknown> | void>;
  /** Runs before the job fails for good (clean up its files, mark its domain row); `interrupted`: the runs its servers died in. */
  onFailed?(job: { id: number; payload: P }, reason: string, why: { interrupted?: number; error?: unknown }): Promise<void>;
  /** An error the job cannot recover from by running again (a bad file): it fails at once with this reason. */
  permanent?(err: unknown): string | null;
  /** Runs before the job is failed (default 3; a job taken over after a crash counts). */
  maxAttempts?: number;
  /** The wait before a failed run is retried (default: 5 s doubling, at most an hour). */
  backoffMs?: (attempt: number) => number;
  /** Whether a retried failure is reported to the runner's onError (default: yes). */
  report?(err: unknown): boolean;
}

/** A thrown JobCrash stops a run as a killed process would (tests of takeover): nothing is written. */
export class JobCrash extends Error {}

export interface Enqueue { kind: string; payload?: Record<string, unknown>; runAt?: Date; dedupeKey?: string; maxAttempts?: number }

/**
 * The job runner (后台任务): one table for every kind of background work. A server claims the
 * next due job of the kinds it knows (FOR UPDATE SKIP LOCKED: two servers never take the same
 * one), beats while it runs, and records done, or failed, or queued again with a backoff. A job
 * whose server stopped beating is taken over; one that killed its server `maxAttempts` times is
 * not taken again. Handlers must be resumable: a job may run again after a crash.
 */
export function createJobRunner({ db, staleMs = 60_000, now = () => new Date(), backoffMs = (attempt: number) => Math.min(3_600_000, 5_000 * 2 ** (attempt - 1)) }: {
  db: Kysely<Database>; staleMs?: number; now?: () => Date; backoffMs?: (attempt: number) => number;
}) {
  const kinds = new Map<string, JobKind<never>>();

  const beat = (id: number) => db.updateTable('job').set({ heartbeat_at: now() }).where('id', '=', id).where('status', '=', 'running').execute().then(() => undefined);

  async function finish(id: number, v: { status: 'done' | 'failed' | 'queued'; result?: Record<string, unknown> | null; error?: string | null; runAt?: Date }) {
    await db.updateTable('job').set({
      status: v.status, error: v.error ?? null, locked_by: null,
      ...(v.result !== undefined ? { result: v.result === null ? null : JSON.stringify(v.result) } : {}),
      ...(v.status === 'queued' ? { run_at: v.runAt ?? now() } : { finished_at: now() }),
    }).where('id', '=', id).execute();
  }

  /** Claims one due job of a known kind, or a running one whose server stopped beating. */
  async function claim(only?: readonly string[]): Promise<{ id: number; kind: string; attempts: number; payload: Record<string, unknown> } | undefined> {
    const known = [...kinds.keys()].filter((k) => !only || only.includes(k));
    if (known.length === 0) return undefined;
    const staleBefore = new Date(now().getTime() - staleMs);
    for (;;) {
      const r = await db.transaction().execute(async (trx) => {
        const j = await trx.selectFrom('job').select(['id', 'kind', 'status', 'attempts', 'max_attempts', 'payload'])
          .where('kind', 'in', known)
          .where((eb) => eb.or([
            eb.and([eb('status', '=', 'queued'), eb('run_at', '<=', now())]),
            eb.and([eb('status', '=', 'running'), eb('heartbeat_at', '<', staleBefore)]),
          ]))
          .orderBy('run_at').orderBy('id').limit(1).forUpdate().skipLocked().executeTakeFirst();
        if (!j) return undefined;
        if (j.status === 'running' && j.attempts >= (kinds.get(j.kind)?.maxAttempts ?? j.max_attempts)) return { gaveUp: j, job: undefined };
        await trx.updateTable('job').set({ status: 'running', attempts: sql`attempts + 1`, heartbeat_at: now(), started_at: sql`coalesce(started_at, now())`, locked_by: PROCESS_ID })
          .where('id', '=', j.id).execute();
        return { gaveUp: undefined, job: { id: j.id, kind: j.kind, attempts: j.attempts + 1, payload: j.payload } };
      });
      if (!r) return undefined;
      if (r.gaveUp) {
        const reason = `处理该任务时程序已中断 ${r.gaveUp.attempts} 次，已停止处理`;
        await kinds.get(r.gaveUp.kind)?.onFailed?.({ id: r.gaveUp.id, payload: r.gaveUp.payload as never }, reason, { interrupted: r.gaveUp.attempts });
        await finish(r.gaveUp.id, { status: 'failed', error: reason });
        continue;
      }
      return r.job;
    }
  }

  const runner = {
    define<P>(k: JobKind<P>) {
      if (kinds.has(k.kind)) throw new Error(`job kind ${k.kind} defined twice`);
      kinds.set(k.kind, k as JobKind<never>);
    },

    /**
     * Queues a job in the caller's transaction (or on its own). With a dedupe key, a job of the same
     * kind and key still queued or running is returned instead of a second one.
     */
    async enqueue(q: Q, e: Enqueue): Promise<{ id: number; existed: boolean }> {
      const ins = await q.insertInto('job').values({
        kind: e.kind, payload: JSON.stringify(e.payload ?? {}), run_at: e.runAt ?? now(), dedupe_key: e.dedupeKey ?? null,
        max_attempts: e.maxAttempts ?? kinds.get(e.kind)?.maxAttempts ?? 3,
      }).onConflict((oc) => oc.columns(['kind', 'dedupe_key']).where('status', 'in', ['queued', 'running']).doNothing()).returning('id').executeTakeFirst();
      if (ins) return { id: ins.id, existed: false };
      const old = await q.selectFrom('job').select('id').where('kind', '=', e.kind).where('dedupe_key', '=', e.dedupeKey ?? '').where('status', 'in', ['queued', 'running']).executeTakeFirstOrThrow();
      return { id: old.id, existed: true };
    },

    beat,

    /** Claims and runs one job (of the kinds `only` names, or any known); the job, or null when none was due. */
    async runOnce(only?: readonly string[]): Promise<{ id: number; payload: Record<string, unknown> } | null> {
      const job = await claim(only);
      if (!job) return null;
      const k = kinds.get(job.kind);
      if (!k) throw new Error(`no handler for job kind ${job.kind}`);
      const timer = setInterval(() => void beat(job.id).catch(() => {}), Math.max(1000, staleMs / 3));
      try {
        const result = await k.handle({ id: job.id, attempt: job.attempts, payload: job.payload as never, beat: () => beat(job.id) });
        await finish(job.id, { status: 'done', result: result ?? null });
      } catch (err) {
        if (err instanceof JobCrash) return job;
        const permanent = k.permanent?.(err) ?? null;
        const max = k.maxAttempts ?? 3; // the kind's rule (the row's max_attempts records it for other readers)
        const retry = permanent === null && job.attempts < max;
        if (retry) {
          await finish(job.id, { status: 'queued', error: err instanceof Error ? err.message : String(err), runAt: new Date(now().getTime() + (k.backoffMs ?? backoffMs)(job.attempts)) });
        } else {
          const reason = permanent ?? '任务执行失败，请联系管理员';
          await k.onFailed?.({ id: job.id, payload: job.payload as never }, reason, { error: err });
          await finish(job.id, { status: 'failed', error: permanent ?? (err instanceof Error ? err.message : String(err)) });
        }
        if (permanent === null && (!retry || (k.report?.(err) ?? true))) throw err;
      } finally {
        clearInterval(timer);
      }
      return job;
    },

    /**
     * Polls every `ms` until stopped, running up to `concurrency` jobs at once (each slot claims its
     * own); errors are reported, never thrown.
     */
    start(ms: number, onError: (err: unknown) => void, { concurrency = 2, only, onDone = () => {} }: { concurrency?: number; only?: readonly string[]; onDone?: (job: { id: number; payload: Record<string, unknown> }) => void } = {}): () => void {
      let stopped = false;
      let running = 0;
      const slot = async () => {
        running += 1;
        try {
          for (let job = await runner.runOnce(only); job !== null && !stopped; job = await runner.runOnce(only)) onDone(job);
        } catch (err) { onError(err); } finally { running -= 1; }
      };
      const tick = () => { if (!stopped && running < concurrency) void slot(); };
      const timer = setInterval(tick, ms);
      timer.unref();
      tick();
      return () => { stopped = true; clearInterval(timer); };
    },
  };
  return runner;
}
export type JobRunner = ReturnType<typeof createJobRunner>;

/**
 * Periodic tasks (定时任务) with a single leader across servers: the server holding the lease runs
 * each task when it is due; the schedule lives in the database, so a new leader (after a restart
 * or a crash: the lease expires) carries on where the last one stopped. Tasks must be safe to run
 * twice (the sweeps are: each row is claimed once).
 */
export function createScheduler({ db, holder = PROCESS_ID, leaseMs = 30_000 }: { db: Kysely<Database>; holder?: string; leaseMs?: number }) {
  const tasks = new Map<string, { everyMs: number; run: () => Promise<unknown> }>();

  /** Takes or keeps the lease; true while this server leads. */
  async function lead(): Promise<boolean> {
    const r = await sql<{ holder: string }>`
      insert into leader_lease (name, holder, expires_at) values ('scheduler', ${holder}, now() + ${`${leaseMs} milliseconds`}::interval)
      on conflict (name) do update set holder = excluded.holder, expires_at = excluded.expires_at
        where leader_lease.holder = excluded.holder or leader_lease.expires_at < now()
      returning holder`.execute(db);
    return r.rows[0]?.holder === holder;
  }

  const scheduler = {
    every(name: string, everyMs: number, run: () => Promise<unknown>) {
      if (tasks.has(name)) throw new Error(`periodic task ${name} registered twice`);
      tasks.set(name, { everyMs, run });
    },

    /** One round: if this server leads, runs every task that is due; the names of those it ran. */
    async tick(onError: (name: string, err: unknown) => void = () => {}): Promise<string[]> {
      if (!(await lead())) return [];
      const ran: string[] = [];
      for (const [name, t] of tasks) {
        await db.insertInto('periodic_task').values({ name, every_ms: t.everyMs, next_run_at: new Date() }).onConflict((oc) => oc.column('name').doNothing()).execute();
        const due = await db.updateTable('periodic_task').set({ next_run_at: sql`now() + ${`${t.everyMs} milliseconds`}::interval`, every_ms: t.everyMs, last_run_at: sql`now()` })
          .where('name', '=', name).where('next_run_at', '<=', sql<Date>`now()`).returning('name').executeTakeFirst();
        if (!due) continue;
        try {
          await t.run();
          await db.updateTable('periodic_task').set({ last_error: null }).where('name', '=', name).execute();
        } catch (err) {
          onError(name, err);
          await db.updateTable('periodic_task').set({ last_error: err instanceof Error ? err.message.slice(0, 500) : 'error' }).where('name', '=', name).execute();
        }
        ran.push(name);
      }
      return ran;
    },

    /** Ticks every `ms` until stopped; stopping gives the lease up so another server leads at once. */
    start(ms: number, onError: (name: string, err: unknown) => void): () => Promise<void> {
      let stopped = false;
      let current: Promise<unknown> = Promise.resolve();
      const tick = () => { if (!stopped) current = scheduler.tick(onError).catch((err: unknown) => onError('scheduler', err)); };
      const timer = setInterval(tick, ms);
      timer.unref();
      tick();
      return async () => {
        stopped = true;
        clearInterval(timer);
        await current;
        await db.deleteFrom('leader_lease').where('name', '=', 'scheduler').where('holder', '=', holder).execute();
      };
    },
  };
  return scheduler;
}
export type Scheduler = ReturnType<typeof createScheduler>;

/**
 * Runs `step` (one transaction claiming at most `batch` rows, returning how many it claimed) until
 * a step claims fewer: the shape of every sweep. The total claimed.
 */
export async function inBatches(batch: number, step: () => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await step();
    total += n;
    if (n < batch) return total;
  }
}
