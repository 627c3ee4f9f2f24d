// Wall-clock time in a time zone the programme pays in: `UTC`, a fixed offset (`+02:00`), or an IANA
// name (`Europe/Berlin`) whose offsets, daylight saving included, come from the ICU data Node ships
// (full ICU in Node 20 and 22), never from offsets written here. Pure: no clock is read.

/** A fixed offset from UTC, `+HH:MM` or `-HH:MM`, or `UTC`. */
const FIXED_OFFSET = /^(UTC|[+-](0[0-9]|1[0-4]):(00|15|30|45))$/;
/** IANA names are ASCII: Area/Location, with `_`, `-`, `+` and digits (`Etc/GMT+5`). */
const IANA_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

function isFixedOffset(timeZone: string): boolean {
  return FIXED_OFFSET.test(timeZone);
}

/** Whether a time zone is one the programme can pay in: UTC, a fixed offset, or an IANA name ICU knows. */
export function isTimeZone(timeZone: string): boolean {
  if (isFixedOffset(timeZone)) return true;
  if (!IANA_NAME.test(timeZone)) return false;
  try {
    formatterOf(timeZone);
    return true;
  } catch {
    return false; // RangeError: Invalid time zone specified
  }
}

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function fixedOffsetMs(timeZone: string): number {
  if (timeZone === 'UTC') return 0;
  const sign = timeZone.startsWith('-') ? -1 : 1;
  return sign * (Number(timeZone.slice(1, 3)) * 60 + Number(timeZone.slice(4, 6))) * 60_000;
}

/**
 * The wall-clock time in the zone at an instant, as milliseconds of the same wall time read in UTC
 * (so that `Date.UTC` fields compare with it). Whole seconds: ICU gives no milliseconds of offset.
 */
export function wallClockMs(instantMs: number, timeZone: string): number {
  if (isFixedOffset(timeZone)) return instantMs + fixedOffsetMs(timeZone);
  const parts: Record<string, number> = {};
  for (const part of formatterOf(timeZone).formatToParts(instantMs)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day, parts.hour, parts.minute, parts.second);
  return wall + (((instantMs % 1000) + 1000) % 1000);
}

const DAY_MS = 86_400_000;

/**
 * The first instant at which the zone's wall clock reads `wallMs` or later. Where daylight saving
 * skips that wall time (a gap), it is the instant the clock jumps over it; where a wall time happens
 * twice (the clock set back), its first occurrence. Offsets are taken two days either side, so one
 * transition near the wall time is seen from both sides.
 */
export function firstInstantAtOrAfter(wallMs: number, timeZone: string): number {
  if (isFixedOffset(timeZone)) return wallMs - fixedOffsetMs(timeZone);
  const offsetAt = (instantMs: number) => wallClockMs(instantMs, timeZone) - instantMs;
  const candidates = [wallMs - 2 * DAY_MS, wallMs, wallMs + 2 * DAY_MS].map((probe) => wallMs - offsetAt(probe));
  const reaching = candidates.filter((t) => wallClockMs(t, timeZone) >= wallMs);
  if (reaching.length === 0) throw new Error(`no instant reaches ${new Date(wallMs).toISOString()} in ${timeZone}`);
  return Math.min(...reaching);
}
