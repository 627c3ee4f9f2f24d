// Every table of the console: TanStack Table (headless) with sortable headers, rendered as a plain,
// accessible <table>. Columns and rows come from the page; sorting is the library's.
import {
  FlexRender,
  createSortedRowModel,
  rowSortingFeature,
  sortFn_alphanumeric,
  sortFn_basic,
  sortFn_text,
  tableFeatures,
  useTable,
  type ColumnDef,
  type RowData,
} from '@tanstack/preact-table';
import { minorOf } from '../format';

export const tableFeaturesOfConsole = tableFeatures({
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
  sortFns: { alphanumeric: sortFn_alphanumeric, text: sortFn_text, basic: sortFn_basic },
});

export type Features = typeof tableFeaturesOfConsole;
export type Columns<Row extends RowData> = ColumnDef<Features, Row, any>[];

/** Sorts money columns by their exact minor units, never by floating-point value. */
export function byAmount(a: string, b: string): number {
  const x = minorOf(a);
  const y = minorOf(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

const ARIA_SORT = { asc: 'ascending', desc: 'descending' } as const;

export function DataTable<Row extends RowData>({
  columns,
  rows,
  caption,
  sortable = false,
}: {
  columns: Columns<Row>;
  rows: Row[];
  caption: string;
  sortable?: boolean;
}) {
  const table = useTable({
    features: tableFeaturesOfConsole,
    columns,
    data: rows,
    enableSorting: sortable,
  });
  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-label={caption}>
      <table class="data-table">
        <caption>{caption}</caption>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted();
                return (
                  <th key={header.id} scope="col" aria-sort={sorted ? ARIA_SORT[sorted] : undefined}>
                    {header.column.getCanSort() ? (
                      <button type="button" class="sort" onClick={header.column.getToggleSortingHandler()}>
                        <FlexRender header={header} />
                        <span aria-hidden="true">{sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ' ↕'}</span>
                      </button>
                    ) : (
                      <FlexRender header={header} />
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id}>
              {row.getAllCells().map((cell) => (
                <td key={cell.id}>
                  <FlexRender cell={cell} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
