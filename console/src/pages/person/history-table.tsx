// Every line of the person: the date range is the API's filter (business time), kind, rule and currency
// narrow the page shown; a page at a time with the API's cursor; a drawer per line with its provenance.
import { useMemo, useState } from 'preact/hooks';
import { api, must, type Schemas } from '../../api/client';
import { DataTable, byAmount, type Columns } from '../../components/data-table';
import { Money } from '../../components/money';
import { Panel } from '../../components/panel';
import { Empty, Show } from '../../components/states';
import { formatDate } from '../../format';
import { useApi } from '../../use-api';
import { ProvenanceDrawer } from './provenance-drawer';

export type Line = Schemas['HistoryLine'];
const PAGE_SIZE = 50;

function columns(onOpen: (line: Line) => void): Columns<Line> {
  return [
    { accessorKey: 'occurredAt', header: 'Date', cell: (info) => formatDate(info.row.original.occurredAt) },
    { accessorKey: 'kind', header: 'Kind' },
    { accessorKey: 'rule', header: 'Rule' },
    {
      accessorKey: 'amount',
      header: 'Amount',
      cell: (info) => <Money amount={info.row.original.amount} currency={info.row.original.currency} />,
      sortFn: (a, b) => byAmount(a.original.amount, b.original.amount),
    },
    { accessorKey: 'rate', header: 'Rate' },
    { id: 'from', header: 'From', cell: (info) => info.row.original.source.eventType },
    {
      id: 'open',
      header: 'Provenance',
      enableSorting: false,
      cell: (info) => (
        <button type="button" class="link" onClick={() => onOpen(info.row.original)}>
          Details<span class="visually-hidden"> of line {info.row.original.source.position}</span>
        </button>
      ),
    },
  ];
}

interface Filters {
  kind: string;
  rule: string;
  currency: string;
}

export function HistoryTable({ personId }: { personId: string }) {
  const [range, setRange] = useState({ from: '', to: '' });
  const [cursors, setCursors] = useState<string[]>([]);
  const [filters, setFilters] = useState<Filters>({ kind: '', rule: '', currency: '' });
  const [opened, setOpened] = useState<Line | null>(null);
  const cursor = cursors[cursors.length - 1];
  const page = useApi(() => {
    const query = {
      limit: PAGE_SIZE,
      cursor,
      from: range.from ? `${range.from}T00:00:00Z` : undefined,
      to: range.to ? `${range.to}T00:00:00Z` : undefined,
    };
    return must(api.GET('/people/{personId}/history', { params: { path: { personId }, query } }));
  }, [personId, range, cursor]);
  const cols = useMemo(() => columns(setOpened), []);

  return (
    <Panel title="History" id="history">
      <RangeForm
        onApply={(r) => {
          setCursors([]);
          setRange(r);
        }}
      />
      <Show loaded={page} what="the history">
        {(data) => {
          const shown = data.lines.filter(
            (l) =>
              (filters.kind === '' || l.kind === filters.kind) &&
              (filters.rule === '' || l.rule === filters.rule) &&
              (filters.currency === '' || l.currency === filters.currency),
          );
          return (
            <>
              <LineFilters lines={data.lines} filters={filters} onChange={setFilters} />
              {shown.length === 0 ? (
                <Empty>No lines here.</Empty>
              ) : (
                <DataTable caption="Ledger lines, in log order" columns={cols} rows={shown} sortable />
              )}
              <div class="pager">
                <button type="button" disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>
                  Previous
                </button>
                <button
                  type="button"
                  disabled={data.nextCursor === null}
                  onClick={() => data.nextCursor && setCursors([...cursors, data.nextCursor])}
                >
                  Next
                </button>
              </div>
            </>
          );
        }}
      </Show>
      {opened && <ProvenanceDrawer personId={personId} line={opened} onClose={() => setOpened(null)} />}
    </Panel>
  );
}

function RangeForm({ onApply }: { onApply: (range: { from: string; to: string }) => void }) {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  return (
    <form
      class="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        onApply({ from, to });
      }}
    >
      <label for="history-from">From</label>
      <input id="history-from" type="date" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
      <label for="history-to">Before</label>
      <input id="history-to" type="date" value={to} onInput={(e) => setTo(e.currentTarget.value)} />
      <button type="submit">Apply dates</button>
    </form>
  );
}

function LineFilters({
  lines,
  filters,
  onChange,
}: {
  lines: Line[];
  filters: Filters;
  onChange: (f: Filters) => void;
}) {
  const choice = (key: keyof Filters, label: string, values: string[]) => (
    <>
      <label for={`history-${key}`}>{label}</label>
      <select
        id={`history-${key}`}
        value={filters[key]}
        onChange={(e) => onChange({ ...filters, [key]: e.currentTarget.value })}
      >
        <option value="">all</option>
        {[...new Set(values)].sort().map((v) => (
          <option key={v}>{v}</option>
        ))}
      </select>
    </>
  );
  return (
    <div class="inline-form" role="group" aria-label="Filter this page">
      {choice('kind', 'Kind', ['one-off', 'residual', 'passive'])}
      {choice(
        'rule',
        'Rule',
        lines.map((l) => l.rule),
      )}
      {choice(
        'currency',
        'Currency',
        lines.map((l) => l.currency),
      )}
    </div>
  );
}
