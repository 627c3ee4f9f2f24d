// Commission periods: calendar months in the time zone the programme pays in. Pure arithmetic on
// canonical instants (Date.UTC for the calendar, as shared/time.ts does); nothing reads the clock.
import type { Instant } from '../../shared/time.js';
import { offsetMinutesOf, type PeriodRules } from '../plan/period-rules.js';

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

export function periodBounds(period: PeriodName, rules: PeriodRules): PeriodBounds {
  const m = PERIOD_NAME.exec(period);
  if (m === null) throw new Error(`not a period name: ${period}`);
  const offsetMs = offsetMinutesOf(rules.timeZone) * 60_000;
  const [year, month] = [Number(m[1]), Number(m[2])];
  const start = (y: number, mo: number) => new Date(Date.UTC(y, mo - 1, 1) - offsetMs).toISOString();
  return { period, from: start(year, month), to: month === 12 ? start(year + 1, 1) : start(year, month + 1) };
}

/** The period a business time falls in. */
export function periodOf(at: Instant, rules: PeriodRules): PeriodName {
  const local = new Date(Date.parse(at) + offsetMinutesOf(rules.timeZone) * 60_000).toISOString();
  return local.slice(0, 7);
}

export function nextPeriod(period: PeriodName): PeriodName {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
}
