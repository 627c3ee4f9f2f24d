// A statement of one person's income over a period, and how a statement issued earlier compares
// with today's version of it. Pure: the read model supplies the lines, this adds them up.
import { Money } from '../../shared/money.js';
import { SALE_REFUNDED } from '../events.js';
import type { KnowledgePoint } from '../generations/catalog.js';
import type { IncomeKind, LedgerLine } from '../read-model/income.fold.js';
import type { IncomeTotals } from '../people/income-totals.query.js';
import { historyLineOf, type HistoryLine } from '../read-model/history-line.answer.js';
import type {
  BalanceChange,
  RepricedLine,
  ReversedLine,
  Statement,
  StatementComparison,
  StatementSource,
} from './statement.answer.js';

export type { BalanceChange, RepricedLine, ReversedLine, Statement, StatementComparison, StatementSource };

const KINDS: readonly IncomeKind[] = ['one-off', 'residual', 'passive'];

export interface StatementInput {
  readonly personId: string;
  /** The person's name as the ledger knows it; null when it knows no such person (yet). */
  readonly personName: string | null;
  readonly period: { readonly from: string; readonly to: string };
  readonly asOf: KnowledgePoint | null;
  readonly position: string | null;
  readonly source: StatementSource;
  /** Sums of the lines before the period, per currency and kind, in minor units. */
  readonly opening: readonly { currency: string; kind: IncomeKind; minor: bigint }[];
  readonly lines: readonly LedgerLine[];
}

type Sums = Map<string, Record<IncomeKind, Money>>;

export function composeStatement(input: StatementInput): Statement {
  const opening: Sums = new Map();
  for (const row of input.opening) add(opening, row.currency, row.kind, Money.fromMinorUnits(row.minor, row.currency));
  const movement: Sums = new Map();
  for (const line of input.lines) add(movement, line.currency, line.kind, line.amount);
  const currencies = [...new Set([...opening.keys(), ...movement.keys()])].sort();
  const closing: Sums = new Map();
  for (const currency of currencies) {
    for (const kind of KINDS) {
      add(closing, currency, kind, sumOf(opening, currency, kind));
      add(closing, currency, kind, sumOf(movement, currency, kind));
    }
  }
  return {
    personId: input.personId,
    personName: input.personName,
    period: input.period,
    asOf: input.asOf,
    position: input.position,
    source: input.source,
    opening: totals(opening, currencies),
    lines: input.lines.map(historyLineOf),
    movement: totals(movement, currencies),
    closing: totals(closing, currencies),
  };
}

/**
 * Compares an earlier statement with today's version of the same period. Lines are matched on
 * what made them (source event, rule, upline level), not on their place in a read model,
 * so a line priced again after a rule change is "repriced", not "dropped" and "added".
 * `refundsSince` are the person's refund lines recorded after the earlier statement, any date.
 */
export function compareStatements(
  then: Statement,
  now: Statement,
  refundsSince: readonly HistoryLine[],
): StatementComparison {
  const earlier = keyed(then.lines);
  const later = keyed(now.lines);
  const added: HistoryLine[] = [];
  const repriced: RepricedLine[] = [];
  for (const [key, line] of later) {
    const before = earlier.get(key);
    if (before === undefined) added.push(line);
    else if (
      before.amount !== line.amount ||
      before.rate !== line.rate ||
      before.fixedAmount !== line.fixedAmount ||
      before.step !== line.step ||
      before.cap !== line.cap ||
      before.baseAmount !== line.baseAmount ||
      before.planVersion !== line.planVersion
    ) {
      const difference = Money.parse(line.amount, line.currency)
        .minus(Money.parse(before.amount, before.currency))
        .toString();
      repriced.push({ then: before, now: line, difference });
    }
  }
  const dropped = [...earlier].filter(([key]) => !later.has(key)).map(([, line]) => line);
  const reversed = then.lines
    .filter((line) => line.source.eventType !== SALE_REFUNDED)
    .map((line) => ({
      line,
      reversedBy: refundsSince.filter(
        (r) => r.source.stream === line.source.stream && r.rule === line.rule && r.level === line.level,
      ),
    }))
    .filter((r) => r.reversedBy.length > 0);
  return {
    added,
    reversed,
    repriced,
    dropped,
    opening: changes(then.opening, now.opening),
    closing: changes(then.closing, now.closing),
  };
}

function keyed(lines: readonly HistoryLine[]): Map<string, HistoryLine> {
  const byKey = new Map<string, HistoryLine>();
  for (const line of lines) {
    const base = `${line.source.eventId}|${line.rule}|${line.level ?? ''}`;
    let n = 0;
    while (byKey.has(`${base}|${n}`)) n += 1;
    byKey.set(`${base}|${n}`, line);
  }
  return byKey;
}

function changes(then: readonly IncomeTotals[], now: readonly IncomeTotals[]): BalanceChange[] {
  const currencies = [...new Set([...then, ...now].map((t) => t.currency))].sort();
  const amount = (list: readonly IncomeTotals[], currency: string, kind: IncomeKind) => {
    const t = list.find((x) => x.currency === currency);
    return Money.parse(t === undefined ? '0' : kind === 'one-off' ? t.oneOff : t[kind], currency);
  };
  const result: BalanceChange[] = [];
  for (const currency of currencies) {
    for (const kind of KINDS) {
      const [before, after] = [amount(then, currency, kind), amount(now, currency, kind)];
      if (!before.equals(after))
        result.push({
          currency,
          kind,
          then: before.toString(),
          now: after.toString(),
          difference: after.minus(before).toString(),
        });
    }
  }
  return result;
}

function add(sums: Sums, currency: string, kind: IncomeKind, amount: Money): void {
  const zero = Money.zero(currency);
  const row = sums.get(currency) ?? { 'one-off': zero, residual: zero, passive: zero };
  row[kind] = row[kind].plus(amount);
  sums.set(currency, row);
}

function sumOf(sums: Sums, currency: string, kind: IncomeKind): Money {
  return sums.get(currency)?.[kind] ?? Money.zero(currency);
}

function totals(sums: Sums, currencies: readonly string[]): IncomeTotals[] {
  return currencies.map((currency) => {
    const [oneOff, residual, passive] = KINDS.map((kind) => sumOf(sums, currency, kind));
    return {
      currency,
      residual: residual!.toString(),
      passive: passive!.toString(),
      oneOff: oneOff!.toString(),
      total: oneOff!.plus(residual!).plus(passive!).toString(),
    };
  });
}
