// A person's income per currency, split by kind, over a business-time window: GET /people/{id}/income.
// Sums are SQLite integer sums of minor units: exact.
import { ApiProperty } from '@nestjs/swagger';
import { Money } from '../../shared/money.js';
import { AMOUNT } from '../read-model/history-line.answer.js';
import type { IncomeKind } from '../read-model/income.fold.js';
import { END_OF_TIME } from '../read-model/line-row.codec.js';
import type { ReadModel } from '../read-model/read-model.js';

/** A person's income in one currency, split by kind. */
export class IncomeTotals {
  @ApiProperty({ description: 'ISO 4217', example: 'USD' })
  readonly currency!: string;
  @ApiProperty(AMOUNT)
  readonly residual!: string;
  @ApiProperty(AMOUNT)
  readonly passive!: string;
  @ApiProperty(AMOUNT)
  readonly oneOff!: string;
  @ApiProperty(AMOUNT)
  readonly total!: string;
}

/** Business-time window: from inclusive, to exclusive, canonical UTC instants. */
export interface Period {
  readonly from?: string;
  readonly to?: string;
}

const TOTALS_SQL = `SELECT currency, kind, SUM(amount_minor) AS minor FROM income_lines
  WHERE earner_id = ? AND occurred_at >= ? AND occurred_at < ? GROUP BY currency, kind ORDER BY currency`;

export function incomeTotals(readModel: ReadModel, personId: string, period: Period): IncomeTotals[] {
  const byCurrency = new Map<string, Record<IncomeKind, bigint>>();
  const rows = readModel
    .prepareQuery<[string, string, string], { currency: string; kind: IncomeKind; minor: bigint }>(TOTALS_SQL)
    .all(personId, period.from ?? '', period.to ?? END_OF_TIME);
  for (const row of rows) {
    const sums = byCurrency.get(row.currency) ?? { 'one-off': 0n, residual: 0n, passive: 0n };
    sums[row.kind] += row.minor;
    byCurrency.set(row.currency, sums);
  }
  return [...byCurrency.entries()].map(([currency, sums]) => ({
    currency,
    residual: Money.fromMinorUnits(sums.residual, currency).toString(),
    passive: Money.fromMinorUnits(sums.passive, currency).toString(),
    oneOff: Money.fromMinorUnits(sums['one-off'], currency).toString(),
    total: Money.fromMinorUnits(sums.residual + sums.passive + sums['one-off'], currency).toString(),
  }));
}
