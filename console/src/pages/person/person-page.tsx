// A person: totals, income by month, this month against the last, downline, history, and a statement
// (as the ledger knew it on a chosen day or position, with the differences to today).
import { api, must } from '../../api/client';
import { Show } from '../../components/states';
import { formatDate } from '../../format';
import { hrefOf } from '../../router';
import { useApi } from '../../use-api';
import { DownlineTree } from './downline-tree';
import { HistoryTable } from './history-table';
import { MonthlyPanel } from './monthly-panel';
import { PersonPeriodPanel } from './period-panel';
import { StatementPanel } from './statement-panel';
import { TotalsPanel } from './totals-panel';

export function PersonPage({ personId }: { personId: string }) {
  const person = useApi(() => must(api.GET('/people/{personId}', { params: { path: { personId } } })), [personId]);
  return (
    <Show loaded={person} what={`person ${personId}`}>
      {(p) => (
        <article class="person">
          <header class="person-header">
            <h1>{p.name}</h1>
            <p class="muted">
              {p.personId} · recruited {formatDate(p.recruitedAt)}
              {p.sponsorId !== null && <> · sponsor {p.sponsorId}</>}
            </p>
            <p>
              <a href={hrefOf({ page: 'person-forecast', personId })}>Forecast and book value</a>
            </p>
          </header>
          <TotalsPanel personId={personId} />
          <MonthlyPanel personId={personId} />
          <DownlineTree personId={personId} />
          <HistoryTable personId={personId} />
          <StatementPanel personId={personId} />
          <PersonPeriodPanel personId={personId} />
        </article>
      )}
    </Show>
  );
}
