import { createRequire } from 'node:module';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/types.js';
import { recordAudit } from '../../platform/audit.js';
import { addDays, computeDeadline, weekday, workdayFrom, type Difficulty, type WorkdayFn } from '../../platform/calendar.js';
import { recomputeDeadlines, type DeadlineRegistration } from '../../platform/deadlines.js';
import { invalidField } from '../../platform/errors.js';
import type { Caller } from '../../platform/caller.js';
import * as repo from './repo.js';

export interface CalendarDay { date: string; workday: boolean; name?: string }

/** State Council holidays and 调休 make-up days as published in the `chinese-days` package. */
function packageDays(): Array<{ day: string; workday: boolean; name: string; source: 'package' }> {
  const require = createRequire(import.meta.url);
  const data = require('chinese-days/dist/chinese-days.json') as { holidays: Record<string, string>; workdays: Record<string, string> };
  const cn = (v: string) => v.split(',')[1] ?? v;
  return [
    ...Object.entries(data.holidays).map(([day, v]) => ({ day, workday: false, name: cn(v), source: 'package' as const })),
    ...Object.entries(data.workdays).map(([day, v]) => ({ day, workday: true, name: `${cn(v)}调休上班`, source: 'package' as const })),
  ];
}

export function createCalendarService({ db, rootPath }: { db: Kysely<Database>; rootPath: () => string }) {
  let cache: Promise<Map<string, { workday: boolean; name: string | null }>> | undefined;
  const deadlines: DeadlineRegistration[] = [];

  // `q`: a transaction that needs the calendar (PGlite has one connection: a query on `db` inside
  // a transaction would wait for it forever)
  const overrides = (q: Kysely<Database> | Transaction<Database> = db) => {
    if (!cache) {
      const load = repo.allOverrides(q).then((rows) => new Map(rows.map((r) => [r.day, { workday: r.workday, name: r.name }])));
      // a load that failed (e.g. inside a transaction that broke) is not kept: the next call loads again
      load.catch(() => { if (cache === load) cache = undefined; });
      cache = load;
    }
    return cache;
  };

  async function isWorkdayFn(q?: Kysely<Database> | Transaction<Database>): Promise<WorkdayFn> {
    return workdayFrom(await overrides(q));
  }

  const service = {
    isWorkdayFn,

    /** The one deadline function, used by the hotline and by GET /api/calendar/deadline. */
    async deadline(from: Date, difficulty: Difficulty): Promise<Date> {
      return computeDeadline(from, difficulty, await isWorkdayFn());
    },

    /** Days from..to inclusive (at most 366), each with its working-day flag and holiday name. */
    async days(from: string, to: string): Promise<CalendarDay[]> {
      if (to < from) throw invalidField('to', '结束日期不能早于开始日期');
      const map = await overrides();
      const out: CalendarDay[] = [];
      for (let d = from, i = 0; d <= to; d = addDays(d, 1), i++) {
        if (i >= 366) throw invalidField('to', '一次最多查询 366 天');
        const o = map.get(d);
        out.push({ date: d, workday: o?.workday ?? (weekday(d) >= 1 && weekday(d) <= 5), ...(o?.name ? { name: o.name } : {}) });
      }
      return out;
    },

    /** Overrides one day (root admins); open hotline orders get their deadlines recomputed. */
    async setDay(caller: Caller, date: string, workday: boolean, name: string | null) {
      const { actor } = caller; // root-only: the route's permission counts only in the root union (policy.ts)
      const root = rootPath();
      const row = await db.transaction().execute(async (trx) => {
        const before = await repo.findDay(trx, date);
        const r = await repo.upsertDay(trx, { day: date, workday, name, source: 'admin' });
        await recordAudit(trx, actor, {
          action: 'calendar.set', entityType: 'calendar_day', entityId: date, org: { id: Number(root.split('/')[1]), path: root },
          before: before ? { workday: before.workday, name: before.name } : null, after: { workday, name },
        });
        return r;
      });
      cache = undefined;
      await service.recomputeDeadlines();
      return { date: row.day, workday: row.workday, ...(row.name ? { name: row.name } : {}) };
    },

    /** A module's open deadlines, recomputed whenever the calendar changes. */
    registerDeadlines(reg: DeadlineRegistration) {
      deadlines.push(reg);
    },

    /** Recomputes every registered entity's open deadlines (set-based); rows changed per entity. */
    async recomputeDeadlines(): Promise<Record<string, number>> {
      const isWorkday = await isWorkdayFn();
      const changed: Record<string, number> = {};
      for (const reg of deadlines) changed[reg.name] = await recomputeDeadlines(db, reg, isWorkday);
      return changed;
    },

    async seed() {
      await repo.seedMissing(db, packageDays());
      cache = undefined;
    },
  };
  return service;
}

export type CalendarService = ReturnType<typeof createCalendarService>;
