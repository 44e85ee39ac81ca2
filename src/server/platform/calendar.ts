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
 * 办理时限 (api.md): `general` → end of the day received if it is a working day, else of the next
 * working day (一般问题当天办结); `difficult` → end of the 5th working day after the day received
 * (难点问题5个工作日); `complex` → end of the 15th calendar day after the day received (15天内).
 */
export function computeDeadline(receivedAt: Date, difficulty: Difficulty, isWorkday: WorkdayFn): Date {
  const day = shanghaiDate(receivedAt);
  switch (difficulty) {
    case 'general':
      return endOfDay(isWorkday(day) ? day : nthWorkdayAfter(day, 1, isWorkday));
    case 'difficult':
      return endOfDay(nthWorkdayAfter(day, 5, isWorkday));
    case 'complex':
      return endOfDay(addDays(day, 15));
  }
}
