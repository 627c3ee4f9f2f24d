import { useMemo, useState } from 'preact/hooks';
import { api, must, type Schemas } from '../../api/client';
import { DataTable, type Columns } from '../../components/data-table';
import { moneyColumn } from '../../components/money-column';
import { Panel } from '../../components/panel';
import { Empty, Show } from '../../components/states';
import { digitsOf, formatMonth, formatShare, minorOf, monthsBetween } from '../../format';
import { useApi } from '../../use-api';
import { MonthlyChart } from './monthly-chart';
import { PeriodCompare } from './period-compare';

type Month = Schemas['MonthIncomeDto'];

const columns: Columns<Month> = [
  { accessorKey: 'month', header: 'Month', cell: (info) => formatMonth(info.row.original.month) },
  moneyColumn<Month>('oneOff', 'One-off'),
  moneyColumn<Month>('residual', 'Residual'),
  moneyColumn<Month>('passive', 'Passive'),
  moneyColumn<Month>('total', 'Total'),
  {
    id: 'share',
    header: 'Recurring share',
    cell: (info) => formatShare(minorOf(info.row.original.recurring), minorOf(info.row.original.total)),
  },
];

/** Every month from the first with income to the last, the empty ones as zero, for one currency. */
function contiguous(months: Month[], currency: string): Month[] {
  const own = months.filter((m) => m.currency === currency);
  const first = own[0];
  const last = own[own.length - 1];
  if (first === undefined || last === undefined) return [];
  const zero = first.total.replace(/[0-9]/g, '0').replace(/^-/, '');
  const byMonth = new Map(own.map((m) => [m.month, m]));
  return monthsBetween(first.month, last.month).map(
    (month) =>
      byMonth.get(month) ?? {
        month,
        currency,
        oneOff: zero,
        residual: zero,
        passive: zero,
        recurring: zero,
        total: zero,
      },
  );
}

export function MonthlyPanel({ personId }: { personId: string }) {
  const monthly = useApi(
    () => must(api.GET('/people/{personId}/income/monthly', { params: { path: { personId } } })),
    [personId],
  );
  return (
    <Panel title="Income by month" id="monthly">
      <Show loaded={monthly} what="income by month">
        {(data) => (data.months.length === 0 ? <Empty>No income yet.</Empty> : <Months months={data.months} />)}
      </Show>
    </Panel>
  );
}

function Months({ months }: { months: Month[] }) {
  const currencies = [...new Set(months.map((m) => m.currency))].sort();
  const [currency, setCurrency] = useState(currencies[0]!);
  const series = useMemo(() => contiguous(months, currency), [months, currency]);
  const digits = digitsOf(series[0]!.total);
  return (
    <>
      {currencies.length > 1 && (
        <p>
          <label for="monthly-currency">Currency </label>
          <select id="monthly-currency" value={currency} onChange={(e) => setCurrency(e.currentTarget.value)}>
            {currencies.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </p>
      )}
      <MonthlyChart months={series} currency={currency} digits={digits} />
      <PeriodCompare months={series} currency={currency} />
      <details>
        <summary>The figures month by month</summary>
        <DataTable caption={`Income by month in ${currency}`} columns={columns} rows={series} sortable />
      </details>
    </>
  );
}
