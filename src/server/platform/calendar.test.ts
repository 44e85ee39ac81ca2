import { describe, expect, it } from 'vitest';
import { computeDeadline, dueAt, dueOn, isDeadlineRule, shanghaiDate, windowEnd, workdayFrom } from './calendar.js';

// The State Council schedule for the cases in the issue (normally seeded from chinese-days).
const overrides = new Map<string, { workday: boolean }>();
for (const d of ['2025-10-01', '2025-10-02', '2025-10-03', '2025-10-06', '2025-10-07', '2025-10-08']) overrides.set(d, { workday: false });
overrides.set('2025-10-04', { workday: false });
overrides.set('2025-10-05', { workday: false });
overrides.set('2025-09-28', { workday: true });
overrides.set('2025-10-11', { workday: true });
for (let d = 15; d <= 23; d++) overrides.set(`2026-02-${d}`, { workday: false });
overrides.set('2026-02-14', { workday: true });
overrides.set('2026-02-28', { workday: true });
const isWorkday = workdayFrom(overrides);
const at = (s: string) => new Date(s);
const iso = (d: Date) => d.toISOString();

describe('SLA deadlines in working days, Asia/Shanghai', () => {
  it('difficult order on Tue 2025-09-30 is due at the end of 2025-10-14 (National Day, Saturday 10-11 worked)', () => {
    expect(iso(computeDeadline(at('2025-09-30T10:00:00+08:00'), 'difficult', isWorkday))).toBe('2025-10-14T15:59:59.000Z');
  });
  it('difficult order on Fri 2026-02-13 is due at the end of 2026-02-27 (Saturday 02-14 worked, 02-15..23 off)', () => {
    expect(iso(computeDeadline(at('2026-02-13T16:30:00+08:00'), 'difficult', isWorkday))).toBe('2026-02-27T15:59:59.000Z');
  });
  it('general order: same day on a working day, next working day on weekends and holidays', () => {
    expect(iso(computeDeadline(at('2025-09-30T09:00:00+08:00'), 'general', isWorkday))).toBe('2025-09-30T15:59:59.000Z');
    expect(iso(computeDeadline(at('2025-10-01T09:00:00+08:00'), 'general', isWorkday))).toBe('2025-10-09T15:59:59.000Z');
    expect(iso(computeDeadline(at('2025-10-11T09:00:00+08:00'), 'general', isWorkday))).toBe('2025-10-11T15:59:59.000Z');
    expect(iso(computeDeadline(at('2025-11-22T09:00:00+08:00'), 'general', isWorkday))).toBe('2025-11-24T15:59:59.000Z');
  });
  it('late-night intake counts in Shanghai time, not UTC', () => {
    // 23:30 Friday in Shanghai is 15:30 UTC Friday; 00:30 Saturday Shanghai is still Friday in UTC
    expect(iso(computeDeadline(at('2025-11-21T23:30:00+08:00'), 'general', isWorkday))).toBe('2025-11-21T15:59:59.000Z');
    expect(iso(computeDeadline(at('2025-11-22T00:30:00+08:00'), 'general', isWorkday))).toBe('2025-11-24T15:59:59.000Z');
    expect(shanghaiDate(at('2025-11-21T16:30:00Z'))).toBe('2025-11-22');
  });
  it('complex order: end of the 15th calendar day after the day received, holidays or not', () => {
    expect(iso(computeDeadline(at('2025-09-30T10:00:00+08:00'), 'complex', isWorkday))).toBe('2025-10-15T15:59:59.000Z');
    expect(iso(computeDeadline(at('2026-02-13T23:59:00+08:00'), 'complex', isWorkday))).toBe('2026-02-28T15:59:59.000Z');
  });
  it('difficult order received on a weekend counts from the next working day', () => {
    expect(iso(computeDeadline(at('2025-11-22T10:00:00+08:00'), 'difficult', isWorkday))).toBe('2025-11-28T15:59:59.000Z');
  });
});

describe('deadline rules (one function for every module)', () => {
  it('reads only the three rule forms', () => {
    for (const ok of ['same_working_day', 'working_days:5', 'calendar_days:15', 'working_days:120']) expect(isDeadlineRule(ok)).toBe(true);
    for (const bad of ['', 'working_days', 'working_days:0', 'working_days:-1', 'calendar_days:1.5', 'hours:3', 'same_working_day:1', 'working_days:1000']) expect(isDeadlineRule(bad)).toBe(false);
    expect(() => dueOn('2025-10-09', 'weeks:2' as never, isWorkday)).toThrow();
  });
  it('counts working days after the day, calendar days after the day, or the day itself when worked', () => {
    expect(iso(dueOn('2025-09-30', 'working_days:5', isWorkday))).toBe('2025-10-14T15:59:59.000Z');
    expect(iso(dueOn('2025-10-11', 'same_working_day', isWorkday))).toBe('2025-10-11T15:59:59.000Z');
    expect(iso(dueOn('2025-10-01', 'same_working_day', isWorkday))).toBe('2025-10-09T15:59:59.000Z');
    expect(iso(dueOn('2025-09-30', 'calendar_days:15', isWorkday))).toBe('2025-10-15T15:59:59.000Z');
    expect(iso(dueAt(at('2025-11-21T23:30:00+08:00'), 'working_days:1', isWorkday))).toBe('2025-11-24T15:59:59.000Z');
  });
  it('a 5-working-day 公示 window from Thu 2025-10-09 ends Tue 2025-10-14 (Sat 10-11 is a 调休 workday)', () => {
    expect(windowEnd('2025-10-09', 5, isWorkday)).toBe('2025-10-14');
    // a window opened on a holiday starts on the next working day
    expect(windowEnd('2025-10-05', 1, isWorkday)).toBe('2025-10-09');
    // without the 调休 Saturday the window runs one day longer
    expect(windowEnd('2025-10-09', 5, workdayFrom(new Map()))).toBe('2025-10-15');
  });
});
