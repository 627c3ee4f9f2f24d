// What a statement reads from a read model: the sums before its period and the period's lines, as
// the ledger knew them at a knowledge point; and the refunds the ledger learned of after that point.
import type { KnowledgePoint } from '../generations/catalog.js';
import type { IncomeKind, LedgerLine } from '../read-model/income.fold.js';
import {
  END_OF_LOG,
  END_OF_TIME,
  LINES_WITH_SOURCES,
  decodeLine,
  storedPosition,
  type LineRow,
} from '../read-model/line-row.codec.js';
import type { ReadModel } from '../read-model/read-model.js';

const OPENING_SQL = `SELECT currency, kind, SUM(amount_minor) AS minor FROM income_lines JOIN line_sources USING (position)
  WHERE earner_id = ? AND occurred_at < ? AND position <= ? AND recorded_at <= ?
  GROUP BY currency, kind ORDER BY currency, kind`;

const PERIOD_LINES_SQL = `${LINES_WITH_SOURCES}
  WHERE earner_id = ? AND occurred_at >= ? AND occurred_at < ? AND position <= ? AND recorded_at <= ?
  ORDER BY occurred_at, position, line_no LIMIT ?`;

/**
 * What a statement of a person needs, as the ledger knew it at a knowledge point (every line when
 * none is given): the sums before the period per currency and kind, and the period's lines in
 * business-time order. At most `limit` lines; `truncated` when there were more.
 */
export function statementLines(
  readModel: ReadModel,
  personId: string,
  period: { from: string; to: string },
  known: KnowledgePoint | undefined,
  limit: number,
): { opening: { currency: string; kind: IncomeKind; minor: bigint }[]; lines: LedgerLine[]; truncated: boolean } {
  const upTo = known !== undefined && 'position' in known ? storedPosition(known.position) : END_OF_LOG;
  const recordedBy = known !== undefined && 'recordedAt' in known ? known.recordedAt : END_OF_TIME;
  const opening = readModel
    .prepareQuery<[string, string, Buffer, string], { currency: string; kind: IncomeKind; minor: bigint }>(OPENING_SQL)
    .all(personId, period.from, upTo, recordedBy);
  const rows = readModel
    .prepareQuery<[string, string, string, Buffer, string, number], LineRow>(PERIOD_LINES_SQL)
    .all(personId, period.from, period.to, upTo, recordedBy, limit + 1);
  return { opening, lines: rows.slice(0, limit).map(decodeLine), truncated: rows.length > limit };
}

const REFUNDS_AFTER_SQL = {
  position: `${LINES_WITH_SOURCES} WHERE earner_id = ? AND event_type = 'SaleRefunded' AND position > ?
    ORDER BY position, line_no`,
  recordedAt: `${LINES_WITH_SOURCES} WHERE earner_id = ? AND event_type = 'SaleRefunded' AND recorded_at > ?
    ORDER BY position, line_no`,
};

/** A person's refund lines the ledger did not yet know at a knowledge point, whatever their date. */
export function refundLinesAfter(readModel: ReadModel, personId: string, known: KnowledgePoint): LedgerLine[] {
  const [sql, value] =
    'position' in known
      ? [REFUNDS_AFTER_SQL.position, storedPosition(known.position)]
      : [REFUNDS_AFTER_SQL.recordedAt, known.recordedAt];
  return readModel.prepareQuery<[string, Buffer | string], LineRow>(sql).all(personId, value).map(decodeLine);
}
