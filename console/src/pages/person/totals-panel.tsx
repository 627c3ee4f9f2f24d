import { api, must, type Schemas } from '../../api/client';
import { DataTable, type Columns } from '../../components/data-table';
import { moneyColumn } from '../../components/money-column';
import { Panel } from '../../components/panel';
import { Empty, Show } from '../../components/states';
import { formatShare, minorOf } from '../../format';
import { useApi } from '../../use-api';

type Totals = Schemas['IncomeTotals'];

export const totalsColumns: Columns<Totals> = [
  { accessorKey: 'currency', header: 'Currency' },
  moneyColumn<Totals>('oneOff', 'One-off'),
  moneyColumn<Totals>('residual', 'Residual'),
  moneyColumn<Totals>('passive', 'Passive'),
  moneyColumn<Totals>('total', 'Total'),
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
