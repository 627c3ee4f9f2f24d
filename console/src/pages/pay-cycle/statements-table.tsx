import { DataTable, byAmount, type Columns } from '../../components/data-table';
import { Money } from '../../components/money';
import { Empty } from '../../components/states';
import type { PeriodStatement, PeriodTotals } from './pay-cycle.types';

type StatementMoney = 'opening' | 'earned' | 'notQualified' | 'closing' | 'held' | 'carried' | 'payable';

const money = <Row extends { currency: string }>(key: keyof Row & string, header: string) => ({
  accessorKey: key,
  header,
  cell: (info: { row: { original: Row } }) => (
    <Money amount={info.row.original[key] as string} currency={info.row.original.currency} />
  ),
  sortFn: (a: { original: Row }, b: { original: Row }) =>
    byAmount(a.original[key] as string, b.original[key] as string),
});

const statementMoney: [StatementMoney, string][] = [
  ['opening', 'Opening'],
  ['earned', 'Earned'],
  ['notQualified', 'Not qualified'],
  ['closing', 'Closing'],
  ['held', 'Held'],
  ['carried', 'Carried'],
  ['payable', 'Payable'],
];

const statementColumns: Columns<PeriodStatement> = [
  { accessorKey: 'personId', header: 'Person' },
  { accessorKey: 'currency', header: 'Currency' },
  { accessorKey: 'qualified', header: 'Qualified', cell: (info) => (info.row.original.qualified ? 'yes' : 'no') },
  ...statementMoney.map(([key, header]) => money<PeriodStatement>(key, header)),
  { accessorKey: 'payableReason', header: 'Why' },
];

const totalsColumns: Columns<PeriodTotals> = [
  { accessorKey: 'currency', header: 'Currency' },
  money<PeriodTotals>('opening', 'Opening'),
  money<PeriodTotals>('earned', 'Earned'),
  money<PeriodTotals>('notQualified', 'Not qualified'),
  money<PeriodTotals>('adjustments', 'Adjustments'),
  money<PeriodTotals>('closing', 'Closing'),
];

/** Every person's statement of a period: what they are paid, what is held or carried, and why. */
export function StatementsTable({ statements, caption }: { statements: PeriodStatement[]; caption: string }) {
  if (statements.length === 0) return <Empty>No statement: nobody earned anything up to this period.</Empty>;
  return <DataTable caption={caption} columns={statementColumns} rows={statements} sortable />;
}

export function PeriodTotalsTable({ totals, caption }: { totals: PeriodTotals[]; caption: string }) {
  if (totals.length === 0) return null;
  return <DataTable caption={caption} columns={totalsColumns} rows={totals} />;
}
