import { api, must, type Schemas } from '../../api/client';
import { DataTable, byAmount, type Columns } from '../../components/data-table';
import { Money } from '../../components/money';
import { Panel } from '../../components/panel';
import { Empty, Show } from '../../components/states';
import { formatShare, minorOf } from '../../format';
import { useApi } from '../../use-api';

type Totals = Schemas['IncomeTotals'];

const money = (key: 'oneOff' | 'residual' | 'passive' | 'total', header: string) => ({
  accessorKey: key,
  header,
  cell: (info: { row: { original: Totals } }) => (
    <Money amount={info.row.original[key]} currency={info.row.original.currency} />
  ),
  sortFn: (a: { original: Totals }, b: { original: Totals }) => byAmount(a.original[key], b.original[key]),
});

export const totalsColumns: Columns<Totals> = [
  { accessorKey: 'currency', header: 'Currency' },
  money('oneOff', 'One-off'),
  money('residual', 'Residual'),
  money('passive', 'Passive'),
  money('total', 'Total'),
  {
    id: 'recurring',
    header: 'Recurring share',
    cell: (info) => {
      const t = info.row.original;
      return formatShare(minorOf(t.residual) + minorOf(t.passive), minorOf(t.total));
    },
  },
];

/** Everything the person has earned, per currency and kind. */
export function TotalsPanel({ personId }: { personId: string }) {
  const income = useApi(
    () => must(api.GET('/people/{personId}/income', { params: { path: { personId } } })),
    [personId],
  );
  return (
    <Panel title="Income to date" id="totals">
      <Show loaded={income} what="income">
        {(data) =>
          data.totals.length === 0 ? (
            <Empty>No income yet.</Empty>
          ) : (
            <DataTable caption="Income per currency and kind" columns={totalsColumns} rows={data.totals} />
          )
        }
      </Show>
    </Panel>
  );
}
