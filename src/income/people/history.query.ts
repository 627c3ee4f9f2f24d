// A person's ledger lines one page at a time (GET /people/{id}/history), and the events that produced
// them (GET /people/{id}/events), in log order, read through the row codec.
import { ApiProperty } from '@nestjs/swagger';
import type { Position } from '../../event-store/event-store.port.js';
import { HistoryLine, historyLineOf } from '../read-model/history-line.answer.js';
import type { IncomeKind, LedgerLine, RuleName } from '../read-model/income.fold.js';
import {
  END_OF_TIME,
  LINES_WITH_SOURCES,
  START_OF_LOG,
  decodeLine,
  loadedPosition,
  storedPosition,
  type LineRow,
} from '../read-model/line-row.codec.js';
import type { ReadModel } from '../read-model/read-model.js';
import type { Period } from './income-totals.query.js';

export class HistoryPage {
  @ApiProperty({ type: [HistoryLine] })
  readonly lines!: HistoryLine[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next page; null on the last' })
  readonly nextCursor!: string | null;
}

/** Lines of one kind, rule and/or currency only (a history query's filters; each optional). */
export interface HistoryFilters {
  readonly kind?: IncomeKind;
  readonly rule?: RuleName;
  readonly currency?: string;
}
type HistoryFilterParams = [
  IncomeKind | null,
  IncomeKind | null,
  RuleName | null,
  RuleName | null,
  string | null,
  string | null,
];

const HISTORY_SQL = `${LINES_WITH_SOURCES} WHERE earner_id = ? AND (position, line_no) > (?, ?)
  AND occurred_at >= ? AND occurred_at < ?
  AND (? IS NULL OR kind = ?) AND (? IS NULL OR rule = ?) AND (? IS NULL OR currency = ?)
  ORDER BY position, line_no LIMIT ?`;

export type HistoryOptions = Period & HistoryFilters & { after?: { position: string; lineNo: number }; limit: number };

/** One page of a person's history, as the API answers it. */
export function history(readModel: ReadModel, personId: string, options: HistoryOptions): HistoryPage {
  const page = historyLines(readModel, personId, options);
  return { lines: page.lines.map(historyLineOf), nextCursor: page.nextCursor };
}

/** One page of a person's lines, in log order, and the cursor of the next page (null on the last). */
export function historyLines(
  readModel: ReadModel,
  personId: string,
  options: HistoryOptions,
): { lines: LedgerLine[]; nextCursor: string | null } {
  const after = options.after ?? { position: '', lineNo: 0 };
  const { kind = null, rule = null, currency = null } = options;
  const rows = readModel
    .prepareQuery<[string, Buffer, bigint, string, string, ...HistoryFilterParams, number], LineRow>(HISTORY_SQL)
    .all(
      personId,
      after.position === '' ? START_OF_LOG : storedPosition(after.position),
      BigInt(after.lineNo),
      options.from ?? '',
      options.to ?? END_OF_TIME,
      ...([kind, kind, rule, rule, currency, currency] as const),
      options.limit + 1,
    );
  const page = rows.slice(0, options.limit);
  const last = page[page.length - 1];
  return {
    lines: page.map(decodeLine),
    nextCursor:
      rows.length > options.limit && last ? encodeCursor(loadedPosition(last.position), Number(last.line_no)) : null,
  };
}

const EVENT_POSITIONS_SQL =
  'SELECT DISTINCT position FROM income_lines WHERE earner_id = ? AND position > ? ORDER BY position LIMIT ?';
const LINES_AT_SQL = `${LINES_WITH_SOURCES} WHERE earner_id = ? AND position = ? ORDER BY line_no`;

/**
 * The events that produced lines for a person (their own sales and conversions, their downline's
 * sales and renewals, refunds of either), in log order, each with the person's lines from it.
 */
export function eventsOf(
  readModel: ReadModel,
  personId: string,
  options: { after?: Position; limit: number },
): { events: { position: Position; lines: HistoryLine[] }[]; nextCursor: string | null } {
  const positions = readModel
    .prepareQuery<[string, Buffer, number], { position: Buffer }>(EVENT_POSITIONS_SQL)
    .all(personId, options.after === undefined ? START_OF_LOG : storedPosition(options.after), options.limit + 1);
  const page = positions.slice(0, options.limit);
  const linesAt = readModel.prepareQuery<[string, Buffer], LineRow>(LINES_AT_SQL);
  const events = page.map(({ position }) => ({
    position: loadedPosition(position),
    lines: linesAt.all(personId, position).map((row) => historyLineOf(decodeLine(row))),
  }));
  const last = events[events.length - 1];
  return { events, nextCursor: positions.length > options.limit && last ? encodeCursor(last.position, 0) : null };
}

export function encodeCursor(position: string, lineNo: number): string {
  return Buffer.from(`${position}:${lineNo}`, 'utf8').toString('base64url');
}

/** The opaque history cursor back to its parts, or null when it is not one of ours. */
export function decodeCursor(cursor: string): { position: string; lineNo: number } | null {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(cursor)) return null;
  const m = /^(0|[1-9][0-9]{0,38}):(0|[1-9][0-9]{0,4})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return m ? { position: m[1]!, lineNo: Number(m[2]) } : null;
}
