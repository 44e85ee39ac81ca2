import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/connect.js';
import { createTestDb } from '../../../test/helpers/db.js';
import { createJobRunner, createScheduler, JobCrash } from './jobs.js';

let db: Db;
beforeAll(async () => { db = await createTestDb(); });
afterAll(async () => db?.close());

const row = (id: number) => db.db.selectFrom('job').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe('job runner', () => {
  it('runs a queued job once, records its result, and dedupes while it is queued', async () => {
    const jobs = createJobRunner({ db: db.db });
    const seen: unknown[] = [];
    jobs.define<{ n: number }>({ kind: 'echo', handle: async (j) => { seen.push(j.payload.n); return { doubled: j.payload.n * 2 }; } });
    const a = await jobs.enqueue(db.db, { kind: 'echo', payload: { n: 21 }, dedupeKey: 'k1' });
    const b = await jobs.enqueue(db.db, { kind: 'echo', payload: { n: 99 }, dedupeKey: 'k1' });
    expect(b).toEqual({ id: a.id, existed: true });
    expect((await jobs.runOnce())?.id).toBe(a.id);
    expect(await jobs.runOnce()).toBeNull();
    expect(seen).toEqual([21]);
    expect(await row(a.id)).toMatchObject({ status: 'done', attempts: 1, result: { doubled: 42 }, locked_by: null });
    // once done, the same key queues a new job
    expect((await jobs.enqueue(db.db, { kind: 'echo', payload: { n: 1 }, dedupeKey: 'k1' })).existed).toBe(false);
    await jobs.runOnce();
  });

  it('waits for run_at, retries a failure with a backoff, fails after max attempts, fails a permanent error at once', async () => {
    let clock = Date.now();
    const jobs = createJobRunner({ db: db.db, now: () => new Date(clock), backoffMs: () => 10_000 });
    const failures: string[] = [];
    jobs.define({ kind: 'flaky', maxAttempts: 2, handle: async () => { throw new Error('网络中断'); }, onFailed: async (_j, reason) => { failures.push(reason); } });
    jobs.define({ kind: 'bad', handle: async () => { throw new Error('文件损坏'); }, permanent: (e) => (e instanceof Error && e.message === '文件损坏' ? '文件无法读取' : null), onFailed: async (_j, reason) => { failures.push(reason); } });
    const later = await jobs.enqueue(db.db, { kind: 'flaky', runAt: new Date(clock + 60_000) });
    expect(await jobs.runOnce(['flaky'])).toBeNull();
    clock += 61_000;
    await expect(jobs.runOnce(['flaky'])).rejects.toThrow('网络中断');
    expect(await row(later.id)).toMatchObject({ status: 'queued', attempts: 1, error: '网络中断' });
    expect(await jobs.runOnce(['flaky'])).toBeNull(); // backing off
    clock += 10_001;
    await expect(jobs.runOnce(['flaky'])).rejects.toThrow('网络中断');
    expect(await row(later.id)).toMatchObject({ status: 'failed', attempts: 2 });
    const bad = await jobs.enqueue(db.db, { kind: 'bad' });
    expect((await jobs.runOnce(['bad']))?.id).toBe(bad.id);
    expect(await row(bad.id)).toMatchObject({ status: 'failed', attempts: 1, error: '文件无法读取' });
    expect(failures).toEqual(['任务执行失败，请联系管理员', '文件无法读取']);
  });

  it('takes over a job whose server stopped beating, and gives up on one that killed it too often', async () => {
    let clock = Date.now();
    const jobs = createJobRunner({ db: db.db, staleMs: 30_000, now: () => new Date(clock) });
    let crash = true;
    const interrupted: number[] = [];
    jobs.define({ kind: 'long', maxAttempts: 2, handle: async () => { if (crash) throw new JobCrash(); return { ok: true }; }, onFailed: async (_j, _r, why) => { interrupted.push(why.interrupted ?? -1); } });
    const j = await jobs.enqueue(db.db, { kind: 'long' });
    expect((await jobs.runOnce(['long']))?.id).toBe(j.id);
    expect(await row(j.id)).toMatchObject({ status: 'running', attempts: 1 });
    expect(await jobs.runOnce(['long'])).toBeNull(); // its heartbeat is fresh
    clock += 31_000;
    expect((await jobs.runOnce(['long']))?.id).toBe(j.id); // taken over, and killed again
    clock += 31_000;
    expect(await jobs.runOnce(['long'])).toBeNull(); // died twice: not taken back again
    expect(await row(j.id)).toMatchObject({ status: 'failed', error: expect.stringContaining('已中断 2 次') });
    expect(interrupted).toEqual([2]);
    crash = false;
  });

  it('two runners at once never run the same job', async () => {
    const ran: number[] = [];
    const mk = () => {
      const r = createJobRunner({ db: db.db });
      r.define<{ i: number }>({ kind: 'race', handle: async (j) => { ran.push(j.payload.i); await new Promise((res) => setTimeout(res, 20)); } });
      return r;
    };
    const [a, b] = [mk(), mk()];
    for (let i = 0; i < 6; i++) await a.enqueue(db.db, { kind: 'race', payload: { i } });
    const drain = async (r: ReturnType<typeof mk>) => { while (await r.runOnce(['race'])) { /* next */ } };
    await Promise.all([drain(a), drain(b)]);
    expect(ran.sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

describe('periodic tasks with one leader', () => {
  it('only the lease holder runs the tasks, each once per interval; a stopped leader hands over', async () => {
    const runs: string[] = [];
    const mk = (holder: string) => {
      const s = createScheduler({ db: db.db, holder, leaseMs: 60_000 });
      s.every('sweep', 3_600_000, async () => { runs.push(holder); });
      return s;
    };
    const a = mk('server-a');
    const b = mk('server-b');
    expect(await a.tick()).toEqual(['sweep']);
    expect(await b.tick()).toEqual([]); // not the leader
    expect(await a.tick()).toEqual([]); // not due again within the hour
    expect(runs).toEqual(['server-a']);
    // the leader stops: the lease is given up, the other server leads and keeps the schedule
    const stop = a.start(60_000, () => {});
    await stop();
    expect(await b.tick()).toEqual([]); // leads now, and the task is not due yet: the schedule carried over
    await db.db.updateTable('periodic_task').set({ next_run_at: new Date(Date.now() - 1000) }).where('name', '=', 'sweep').execute();
    expect(await b.tick()).toEqual(['sweep']);
    expect(runs).toEqual(['server-a', 'server-b']);
    // a task's failure is kept on its row and reported, and the others still run
    const c = createScheduler({ db: db.db, holder: 'server-b', leaseMs: 60_000 });
    const errs: string[] = [];
    c.every('broken', 1000, async () => { throw new Error('坏了'); });
    c.every('fine', 1000, async () => { runs.push('fine'); });
    expect(await c.tick((name) => errs.push(name))).toEqual(['broken', 'fine']);
    expect(errs).toEqual(['broken']);
    expect((await db.db.selectFrom('periodic_task').select('last_error').where('name', '=', 'broken').executeTakeFirstOrThrow()).last_error).toBe('坏了');
  });
});
