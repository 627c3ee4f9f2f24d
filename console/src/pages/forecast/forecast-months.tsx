import { useState } from 'preact/hooks';
import type { Schemas } from '../../api/client';
import { DataTable, type Columns } from '../../components/data-table';
import { Money } from '../../components/money';
import { moneyColumn } from '../../components/money-column';
import { Empty } from '../../components/states';
import { formatDate } from '../../format';
import { ForecastChart } from './forecast-chart';

type CurrencyForecast = Schemas['CurrencyForecastAnswer'];
type Month = Schemas['ForecastMonthAnswer'] & { readonly currency: string };

const columns: Columns<Month> = [
  { accessorKey: 'month', header: 'Month' },
  { accessorKey: 'to', header: 'Up to', cell: (info) => formatDate(info.row.original.to) },
  moneyColumn<Month>('oneOff', 'One-off'),
  moneyColumn<Month>('residual', 'Residual'),
  moneyColumn<Month>('passive', 'Passive'),
  moneyColumn<Month>('total', 'Expected total'),
  moneyColumn<Month>('low', 'Band low'),
  moneyColumn<Month>('high', 'Band high'),
];

/** Expected income per month and kind, with its band, for one currency at a time. */
export function ForecastMonths({ currencies }: { currencies: CurrencyForecast[] }) {
  const [chosen, setChosen] = useState(0);
  const shown = currencies[Math.min(chosen, currencies.length - 1)];
  if (shown === undefined) return <Empty>Nothing is expected: no running subscription pays this scope.</Empty>;
  const rows = shown.months.map((m) => ({ ...m, currency: shown.currency }));
  const h = shown.horizon;
  return (
    <>
      {currencies.length > 1 && (
        <p>
          <label for="forecast-currency">Currency </label>
          <select id="forecast-currency" value={chosen} onChange={(e) => setChosen(Number(e.currentTarget.value))}>
            {currencies.map((c, i) => (
              <option key={c.currency} value={i}>
                {c.currency}
              </option>
            ))}
          </select>
        </p>
      )}
      <p data-testid="forecast-horizon">
        Over the horizon: <Money amount={h.total} currency={shown.currency} /> expected (one-off{' '}
        <Money amount={h.oneOff} currency={shown.currency} />, residual{' '}
        <Money amount={h.residual} currency={shown.currency} />, passive{' '}
        <Money amount={h.passive} currency={shown.currency} />
        ).
      </p>
      <ForecastChart months={shown.months} currency={shown.currency} />
      <DataTable
        caption={`Expected income by month in ${shown.currency} (estimate)`}
        columns={columns}
        rows={rows}
        sortable
      />
    </>
  );
}
