// Figures as people read them: amounts from the API's decimal strings, formatted by Intl in the
// browser's locale without ever becoming a floating-point number; sums and differences in minor units
// (BigInt).

/** "12.50" → 1250n: the API fixes every amount to its currency's minor units. */
export function minorOf(amount: string): bigint {
  const negative = amount.startsWith('-');
  const [whole = '0', fraction = ''] = (negative ? amount.slice(1) : amount).split('.');
  const minor = BigInt(whole + fraction);
  return negative ? -minor : minor;
}

/** 1250n with 2 minor digits → "12.50". */
export function decimalOf(minor: bigint, digits: number): string {
  const negative = minor < 0n;
  const text = (negative ? -minor : minor).toString().padStart(digits + 1, '0');
  const whole = text.slice(0, text.length - digits);
  const fraction = text.slice(text.length - digits);
  return `${negative ? '-' : ''}${whole}${digits > 0 ? `.${fraction}` : ''}`;
}

/** The number of decimals an amount of the API has (its currency's minor units). */
export function digitsOf(amount: string): number {
  const dot = amount.indexOf('.');
  return dot < 0 ? 0 : amount.length - dot - 1;
}

const formats = new Map<string, Intl.NumberFormat>();

/** "1234.50" USD → "$1,234.50" (en-US) or "1.234,50 $" (de-DE): Intl formats the decimal string exactly. */
export function formatMoney(amount: string, currency: string): string {
  let format = formats.get(currency);
  if (format === undefined) {
    format = new Intl.NumberFormat(undefined, { style: 'currency', currency });
    formats.set(currency, format);
  }
  return format.format(amount as Intl.StringNumericLiteral);
}

export function formatMinor(minor: bigint, digits: number, currency: string): string {
  return formatMoney(decimalOf(minor, digits), currency);
}

const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });

/** A share (recurring / total) as a percentage; only ever shown, never summed. */
export function formatShare(part: bigint, whole: bigint): string {
  return whole <= 0n ? '–' : percent.format(Number((part * 10_000n) / whole) / 10_000);
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
const date = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
const monthName = new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric', timeZone: 'UTC' });

export const formatDateTime = (instant: string): string => `${dateTime.format(new Date(instant))} UTC`;
export const formatDate = (instant: string): string => date.format(new Date(instant));
/** "2025-03" → "Mar 2025" */
export const formatMonth = (month: string): string => monthName.format(new Date(`${month}-01T00:00:00Z`));

/** "2025-03" → "2025-04" */
export function nextMonth(month: string): string {
  const [year, mm] = month.split('-').map(Number) as [number, number];
  return mm === 12 ? `${year + 1}-01` : `${year}-${String(mm + 1).padStart(2, '0')}`;
}

export function previousMonth(month: string): string {
  const [year, mm] = month.split('-').map(Number) as [number, number];
  return mm === 1 ? `${year - 1}-12` : `${year}-${String(mm - 1).padStart(2, '0')}`;
}

/** Every month from first to last, both included. */
export function monthsBetween(first: string, last: string): string[] {
  const months: string[] = [];
  for (let m = first; m <= last && months.length < 1200; m = nextMonth(m)) months.push(m);
  return months;
}

/** The start of a month as an API instant. */
export const monthStart = (month: string): string => `${month}-01T00:00:00Z`;
