/**
 * Working-day arithmetic in Asia/Shanghai (UTC+8, no DST). Dates are 'YYYY-MM-DD' strings.
 * A day is a working day when the holiday table says so, else when it is Monday–Friday.
 */
export const DIFFICULTIES = ['general', 'difficult', 'complex'] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];

const OFFSET_MS = 8 * 3_600_000;

/** The calendar date in Shanghai of an instant. */
export function shanghaiDate(instant: Date): string {
  return new Date(instant.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** 23:59:59 +08:00 of a date. */
export function endOfDay(date: string): Date {
  return new Date(`${date}T23:59:59+08:00`);
}

export type WorkdayFn = (date: string) => boolean;

export function workdayFrom(overrides: ReadonlyMap<string, { workday: boolean }>): WorkdayFn {
  return (date) => overrides.get(date)?.workday ?? (weekday(date) >= 1 && weekday(date) <= 5);
}

/** The n-th working day strictly after `date`. */
export function nthWorkdayAfter(date: string, n: number, isWorkday: WorkdayFn): string {
  let d = date;
  let count = 0;
  for (let guard = 0; guard < 3660; guard++) {
    d = addDays(d, 1);
    if (isWorkday(d) && ++count === n) return d;
  }
  throw new Error('no working day within ten years');
}

/**
 * A deadline rule (时限规则), written as text so a row can store it: `same_working_day` (end of the
 * day if it is a working day, else of the next working day), `working_days:N` (end of the N-th
 * working day after the day), `calendar_days:N` (end of the N-th calendar day after the day). Every
 * deadline of the platform is one of these, computed by `dueOn` alone.
 */
export type DeadlineRule = 'same_working_day' | `working_days:${number}` | `calendar_days:${number}`;

const RULE = /^(?:same_working_day|(working_days|calendar_days):([1-9]\d{0,2}))$/;

export function isDeadlineRule(s: string): s is DeadlineRule {
  return RULE.test(s);
}

/** End of the day (Asia/Shanghai) a thing started on `day` is due under `rule`. */
export function dueOn(day: string, rule: DeadlineRule, isWorkday: WorkdayFn): Date {
  const m = RULE.exec(rule);
  if (!m) throw new Error(`unknown deadline rule ${rule}`);
  if (!m[1]) return endOfDay(isWorkday(day) ? day : nthWorkdayAfter(day, 1, isWorkday));
  const n = Number(m[2]);
  return endOfDay(m[1] === 'working_days' ? nthWorkdayAfter(day, n, isWorkday) : addDays(day, n));
}

/** The same for an instant: its Shanghai date decides. */
export function dueAt(from: Date, rule: DeadlineRule, isWorkday: WorkdayFn): Date {
  return dueOn(shanghaiDate(from), rule, isWorkday);
}

/**
 * The last day of a window of `n` working days that opens on `start` (公示期): the start counts
 * when it is a working day. Five working days from Thu 2025-10-09 end Tue 2025-10-14, because
 * Sat 10-11 is a 调休 working day.
 */
export function windowEnd(start: string, n: number, isWorkday: WorkdayFn): string {
  return nthWorkdayAfter(addDays(start, -1), n, isWorkday);
}

/**
 * 办理时限 (api.md): `general` → end of the day received if it is a working day, else of the next
 * working day (一般问题当天办结); `difficult` → end of the 5th working day after the day received
 * (难点问题5个工作日); `complex` → end of the 15th calendar day after the day received (15天内).
 */
export const DIFFICULTY_RULES: Record<Difficulty, DeadlineRule> = { general: 'same_working_day', difficult: 'working_days:5', complex: 'calendar_days:15' };

export function computeDeadline(receivedAt: Date, difficulty: Difficulty, isWorkday: WorkdayFn): Date {
  return dueAt(receivedAt, DIFFICULTY_RULES[difficulty], isWorkday);
}
