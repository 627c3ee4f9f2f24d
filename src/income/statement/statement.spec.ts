import { describe, expect, it } from '@jest/globals';
import { Money } from '../../shared/money.js';
import type { HistoryLine } from '../read-model/history-line.answer.js';
import type { LedgerLine } from '../read-model/income.fold.js';
import { compareStatements, composeStatement, type StatementInput } from './statement.js';

const source = { generation: 1, planFingerprint: 'f'.repeat(64), refolded: false };
const period = { from: '2025-01-01T00:00:00.000Z', to: '2025-02-01T00:00:00.000Z' };

function line(over: Partial<HistoryLine> & { eventId: string; stream?: string; eventType?: string }): HistoryLine {
  const { eventId, stream = 'sale-S', eventType = 'SaleMade', ...rest } = over;
  return {
    kind: 'one-off',
    rule: 'directSale',
    amount: '1.00',
    currency: 'USD',
    baseAmount: '5.00',
    rate: '0.20',
    fixedAmount: null,
    level: null,
    product: null,
    step: null,
    cap: null,
    uncappedAmount: null,
    planVersion: 'v1',
    occurredAt: '2025-01-10T00:00:00.000Z',
    recordedAt: '2025-01-10T00:00:01.000Z',
    source: { eventId, eventType, stream, revision: 0, position: '1' },
    ...rest,
  };
}

/** A line as the read model gives it back: the one the API prints as `l`. */
function ledgerLine(l: HistoryLine): LedgerLine {
  const money = (amount: string) => Money.parse(amount, l.currency);
  const uncappedAmount = l.uncappedAmount === null ? null : money(l.uncappedAmount);
  return { ...l, earnerId: 'p', amount: money(l.amount), baseAmount: money(l.baseAmount), uncappedAmount };
}

const statementOf = (lines: HistoryLine[], opening: StatementInput['opening'] = []) =>
  composeStatement({
    personId: 'p',
    personName: 'P',
    period,
    asOf: null,
    position: null,
    source,
    opening,
    lines: lines.map(ledgerLine),
  });

describe('composing a statement', () => {
  it('given opening sums in minor units and lines in two currencies, closes each kind at opening plus movement', () => {
    const s = statementOf(
      [
        line({ eventId: 'a', amount: '2.50' }),
        line({ eventId: 'b', kind: 'residual', rule: 'override', level: 1, amount: '0.125', currency: 'KWD' }),
        line({ eventId: 'c', amount: '-0.75' }),
      ],
      [
        { currency: 'USD', kind: 'one-off', minor: 1000n },
        { currency: 'JPY', kind: 'passive', minor: 7n },
      ],
    );
    expect(s.opening).toEqual([
      { currency: 'JPY', residual: '0', passive: '7', oneOff: '0', total: '7' },
      { currency: 'KWD', residual: '0.000', passive: '0.000', oneOff: '0.000', total: '0.000' },
      { currency: 'USD', residual: '0.00', passive: '0.00', oneOff: '10.00', total: '10.00' },
    ]);
    expect(s.movement.find((t) => t.currency === 'USD')).toEqual({
      currency: 'USD',
      residual: '0.00',
      passive: '0.00',
      oneOff: '1.75',
      total: '1.75',
    });
    expect(s.closing).toEqual([
      { currency: 'JPY', residual: '0', passive: '7', oneOff: '0', total: '7' },
      { currency: 'KWD', residual: '0.125', passive: '0.000', oneOff: '0.000', total: '0.125' },
      { currency: 'USD', residual: '0.00', passive: '0.00', oneOff: '11.75', total: '11.75' },
    ]);
  });

  it('given nothing at all, is empty rather than zero rows', () => {
    expect(statementOf([])).toMatchObject({ opening: [], lines: [], movement: [], closing: [] });
  });
});

describe('comparing a statement with today', () => {
  it('matches lines on source event, rule and upline level: a new price is repriced, not dropped and added', () => {
    const then = statementOf([
      line({ eventId: 'a' }),
      line({ eventId: 'a', rule: 'override', level: 1, kind: 'residual', amount: '0.25' }),
    ]);
    const now = statementOf([
      line({ eventId: 'a', amount: '1.50', rate: '0.30', planVersion: 'v2' }),
      line({ eventId: 'a', rule: 'override', level: 1, kind: 'residual', amount: '0.25' }),
    ]);
    const c = compareStatements(then, now, []);
    expect(c.repriced.map((r) => `${r.then.amount}→${r.now.amount} ${r.difference}`)).toEqual(['1.00→1.50 0.50']);
    expect([c.added, c.dropped, c.reversed]).toEqual([[], [], []]);
    expect(c.closing).toEqual([{ currency: 'USD', kind: 'one-off', then: '1.00', now: '1.50', difference: '0.50' }]);
  });

  it('reports lines only now as added, lines only then as dropped, and refunds since against the lines they answer', () => {
    const then = statementOf([line({ eventId: 'a' }), line({ eventId: 'gone', stream: 'sale-G' })]);
    const now = statementOf([line({ eventId: 'a' }), line({ eventId: 'late', stream: 'sale-L' })]);
    const refund = line({
      eventId: 'r',
      eventType: 'SaleRefunded',
      amount: '-0.40',
      occurredAt: '2025-03-01T00:00:00.000Z',
    });
    const otherRule = line({
      eventId: 'r',
      eventType: 'SaleRefunded',
      rule: 'override',
      level: 1,
      amount: '-0.10',
    });
    const c = compareStatements(then, now, [refund, otherRule]);
    expect(c.added.map((l) => l.source.eventId)).toEqual(['late']);
    expect(c.dropped.map((l) => l.source.eventId)).toEqual(['gone']);
    expect(c.reversed).toEqual([{ line: then.lines[0], reversedBy: [refund] }]);
  });

  it('keeps two lines of one event, rule and upline level apart instead of merging them', () => {
    const twice = [line({ eventId: 'a', amount: '1.00' }), line({ eventId: 'a', amount: '2.00' })];
    const c = compareStatements(statementOf(twice), statementOf([twice[0]!]), []);
    expect(c.dropped.map((l) => l.amount)).toEqual(['2.00']);
  });
});
