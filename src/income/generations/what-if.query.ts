// What a what-if report compares: every person's totals, and the events a plan could not price,
// over the same events of the serving generation and of the candidate's.
import type { Position } from '../../event-store/event-store.port.js';
import type { IncomeKind } from '../read-model/income.fold.js';
import { storedPosition } from '../read-model/line-row.codec.js';
import type { ReadModel } from '../read-model/read-model.js';
import { compareTotals, type WhatIfReport } from './what-if.js';

/** A generation file to query: a ReadModel, or a read-only connection to its file (what-if-report.worker.ts). */
export type QueryFile = Pick<ReadModel, 'prepareQuery'>;

/** The fingerprints of the plans a report compares: the serving generation's and the candidate's. */
export interface Plans {
  readonly current: string;
  readonly candidate: string;
}

/** Both generations' totals and unpriced events up to `upTo` (null: nothing to compare), compared. */
export function whatIfReportOf(
  files: { readonly current: QueryFile; readonly candidate: QueryFile },
  plans: Plans,
  upTo: Position | null,
): WhatIfReport {
  if (upTo === null) return emptyReport(plans);
  return reportOf(generationTotals(files.current, upTo), generationTotals(files.candidate, upTo), plans, upTo);
}

/** The report when there is nothing to compare (no event is folded yet): no person, no change. */
export function emptyReport(plans: Plans): WhatIfReport {
  return compareTotals(new Map(), new Map(), plans, null);
}

/** One generation's side of a report: every person's totals and the events it could not price. */
export interface GenerationTotals {
  readonly totals: Map<string, bigint>;
  readonly unpriced: Map<string, number>;
}

/** A generation's totals and unpriced events over its lines up to a position: one file's share of a report. */
export function generationTotals(file: QueryFile, upTo: Position): GenerationTotals {
  return { totals: allTotals(file, upTo), unpriced: unpricedEvents(file, upTo) };
}

/** The report of two generations' totals up to the same position. */
export function reportOf(
  current: GenerationTotals,
  candidate: GenerationTotals,
  plans: Plans,
  upTo: Position,
): WhatIfReport {
  return compareTotals(current.totals, candidate.totals, plans, upTo, {
    current: current.unpriced,
    candidate: candidate.unpriced,
  });
}

const ALL_TOTALS_SQL = `SELECT earner_id, currency, kind, SUM(amount_minor) AS minor FROM income_lines
  WHERE position <= ? GROUP BY earner_id, currency, kind`;

/** Every person's totals per currency and kind (keyed `earner \0 currency \0 kind`), over lines up to a position. */
export function allTotals(readModel: QueryFile, upTo: Position): Map<string, bigint> {
  const totals = new Map<string, bigint>();
  const rows = readModel
    .prepareQuery<[Buffer], { earner_id: string; currency: string; kind: IncomeKind; minor: bigint }>(ALL_TOTALS_SQL)
    .all(storedPosition(upTo));
  for (const row of rows) totals.set(`${row.earner_id}\u0000${row.currency}\u0000${row.kind}`, row.minor);
  return totals;
}

const UNPRICED_SQL = `SELECT rule, currency, COUNT(DISTINCT position) AS events
  FROM income_lines JOIN line_sources USING (position)
  WHERE rate IS NULL AND fixed_minor IS NULL AND event_type <> 'SaleRefunded' AND position <= ?
  GROUP BY rule, currency`;

/**
 * Per rule and currency (keyed `rule \0 currency`), how many events up to a position earned nothing
 * from a rule because its fixed amounts name no amount in their currency (lines with neither rate nor
 * fixed amount; their refunds not counted again).
 */
export function unpricedEvents(readModel: QueryFile, upTo: Position): Map<string, number> {
  const rows = readModel
    .prepareQuery<[Buffer], { rule: string; currency: string; events: bigint }>(UNPRICED_SQL)
    .all(storedPosition(upTo));
  return new Map(rows.map((row) => [`${row.rule}\u0000${row.currency}`, Number(row.events)]));
}

const LATEST_BUSINESS_TIME_SQL = 'SELECT MAX(occurred_at) AS at FROM income_lines';

/** The latest business time of any line: a plan change from after it re-prices nothing (so needs no what-if). */
export function latestBusinessTime(readModel: ReadModel): string | null {
  return readModel.prepareQuery<[], { at: string | null }>(LATEST_BUSINESS_TIME_SQL).get()?.at ?? null;
}
