// A person's commission period (GET /people/{id}/periods/{period}): while open, the figures and
// qualification so far (projected, moving with the facts); once closed, their sealed statement.
import { useState } from 'preact/hooks';
import { api, must, type Schemas } from '../../api/client';
import { DataTable, type Columns } from '../../components/data-table';
import { Money } from '../../components/money';
import { moneyColumn } from '../../components/money-column';
import { Panel } from '../../components/panel';
import { Empty, Show } from '../../components/states';
import { formatDate, formatDateTime } from '../../format';
import { useApi } from '../../use-api';
import { StatementsTable } from '../pay-cycle/statements-table';

type OpenPeriod = Schemas['OpenPersonPeriodAnswer'];
type ClosedPeriod = Schemas['ClosedPersonPeriodAnswer'];
type Totals = Schemas['PersonPeriodTotals'];
type PersonPeriodLine = Schemas['PeriodLine'];
type PeriodRank = Schemas['PeriodRankAnswer'];

/** Under a plan with ranks: the rank reached and how deep it pays overrides (nothing without ranks). */
function RankNote({ rank }: { rank?: PeriodRank }) {
  if (rank === undefined) return null;
  const levels = `${rank.overrideLevels} override level${rank.overrideLevels === 1 ? '' : 's'}`;
  return (
    <p data-testid="person-period-rank">
      {rank.name === null ? `No rank reached: ${levels}.` : `Rank ${rank.name}: ${levels}.`}
    </p>
  );
}

const totalsColumns: Columns<Totals> = [
  { accessorKey: 'currency', header: 'Currency' },
  moneyColumn<Totals>('oneOff', 'One-off'),
  moneyColumn<Totals>('residual', 'Residual'),
  moneyColumn<Totals>('passive', 'Passive'),
  moneyColumn<Totals>('earned', 'Earned'),
  moneyColumn<Totals>('notQualified', 'Not qualified'),
];

const lineColumns: Columns<PersonPeriodLine> = [
  { accessorKey: 'occurredAt', header: 'Date', cell: (info) => formatDate(info.row.original.occurredAt) },
  { accessorKey: 'kind', header: 'Kind' },
  { accessorKey: 'rule', header: 'Rule' },
  {
    accessorKey: 'amount',
    header: 'Amount',
    cell: (info) => <Money amount={info.row.original.amount} currency={info.row.original.currency} />,
  },
  {
    accessorKey: 'counted',
    header: 'Counted',
    cell: (info) => {
      const line = info.row.original;
      return line.notQualifiedReason === undefined ? line.counted : `${line.counted} (${line.notQualifiedReason})`;
    },
  },
];

const thisMonth = () => new Date().toISOString().slice(0, 7);

export function PersonPeriodPanel({ personId }: { personId: string }) {
  const [picked, setPicked] = useState(thisMonth);
  const [period, setPeriod] = useState(picked);
  const answer = useApi(
    () => must(api.GET('/people/{personId}/periods/{period}', { params: { path: { personId, period } } })),
    [personId, period],
  );
  return (
    <Panel title="Pay period" id="person-period">
      <form
        class="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          setPeriod(picked);
        }}
      >
        <label for="person-period-month">Period</label>
        <input
          id="person-period-month"
          type="month"
          required
          value={picked}
          onInput={(e) => setPicked(e.currentTarget.value)}
        />
        <button type="submit">Show pay period</button>
      </form>
      <Show loaded={answer} what={`the period ${period}`}>
        {(p) =>
          p.status === 'open' ? <Projected period={period} figures={p} /> : <Sealed period={period} figures={p} />
        }
      </Show>
    </Panel>
  );
}

function Projected({ period, figures }: { period: string; figures: OpenPeriod }) {
  const q = figures.qualification;
  return (
    <>
      <p data-testid="person-period-state">
        {period} is open: projected as of position {figures.position}, moving with the facts.{' '}
        {q.qualified ? 'Qualified' : 'Not qualified'} (personal volume{' '}
        {q.personalVolume.map((v, i) => (
          <span key={v.currency}>
            {i > 0 && ', '}
            <Money amount={v.volume} currency={v.currency} />
            {v.minimum !== null && (
              <>
                {' '}
                of <Money amount={v.minimum} currency={v.currency} />
              </>
            )}
          </span>
        ))}
        {q.personalVolume.length === 0 && 'none'}).
      </p>
      <RankNote rank={figures.rank} />
      {figures.lines.length === 0 ? (
        <Empty>Nothing earned in {period} so far.</Empty>
      ) : (
        <>
          <DataTable caption={`Earned in ${period} so far`} columns={totalsColumns} rows={figures.totals} />
          <DataTable caption={`Lines of ${period}`} columns={lineColumns} rows={figures.lines} sortable />
        </>
      )}
    </>
  );
}

function Sealed({ period, figures }: { period: string; figures: ClosedPeriod }) {
  return (
    <>
      <p data-testid="person-period-state">
        {period} is closed ({formatDateTime(figures.closedAt)}): the sealed statement, final.
      </p>
      <RankNote rank={figures.rank} />
      <StatementsTable statements={figures.statements} caption={`Statement of ${period}, sealed`} />
    </>
  );
}
