import type { Schemas } from '../../api/client';
import { DataTable, byAmount, type Columns } from '../../components/data-table';
import { Money } from '../../components/money';
import { Empty } from '../../components/states';
import type { Valuation } from './forecast-page';

type Row = Schemas['CurrencyValuationAnswer'];
type MoneyKey = Exclude<keyof Row, 'currency'>;

const money = (key: MoneyKey, header: string) => ({
  accessorKey: key,
  header,
  cell: (info: { row: { original: Row } }) => (
    <Money amount={info.row.original[key]} currency={info.row.original.currency} />
  ),
  sortFn: (a: { original: Row }, b: { original: Row }) => byAmount(a.original[key], b.original[key]),
});

const columns: Columns<Row> = [
  { accessorKey: 'currency', header: 'Currency' },
  money('presentValueOfForecast', 'PV of forecast'),
  money('finalYearIncome', 'Final year Y'),
  money('continuingValue', 'Continuing CV'),
  money('presentValueOfContinuingValue', 'PV of CV'),
  money('bookValue', 'Book value'),
  money('low', 'Band low'),
  money('high', 'Band high'),
];

/** The valuation per currency, with the inputs and model it was computed with. */
export function ValuationTable({ valuation }: { valuation: Valuation }) {
  return (
    <>
      <p class="hint">
        {valuation.model}: H = {valuation.horizonMonths} months, r = {valuation.requiredRate}, ω ={' '}
        {valuation.persistence}; PV: present value, CV: continuing value; {valuation.rounding}.
      </p>
      {valuation.valuation.length === 0 ? (
        <Empty>No recurring income to value.</Empty>
      ) : (
        <DataTable caption="Book value per currency (estimate)" columns={columns} rows={valuation.valuation} />
      )}
    </>
  );
}
