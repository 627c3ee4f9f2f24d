// Every line of the person: kind, rule, currency and the date range (business time) are the API's filters,
// so a page holds 50 matching lines and the cursor runs through them; a drawer per line with its provenance.
import { useMemo, useState } from 'preact/hooks';
import { api, must, type Schemas } from '../../api/client';
import { DataTable, byAmount, type Columns } from '../../components/data-table';
import { Money } from '../../components/money';
import { Pager, usePages } from '../../components/pager';
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

type Kind = Line['kind'];
type Rule = Line['rule'];

/** The choices of each filter: every kind and rule the API knows (the Records make the lists complete). */
const KIND_NAMES: Record<Kind, true> = { 'one-off': true, residual: true, passive: true };
const RULE_NAMES: Record<Rule, true> = {
  directSale: true,
  renewal: true,
  override: true,
  affiliate: true,
  fastStart: true,
};
const KINDS = Object.keys(KIND_NAMES) as Kind[];
const RULES = Object.keys(RULE_NAMES) as Rule[];

/** What the history is asked for: every filter is the API's, so paging runs through the matching lines. */
interface Filters {
  readonly kind: Kind | '';
  readonly rule: Rule | '';
  readonly currency: string;
  readonly from: string;
  readonly to: string;
}
const NO_FILTERS: Filters = { kind: '', rule: '', currency: '', from: '', to: '' };

function queryOf(filters: Filters, cursor: string | undefined) {
  return {
    limit: PAGE_SIZE,
    cursor,
    kind: filters.kind || undefined,
    rule: filters.rule || undefined,
    currency: filters.currency || undefined,
    from: filters.from ? `${filters.from}T00:00:00Z` : undefined,
    to: filters.to ? `${filters.to}T00:00:00Z` : undefined,
  };
}

export function HistoryTable({ personId }: { personId: string }) {
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const pages = usePages();
  const [opened, setOpened] = useState<Line | null>(null);
  const cursor = pages.cursor;
  const page = useApi(
    () =>
      must(api.GET('/people/{personId}/history', { params: { path: { personId }, query: queryOf(filters, cursor) } })),
    [personId, filters, cursor],
  );
  const currencies = useApi(
    () =>
      must(api.GET('/people/{personId}/income', { params: { path: { personId } } })).then((income) =>
        income.totals.map((t) => t.currency),
      ),
    [personId],
  );
  const cols = useMemo(() => columns(setOpened), []);

  return (
    <Panel title="History" id="history">
      <FilterForm
        currencies={currencies.state === 'ready' ? currencies.data : []}
        onApply={(f) => {
          pages.first();
          setFilters(f);
        }}
      />
      <Show loaded={page} what="the history">
        {(data) => (
          <>
            {data.lines.length === 0 ? (
              <Empty>No lines here.</Empty>
            ) : (
              <DataTable caption="Ledger lines, in log order" columns={cols} rows={data.lines} sortable />
            )}
            <Pager pages={pages} nextCursor={data.nextCursor} />
          </>
        )}
      </Show>
      {opened && <ProvenanceDrawer personId={personId} line={opened} onClose={() => setOpened(null)} />}
    </Panel>
  );
}

function FilterForm({ currencies, onApply }: { currencies: string[]; onApply: (filters: Filters) => void }) {
  const [f, setF] = useState<Filters>(NO_FILTERS);
  const choice = (key: 'kind' | 'rule' | 'currency', label: string, values: readonly string[]) => (
    <>
      <label for={`history-${key}`}>{label}</label>
      <select id={`history-${key}`} value={f[key]} onChange={(e) => setF({ ...f, [key]: e.currentTarget.value })}>
        <option value="">all</option>
        {values.map((v) => (
          <option key={v}>{v}</option>
        ))}
      </select>
    </>
  );
  return (
    <form
      class="inline-form"
      aria-label="Filter the history"
      onSubmit={(e) => {
        e.preventDefault();
        onApply(f);
      }}
    >
      {choice('kind', 'Kind', KINDS)}
      {choice('rule', 'Rule', RULES)}
      {choice('currency', 'Currency', currencies)}
      <label for="history-from">From</label>
      <input
        id="history-from"
        type="date"
        value={f.from}
        onInput={(e) => setF({ ...f, from: e.currentTarget.value })}
      />
      <label for="history-to">Before</label>
      <input id="history-to" type="date" value={f.to} onInput={(e) => setF({ ...f, to: e.currentTarget.value })} />
      <button type="submit">Apply filters</button>
    </form>
  );
}
