import { byAmount } from './data-table';
import { Money } from './money';

/** The keys of a row whose values are amounts (decimal strings of the row's currency). */
type AmountKey<Row> = { [K in keyof Row]: Row[K] extends string ? K : never }[keyof Row] & string;

/** A table column of amounts: shown in the row's currency, sorted by exact minor units. */
export function moneyColumn<Row extends { readonly currency: string }>(key: AmountKey<Row>, header: string) {
  const amount = (row: Row) => row[key] as string;
  return {
    accessorKey: key,
    header,
    cell: (info: { row: { original: Row } }) => (
      <Money amount={amount(info.row.original)} currency={info.row.original.currency} />
    ),
    sortFn: (a: { original: Row }, b: { original: Row }) => byAmount(amount(a.original), amount(b.original)),
  };
}
