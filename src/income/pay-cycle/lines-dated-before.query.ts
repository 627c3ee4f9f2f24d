// What a close of the pay cycle (and a rank card) folds: every line dated before the period's end.
import type { LedgerLine } from '../read-model/income.fold.js';
import { LINES_WITH_SOURCES, decodeLine, type LineRow } from '../read-model/line-row.codec.js';
import type { ReadModel } from '../read-model/read-model.js';

const LINES_DATED_BEFORE_SQL = `${LINES_WITH_SOURCES} WHERE occurred_at < ? ORDER BY position, line_no`;

/** Every line dated before `to`, with its earner, in log order. */
export function* linesDatedBefore(readModel: ReadModel, to: string): Generator<LedgerLine> {
  // a statement of its own: an iterating statement is busy until the loop ends
  const rows = readModel.prepareQuery<[string], LineRow>(LINES_DATED_BEFORE_SQL, { fresh: true }).iterate(to);
  for (const row of rows) yield decodeLine(row);
}
