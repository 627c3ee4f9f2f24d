import { useState } from 'preact/hooks';
import type { Schemas } from '../../api/client';
import { Money } from '../../components/money';
import { decimalOf, digitsOf, formatMonth, minorOf, previousMonth } from '../../format';

type Month = Schemas['MonthIncomeDto'];
const KINDS = [
  ['oneOff', 'One-off'],
  ['residual', 'Residual'],
  ['passive', 'Passive'],
  ['total', 'Total'],
] as const;

/** A chosen month against the one before it, per kind, with the change (exact, in minor units). */
export function PeriodCompare({ months, currency }: { months: Month[]; currency: string }) {
  const [chosen, setChosen] = useState(months[months.length - 1]!.month);
  const month = months.find((m) => m.month === chosen) ?? months[months.length - 1]!;
  const before = months.find((m) => m.month === previousMonth(month.month));
  const digits = digitsOf(month.total);
  const zero = decimalOf(0n, digits);
  return (
    <div class="compare">
      <h3>
        <label for="compare-month">This period against the last: </label>
        <select id="compare-month" value={month.month} onChange={(e) => setChosen(e.currentTarget.value)}>
          {months.map((m) => (
            <option key={m.month} value={m.month}>
              {formatMonth(m.month)}
            </option>
          ))}
        </select>
      </h3>
      <div class="table-scroll" tabIndex={0} role="region" aria-label="This period against the last">
        <table class="data-table">
          <caption>
            {formatMonth(month.month)} against {formatMonth(previousMonth(month.month))}
          </caption>
          <thead>
            <tr>
              <th scope="col">Kind</th>
              <th scope="col">{formatMonth(previousMonth(month.month))}</th>
              <th scope="col">{formatMonth(month.month)}</th>
              <th scope="col">Change</th>
            </tr>
          </thead>
          <tbody>
            {KINDS.map(([key, label]) => {
              const last = before?.[key] ?? zero;
              const change = decimalOf(minorOf(month[key]) - minorOf(last), digits);
              return (
                <tr key={key}>
                  <th scope="row">{label}</th>
                  <td>
                    <Money amount={last} currency={currency} />
                  </td>
                  <td>
                    <Money amount={month[key]} currency={currency} />
                  </td>
                  <td>
                    <Money amount={change} currency={currency} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
