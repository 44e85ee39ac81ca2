import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../db/types.js';
import { dueOn, isDeadlineRule, type WorkdayFn } from './calendar.js';

/**
 * An entity's open deadlines, as the calendar sees them: which table, the instant each deadline
 * counts from, the SQL giving each row's rule (`DeadlineRule` text), which rows are still open,
 * and the columns to write. A module registers one (calendar.registerDeadlines) and a change of the
 * holiday calendar recomputes them all, set-based: one SELECT DISTINCT of (day, rule) pairs and
 * one UPDATE per entity, however many rows are open.
 */
export interface DeadlineRegistration {
  /** Names the entity in logs and results. */
  name: string;
  table: keyof Database & string;
  /** The timestamptz column the deadline counts from. */
  base: string;
  /** An SQL expression over the table's columns giving the rule text of a row. */
  rule: RawBuilder<string>;
  /** An SQL condition over the table's columns: the rows whose deadline is still running. */
  open: RawBuilder<boolean>;
  deadline: string;
  /** A flag cleared when the new deadline lies in the future (超期 no longer). */
  overdue?: string;
}

/** Recomputes one registration's open deadlines; returns how many rows changed. */
export async function recomputeDeadlines(db: Kysely<Database>, reg: DeadlineRegistration, isWorkday: WorkdayFn): Promise<number> {
  const table = sql.table(reg.table);
  const base = sql.ref(reg.base);
  const day = sql`(${base} at time zone 'Asia/Shanghai')::date`;
  const pairs = await sql<{ day: string; rule: string }>`
    select distinct ${day}::text as day, ${reg.rule} as rule from ${table} where ${reg.open}`.execute(db);
  if (pairs.rows.length === 0) return 0;
  const days: string[] = [];
  const rules: string[] = [];
  const dues: string[] = [];
  for (const p of pairs.rows) {
    if (!isDeadlineRule(p.rule)) throw new Error(`${reg.name}: unknown deadline rule ${p.rule}`);
    days.push(p.day);
    rules.push(p.rule);
    dues.push(dueOn(p.day, p.rule, isWorkday).toISOString());
  }
  const deadline = sql.ref(reg.deadline);
  const overdue = reg.overdue ? sql`, ${sql.ref(reg.overdue)} = case when m_due < now() then ${sql.ref(reg.overdue)} else false end` : sql``;
  const r = await sql`
    update ${table} set ${deadline} = m_due${overdue}
    from unnest(${days}::date[], ${rules}::text[], ${dues}::timestamptz[]) as m(m_day, m_rule, m_due)
    where ${reg.open} and ${day} = m_day and ${reg.rule} = m_rule and ${deadline} is distinct from m_due`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}
