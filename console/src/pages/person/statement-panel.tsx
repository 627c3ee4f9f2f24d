// A statement of a chosen period, from the API: its balances and lines, the API's own CSV as a download,
// a print view; and, as the ledger knew it at a position or time, what has changed since.
import { useState } from 'preact/hooks';
import { api, download, fetchText, mustJson, type Schemas } from '../../api/client';
import { DataTable, type Columns } from '../../components/data-table';
import { Money } from '../../components/money';
import { Panel } from '../../components/panel';
import { Empty, ProblemMessage, Show } from '../../components/states';
import { formatDate } from '../../format';
import { useApi, problemFrom } from '../../use-api';
import { totalsColumns } from './totals-panel';
import { Comparison } from './statement-comparison';
import type { Line } from './history-table';
import type { Problem } from '../../api/client';

type Statement = Schemas['StatementAnswer'];

interface Request {
  from: string;
  to: string;
  asOf: string;
}

const lineColumns: Columns<Line> = [
  { accessorKey: 'occurredAt', header: 'Date', cell: (info) => formatDate(info.row.original.occurredAt) },
  { accessorKey: 'kind', header: 'Kind' },
  { accessorKey: 'rule', header: 'Rule' },
  {
    accessorKey: 'baseAmount',
    header: 'Base',
    cell: (i) => <Money amount={i.row.original.baseAmount} currency={i.row.original.currency} />,
  },
  { accessorKey: 'rate', header: 'Rate' },
  {
    accessorKey: 'amount',
    header: 'Amount',
    cell: (i) => <Money amount={i.row.original.amount} currency={i.row.original.currency} />,
  },
  { id: 'source', header: 'Source', cell: (i) => `${i.row.original.source.eventType} ${i.row.original.source.stream}` },
];

/** A time as typed (a date, or digits for a log position) → the API's asOf. */
function asOfParameter(asOf: string): string | undefined {
  const text = asOf.trim();
  if (text === '') return undefined;
  if (/^[0-9]+$/.test(text)) return text;
  return /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T23:59:59.999Z` : text;
}

function queryOf(r: Request) {
  const asOf = asOfParameter(r.asOf);
  return {
    from: `${r.from}T00:00:00Z`,
    to: `${r.to}T00:00:00Z`,
    ...(asOf === undefined ? {} : { asOf, compareWith: 'now' as const }),
  };
}

export function StatementPanel({ personId }: { personId: string }) {
  const [request, setRequest] = useState<Request | null>(null);
  return (
    <Panel title="Statement" id="statement">
      <StatementForm onShow={setRequest} />
      {request === null ? (
        <Empty>Choose a period to see its statement.</Empty>
      ) : (
        <StatementView personId={personId} request={request} />
      )}
    </Panel>
  );
}

function StatementForm({ onShow }: { onShow: (r: Request) => void }) {
  const year = new Date().getUTCFullYear();
  const [from, setFrom] = useState(`${year - 1}-01-01`);
  const [to, setTo] = useState(`${year + 1}-01-01`);
  const [asOf, setAsOf] = useState('');
  return (
    <form
      class="inline-form no-print"
      onSubmit={(e) => {
        e.preventDefault();
        onShow({ from, to, asOf });
      }}
    >
      <label for="statement-from">From</label>
      <input id="statement-from" type="date" required value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
      <label for="statement-to">Before</label>
      <input id="statement-to" type="date" required value={to} onInput={(e) => setTo(e.currentTarget.value)} />
      <label for="statement-as-of">As the ledger knew it on</label>
      <input
        id="statement-as-of"
        placeholder="a date, a time or a log position"
        aria-describedby="as-of-hint"
        value={asOf}
        onInput={(e) => setAsOf(e.currentTarget.value)}
      />
      <span id="as-of-hint" class="hint">
        empty: everything known now
      </span>
      <button type="submit">Show statement</button>
    </form>
  );
}

function StatementView({ personId, request }: { personId: string; request: Request }) {
  const statement = useApi(
    () =>
      mustJson(api.GET('/people/{personId}/statement', { params: { path: { personId }, query: queryOf(request) } })),
    [personId, request],
  );
  const [problem, setProblem] = useState<Problem | null>(null);
  const csv = async () => {
    setProblem(null);
    const query = new URLSearchParams(queryOf(request));
    query.delete('compareWith');
    try {
      const blob = await fetchText(`/people/${encodeURIComponent(personId)}/statement?${query}`, 'text/csv');
      download(blob, `statement-${personId}-${request.from}-${request.to}.csv`);
    } catch (error) {
      setProblem(problemFrom(error));
    }
  };
  return (
    <Show loaded={statement} what="the statement">
      {(s: Statement) => (
        <div class="statement">
          <div class="actions no-print">
            <button type="button" onClick={() => void csv()}>
              Download CSV
            </button>
            <button type="button" onClick={() => window.print()}>
              Print
            </button>
          </div>
          {problem && <ProblemMessage problem={problem} />}
          <p class="muted">
            {formatDate(s.period.from)} to before {formatDate(s.period.to)}
            {s.asOf !== null && <> · as the ledger knew it at position {s.position}</>} · plan{' '}
            {s.source.planFingerprint.slice(0, 12)}
          </p>
          <h3>Balances</h3>
          {s.closing.length === 0 ? <Empty>Nothing in or before this period.</Empty> : <Balances s={s} />}
          <h3>Lines of the period</h3>
          {s.lines.length === 0 ? (
            <Empty>No lines in this period.</Empty>
          ) : (
            <DataTable caption="Lines in business time order" columns={lineColumns} rows={s.lines} />
          )}
          {s.comparison && <Comparison comparison={s.comparison} />}
        </div>
      )}
    </Show>
  );
}

function Balances({ s }: { s: Statement }) {
  return (
    <>
      <DataTable caption="Opening balance" columns={totalsColumns} rows={s.opening} />
      <DataTable caption="Movement in the period" columns={totalsColumns} rows={s.movement} />
      <DataTable caption="Closing balance" columns={totalsColumns} rows={s.closing} />
    </>
  );
}
