import type { Schemas } from '../../api/client';
import { DataTable, type Columns } from '../../components/data-table';
import { moneyColumn } from '../../components/money-column';
import { Empty } from '../../components/states';
import type { Valuation } from './forecast-page';

type Row = Schemas['CurrencyValuationAnswer'];

const columns: Columns<Row> = [
  { accessorKey: 'currency', header: 'Currency' },
  moneyColumn<Row>('presentValueOfForecast', 'PV of forecast'),
  moneyColumn<Row>('finalYearIncome', 'Final year Y'),
  moneyColumn<Row>('continuingValue', 'Continuing CV'),
  moneyColumn<Row>('presentValueOfContinuingValue', 'PV of CV'),
  moneyColumn<Row>('bookValue', 'Book value'),
  moneyColumn<Row>('low', 'Band low'),
  moneyColumn<Row>('high', 'Band high'),
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
