import { DataTable, type Columns } from '../../components/data-table';
import { moneyColumn } from '../../components/money-column';
import { Empty } from '../../components/states';
import type { Schemas } from '../../api/client';

type PeriodStatement = Schemas['SealedStatementAnswer'];
type PeriodTotals = Schemas['CurrencyTotalsAnswer'];

type StatementMoney = 'opening' | 'earned' | 'notQualified' | 'closing' | 'held' | 'carried' | 'payable';

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
  ...statementMoney.map(([key, header]) => moneyColumn<PeriodStatement>(key, header)),
  { accessorKey: 'payableReason', header: 'Why' },
];

const totalsColumns: Columns<PeriodTotals> = [
  { accessorKey: 'currency', header: 'Currency' },
  moneyColumn<PeriodTotals>('opening', 'Opening'),
  moneyColumn<PeriodTotals>('earned', 'Earned'),
  moneyColumn<PeriodTotals>('notQualified', 'Not qualified'),
  moneyColumn<PeriodTotals>('adjustments', 'Adjustments'),
  moneyColumn<PeriodTotals>('closing', 'Closing'),
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
