// One ledger line as a row and back: the writer encodes a folded line into income_lines' columns
// (its event once, in line_sources, with the plan version and base amount every line of an event
// shares) and every query decodes rows through here, so the columns are
// described in one place. Amounts are integer minor units in the row and Money (minor units too) on
// either side of it: only an answer prints them; positions are blobs that sort as the numbers do.
import { SAFE_DECIMAL, type Position } from '../../event-store/event-store.port.js';
import { Money, minorUnitsOfAmount } from '../../shared/money.js';
import type { CapName } from '../plan/plan.js';
import type { IncomeKind, IncomeLine, LedgerLine, Provenance, RuleName } from './income.fold.js';

/** A row of income_lines joined with its line_sources row, as SQLite gives it back (integers as bigint). */
export interface LineRow {
  position: Buffer;
  line_no: bigint;
  earner_id: string;
  rule: RuleName;
  kind: IncomeKind;
  level: bigint | null;
  amount_minor: bigint;
  currency: string;
  base_minor: bigint;
  rate: string | null;
  fixed_minor: bigint | null;
  product: string | null;
  step: string | null;
  cap: CapName | null;
  uncapped_minor: bigint | null;
  plan_version: string;
  occurred_at: string;
  event_id: string;
  event_type: string;
  stream: string;
  revision: bigint;
  recorded_at: string;
}

/** income_lines' columns, in the order encodeLine gives their values. */
export const LINE_COLUMNS = [
  'position',
  'line_no',
  'earner_id',
  'rule',
  'kind',
  'level',
  'amount_minor',
  'currency',
  'rate',
  'fixed_minor',
  'product',
  'step',
  'cap',
  'uncapped_minor',
  'occurred_at',
] as const satisfies readonly (keyof LineRow)[];

/**
 * line_sources' columns, in the order encodeSource gives their values: the event, and what every
 * line of it shares (stored once an event, not once a line: fewer values a line is a cheaper insert).
 */
export const SOURCE_COLUMNS = [
  'position',
  'event_id',
  'event_type',
  'stream',
  'revision',
  'recorded_at',
  'plan_version',
  'base_minor',
] as const satisfies readonly (keyof LineRow)[];

/** Lines with the event they came from: what decodeLine reads. */
export const LINES_WITH_SOURCES = 'SELECT * FROM income_lines JOIN line_sources USING (position)';

/** Sorts after every canonical instant: the open end of a period. */
export const END_OF_TIME = '~';
/** Sorts after every stored position (whose first byte, their length, is at most 17). */
export const END_OF_LOG = Buffer.from([0xff]);
/** Sorts before every stored position. */
export const START_OF_LOG = Buffer.alloc(0);

/**
 * Appends the column values of the event of a folded line (its first), in SOURCE_COLUMNS order, to
 * `into`. The position is its text here; the writer stores it (storedPosition) as it inserts the row.
 */
export function encodeSource(first: IncomeLine, position: Position, recordedAt: string, into: unknown[]): void {
  const source = first.source;
  into.push(
    position,
    source.eventId,
    source.eventType,
    source.stream,
    source.revision,
    recordedAt,
    first.planVersion,
    first.baseAmount.minorUnits,
  );
}

/**
 * Appends the column values of a folded line, in LINE_COLUMNS order, to `into` (the writer's rows:
 * no array of its own per line): the `lineNo`th line of the event at `position`, whose `first` line
 * has the event's shared values (encodeSource). A line that does not share them is a fault of the
 * fold, refused here rather than stored as its event's.
 */
export function encodeLine(line: IncomeLine, first: IncomeLine, position: Position, lineNo: number, into: unknown[]) {
  if (line.planVersion !== first.planVersion || line.baseAmount.minorUnits !== first.baseAmount.minorUnits) {
    throw new Error(`line ${lineNo} of the event at position ${position} differs from its event's plan or base`);
  }
  into.push(
    position,
    lineNo,
    line.earnerId,
    line.rule,
    line.kind,
    line.level,
    line.amount.minorUnits,
    line.currency,
    line.rate,
    line.fixedAmount === null ? null : minorUnitsOfAmount(line.fixedAmount, line.currency),
    line.product,
    line.step,
    line.cap,
    line.uncappedAmount?.minorUnits ?? null,
    line.occurredAt,
  );
}

/** A row back to the line the fold wrote, with its knowledge time. */
export function decodeLine(row: LineRow): LedgerLine {
  const money = (minor: bigint) => Money.fromMinorUnits(minor, row.currency);
  return {
    ...provenanceOf(row),
    earnerId: row.earner_id,
    amount: money(row.amount_minor),
    currency: row.currency,
    baseAmount: money(row.base_minor),
    uncappedAmount: row.uncapped_minor === null ? null : money(row.uncapped_minor),
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
    source: {
      eventId: row.event_id,
      eventType: row.event_type,
      stream: row.stream,
      revision: Number(row.revision),
      position: loadedPosition(row.position),
    },
  };
}

/** Why a row's line has its amount (the rule, its entry, step and cap), as the fold and the API name it. */
export function provenanceOf(row: LineRow): Provenance {
  return {
    rule: row.rule,
    kind: row.kind,
    level: row.level === null ? null : Number(row.level),
    rate: row.rate,
    fixedAmount: row.fixed_minor === null ? null : Money.fromMinorUnits(row.fixed_minor, row.currency).toString(),
    product: row.product,
    step: row.step,
    cap: row.cap,
    planVersion: row.plan_version,
  };
}

/**
 * Positions are stored as blobs that sort, byte by byte, as the numbers do: one byte of length, then
 * the unsigned integer big-endian without leading zeros (EventStoreDB positions take up to 39
 * digits, more than an INTEGER holds). Four bytes for a position under 2^24, not 39 of text.
 */
export function storedPosition(position: Position): Buffer {
  // the short way, without a BigInt, for the positions a SQLite log has (a writer stores one per row)
  if (SAFE_DECIMAL.test(position)) {
    let value = Number(position);
    let length = 1;
    for (let rest = Math.floor(value / 256); rest > 0; rest = Math.floor(rest / 256)) length += 1;
    const stored = Buffer.allocUnsafe(length + 1);
    stored[0] = length;
    for (let i = length; i > 0; i -= 1) {
      stored[i] = value % 256;
      value = Math.floor(value / 256);
    }
    return stored;
  }
  const hex = BigInt(position).toString(16);
  const bytes = Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, 'hex');
  return Buffer.concat([Buffer.from([bytes.length]), bytes]);
}

export function loadedPosition(stored: Buffer): Position {
  return BigInt(`0x${stored.subarray(1).toString('hex')}`).toString();
}
