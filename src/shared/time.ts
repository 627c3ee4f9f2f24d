// Business time: ISO 8601 instants with an explicit offset, stored as UTC to the millisecond.
// Pure functions; nothing here reads the clock.

const ISO_INSTANT =
  /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,9}))?)?(Z|[+-][0-9]{2}:[0-9]{2})$/;

/** A UTC instant in the one canonical form `YYYY-MM-DDTHH:mm:ss.sssZ`, which sorts as text. */
export type Instant = string;

/**
 * Parses an ISO 8601 date-time with an offset ("2026-03-01T09:30:00+01:00") into canonical UTC,
 * or null when it is not one: no offset, an impossible date (2026-02-30), an hour of 24.
 * Digits past the millisecond are dropped.
 */
export function parseInstant(text: string): Instant | null {
  const m = ISO_INSTANT.exec(text);
  if (m === null) return null;
  const [, y, mo, d, h, mi, s = '0', frac = '', offset] = m;
  const year = Number(y),
    month = Number(mo),
    day = Number(d),
    hour = Number(h),
    minute = Number(mi),
    second = Number(s);
  if (year < 1900 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  let offsetMinutes = 0;
  if (offset !== 'Z') {
    const oh = Number(offset!.slice(1, 3)),
      om = Number(offset!.slice(4, 6));
    if (oh > 23 || om > 59) return null;
    offsetMinutes = (offset!.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  const millis = Number(frac.padEnd(3, '0').slice(0, 3));
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
  const iso = new Date(utc).toISOString();
  return iso.length === 24 ? iso : null; // years past 9999 do not fit the canonical form
}

const CANONICAL_INSTANT = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$/;

/**
 * Whether a text is an instant in the canonical form, as parseInstant would give it. Every event's times are
 * checked with it when the log is read, so it reads the fields off the text (the shape is fixed) and checks
 * their ranges, without building a Date.
 */
export function isInstant(text: string): boolean {
  if (!CANONICAL_INSTANT.test(text) || text < '1900') return false;
  const year = digitsAt(text, 0, 4),
    month = digitsAt(text, 5, 2),
    day = digitsAt(text, 8, 2);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  return digitsAt(text, 11, 2) <= 23 && digitsAt(text, 14, 2) <= 59 && digitsAt(text, 17, 2) <= 59;
}

/** The number written by `length` ASCII digits of `text` from `start` (already known to be digits). */
function digitsAt(text: string, start: number, length: number): number {
  let n = 0;
  for (let i = start; i < start + length; i++) n = n * 10 + text.charCodeAt(i) - 48;
  return n;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!;
}

/**
 * The same wall-clock moment `months` calendar months later, in UTC. A day that does not exist
 * in the target month is clamped to its last day: 31 January + 1 month = 28 (or 29) February.
 * Null when that lies beyond the year 9999.
 */
export function addCalendarMonths(instant: Instant, months: number): Instant | null {
  // a canonical instant's date is its first ten characters; the time of day after them does not move
  const targetMonthIndex = digitsAt(instant, 5, 2) - 1 + months;
  const year = digitsAt(instant, 0, 4) + Math.floor(targetMonthIndex / 12);
  const month = (((targetMonthIndex % 12) + 12) % 12) + 1;
  if (year > 9999) return null; // past the last instant this ledger stores
  if (year < 0) throw new RangeError(`${months} months from ${instant} is before the year 0`);
  const day = Math.min(digitsAt(instant, 8, 2), daysInMonth(year, month));
  return `${String(year).padStart(4, '0')}-${twoDigits(month)}-${twoDigits(day)}${instant.slice(10)}`;
}

const twoDigits = (n: number) => (n < 10 ? `0${n}` : String(n));

/** `days` whole days of 24 hours later, in UTC; null past the year 9999. */
export function addDays(instant: Instant, days: number): Instant | null {
  const later = new Date(new Date(instant).getTime() + days * 86_400_000);
  return later.getUTCFullYear() > 9999 ? null : later.toISOString();
}
