// A statement as CSV (one flat table a spreadsheet or an accounting import reads) and as a
// printable HTML page. Pure functions of the statement; every value is escaped.
import { csvDocument } from '../../shared/csv.js';
import type { IncomeTotals } from '../people/income-totals.query.js';
import type { HistoryLine } from '../read-model/history-line.answer.js';
import type { StatementAnswer } from './statement.answer.js';
import type { StatementComparison } from './statement.js';

export type { StatementAnswer };

const LINE_COLUMNS = [
  'record',
  'occurredAt',
  'recordedAt',
  'kind',
  'rule',
  'currency',
  'amount',
  'baseAmount',
  'rate',
  'level',
  'planVersion',
  'eventType',
  'eventId',
  'stream',
  'revision',
  'position',
  'thenAmount',
  'fixedAmount',
  'product',
  'step',
  'cap',
  'uncappedAmount',
] as const;

/**
 * One row per balance and per line: `record` says which (opening, line, movement, closing; with a
 * comparison also added, reversed, repriced, dropped). Balances fill kind, currency and amount.
 */
export function statementCsv(statement: StatementAnswer): string {
  const rows: (string | number | null)[][] = [[...LINE_COLUMNS]];
  const balances = (record: string, totals: readonly IncomeTotals[]) => {
    for (const t of totals) {
      for (const [kind, amount] of [
        ['one-off', t.oneOff],
        ['residual', t.residual],
        ['passive', t.passive],
        ['total', t.total],
      ] as const) {
        rows.push([
          record,
          null,
          null,
          kind,
          null,
          t.currency,
          amount,
          ...Array<null>(LINE_COLUMNS.length - 7).fill(null),
        ]);
      }
    }
  };
  const line = (record: string, l: HistoryLine, thenAmount: string | null = null) =>
    rows.push([
      record,
      l.occurredAt,
      l.recordedAt,
      l.kind,
      l.rule,
      l.currency,
      l.amount,
      l.baseAmount,
      l.rate,
      l.level,
      l.planVersion,
      l.source.eventType,
      l.source.eventId,
      l.source.stream,
      l.source.revision,
      l.source.position,
      thenAmount,
      l.fixedAmount,
      l.product,
      l.step,
      l.cap,
      l.uncappedAmount,
    ]);
  balances('opening', statement.opening);
  for (const l of statement.lines) line('line', l);
  balances('movement', statement.movement);
  balances('closing', statement.closing);
  const c = statement.comparison;
  if (c !== undefined) {
    for (const l of c.added) line('added', l);
    for (const r of c.reversed) for (const l of r.reversedBy) line('reversed', l, r.line.amount);
    for (const r of c.repriced) line('repriced', r.now, r.then.amount);
    for (const l of c.dropped) line('dropped', l);
  }
  return csvDocument(rows);
}

const escapeHtml = (value: string | number | null | undefined): string =>
  String(value ?? '').replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  );

function balanceTable(title: string, totals: readonly IncomeTotals[]): string {
  if (totals.length === 0) return `<h2>${escapeHtml(title)}</h2><p>Nothing.</p>`;
  const rows = totals
    .map(
      (t) =>
        `<tr><td>${escapeHtml(t.currency)}</td><td class="n">${escapeHtml(t.oneOff)}</td><td class="n">${escapeHtml(t.residual)}</td><td class="n">${escapeHtml(t.passive)}</td><td class="n"><b>${escapeHtml(t.total)}</b></td></tr>`,
    )
    .join('');
  return `<h2>${escapeHtml(title)}</h2><table><thead><tr><th>Currency</th><th>One-off</th><th>Residual</th><th>Passive</th><th>Total</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function lineTable(title: string, lines: readonly HistoryLine[], then?: readonly (string | null)[]): string {
  if (lines.length === 0) return `<h2>${escapeHtml(title)}</h2><p>None.</p>`;
  const rows = lines
    .map((l, i) => {
      const cells = [
        l.occurredAt.slice(0, 10),
        l.kind,
        l.rule + (l.level === null ? '' : ` (level ${l.level})`),
        pricingOf(l),
        l.planVersion,
        `${l.source.eventType} ${l.source.stream}@${l.source.revision} (position ${l.source.position})`,
        l.recordedAt,
      ].map((v) => `<td>${escapeHtml(v)}</td>`);
      const amount = `<td class="n">${escapeHtml(l.amount)} ${escapeHtml(l.currency)}</td>`;
      const before = then === undefined ? '' : `<td class="n">${escapeHtml(then[i] ?? '')}</td>`;
      return `<tr>${cells.join('')}${before}${amount}</tr>`;
    })
    .join('');
  const thenHeader = then === undefined ? '' : '<th>Then</th>';
  return `<h2>${escapeHtml(title)}</h2><table><thead><tr><th>Date</th><th>Kind</th><th>Rule</th><th>Pricing</th><th>Plan version</th><th>Source event</th><th>Recorded</th>${thenHeader}<th>Amount</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** A self-contained page that prints well on A4: no scripts, no external resources. */
export function statementHtml(statement: StatementAnswer): string {
  const s = statement;
  const asOf =
    s.asOf === null
      ? 'everything known now'
      : 'position' in s.asOf
        ? `position ${s.asOf.position}`
        : `recorded by ${s.asOf.recordedAt}`;
  const c = s.comparison;
  const comparison =
    c === undefined
      ? ''
      : `<section><h1>Changes since then</h1><p>Compared with today's figures (generation ${escapeHtml(c.now.generation)}, plan ${escapeHtml(c.now.planFingerprint.slice(0, 12))}).</p>` +
        lineTable('Lines added', c.added) +
        lineTable(
          'Lines reversed since',
          c.reversed.flatMap((r) => r.reversedBy),
          c.reversed.flatMap((r) => r.reversedBy.map(() => r.line.amount)),
        ) +
        lineTable(
          'Lines re-priced',
          c.repriced.map((r) => r.now),
          c.repriced.map((r) => r.then.amount),
        ) +
        lineTable('Lines no longer produced', c.dropped) +
        changeTable(c) +
        '</section>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Income statement ${escapeHtml(s.personName ?? s.personId)} ${escapeHtml(s.period.from.slice(0, 10))} to ${escapeHtml(s.period.to.slice(0, 10))}</title>
<style>
body{font:12px/1.4 system-ui,sans-serif;margin:2em;color:#111}h1{font-size:18px}h2{font-size:14px;margin-top:1.5em}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}dl{display:grid;grid-template-columns:max-content auto;gap:2px 12px}
@media print{body{margin:0}section{break-before:page}}
</style></head><body>
<h1>Income statement: ${escapeHtml(s.personName === null ? s.personId : `${s.personName} (${s.personId})`)}</h1>
<dl><dt>Period</dt><dd>${escapeHtml(s.period.from)} to ${escapeHtml(s.period.to)} (end exclusive)</dd>
<dt>As of</dt><dd>${escapeHtml(asOf)}</dd>
<dt>Figures of</dt><dd>read model generation ${escapeHtml(s.source.generation)}, plan ${escapeHtml(s.source.planFingerprint.slice(0, 12))}${s.source.refolded ? ' (folded again from the log for this statement)' : ''}</dd></dl>
${balanceTable('Opening balance', s.opening)}
${lineTable('Lines in the period', s.lines)}
${balanceTable('Movement in the period', s.movement)}
${balanceTable('Closing balance', s.closing)}
${comparison}
</body></html>
`;
}

function changeTable(c: StatementComparison): string {
  const rows = [
    ...c.opening.map((b) => ({ ...b, which: 'opening' })),
    ...c.closing.map((b) => ({ ...b, which: 'closing' })),
  ]
    .map(
      (b) =>
        `<tr><td>${escapeHtml(b.which)}</td><td>${escapeHtml(b.currency)}</td><td>${escapeHtml(b.kind)}</td><td class="n">${escapeHtml(b.then)}</td><td class="n">${escapeHtml(b.now)}</td><td class="n">${escapeHtml(b.difference)}</td></tr>`,
    )
    .join('');
  if (rows === '') return '<h2>Balances</h2><p>Unchanged.</p>';
  return `<h2>Balances</h2><table><thead><tr><th>Balance</th><th>Currency</th><th>Kind</th><th>Then</th><th>Now</th><th>Difference</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** How a line was priced, for a reader: base × rate or the fixed amount, then the product, step and cap. */
function pricingOf(l: HistoryLine): string {
  const reward =
    l.rate !== null
      ? `${l.baseAmount} × ${l.rate}`
      : l.fixedAmount !== null
        ? `fixed ${l.fixedAmount}`
        : `no amount in ${l.currency}`;
  const product = l.product === null ? '' : `, product ${l.product}`;
  const step = l.step === null ? '' : `, step ${l.step}`;
  const cap =
    l.cap === null ? '' : `, capped (${l.cap}${l.uncappedAmount === null ? '' : ` from ${l.uncappedAmount}`})`;
  return reward + product + step + cap;
}
