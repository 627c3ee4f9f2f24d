// Commission periods: calendar months in the time zone the programme pays in. Pure arithmetic on
// canonical instants (Date.UTC for the calendar, as shared/time.ts does, and ICU's offsets for a
// named zone, shared/time-zone.ts); nothing reads the clock.
import type { Instant } from '../../shared/time.js';
import { firstInstantAtOrAfter, wallClockMs } from '../../shared/time-zone.js';
import type { PeriodRules } from '../plan/period-rules.js';

/** A period's name: `YYYY-MM`, the month in the programme's time zone. */
export type PeriodName = string;

export interface PeriodBounds {
  readonly period: PeriodName;
  /** First instant of the period (inclusive), canonical UTC. */
  readonly from: Instant;
  /** First instant of the next period (exclusive). */
  readonly to: Instant;
}

const PERIOD_NAME = /^([0-9]{4})-(0[1-9]|1[0-2])$/;

export function isPeriodName(text: string): boolean {
  const m = PERIOD_NAME.exec(text);
  return m !== null && Number(m[1]) >= 1900;
}

/** Bounds of named-zone periods, computed once each (a close asks for the period of every line). */
const boundsCache = new Map<string, PeriodBounds>();
const BOUNDS_CACHED_MAX = 10_000;

/** From the first instant of the month's first day in the zone to that of the next month's. */
export function periodBounds(period: PeriodName, rules: PeriodRules): PeriodBounds {
  const m = PERIOD_NAME.exec(period);
  if (m === null) throw new Error(`not a period name: ${period}`);
  const cacheKey = `${rules.timeZone}\u0000${period}`;
  const cached = boundsCache.get(cacheKey);
  if (cached !== undefined) return cached;
  const [year, month] = [Number(m[1]), Number(m[2])];
  const start = (y: number, mo: number) =>
    new Date(firstInstantAtOrAfter(Date.UTC(y, mo - 1, 1), rules.timeZone)).toISOString();
  const bounds = { period, from: start(year, month), to: month === 12 ? start(year + 1, 1) : start(year, month + 1) };
  if (boundsCache.size < BOUNDS_CACHED_MAX) boundsCache.set(cacheKey, bounds);
  return bounds;
}

/** The period a business time falls in: the one whose bounds hold it. */
export function periodOf(at: Instant, rules: PeriodRules): PeriodName {
  const ms = Date.parse(at);
  const local = new Date(wallClockMs(ms, rules.timeZone)).toISOString().slice(0, 7);
  // the wall clock's month, unless the clock was set back over a month's start (then it is the earlier one)
  const bounds = periodBounds(local, rules);
  if (ms < Date.parse(bounds.from)) return previousPeriod(local);
  if (ms >= Date.parse(bounds.to)) return nextPeriod(local);
  return local;
}

export function nextPeriod(period: PeriodName): PeriodName {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
}

export function previousPeriod(period: PeriodName): PeriodName {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
}
