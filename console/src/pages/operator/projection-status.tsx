import { useRef } from 'preact/hooks';
import type { Schemas } from '../../api/client';
import { DataTable, type Columns } from '../../components/data-table';
import { Panel } from '../../components/panel';
import { Loading, ProblemMessage } from '../../components/states';
import { formatDateTime } from '../../format';
import type { Loaded } from '../../use-api';

type Status = Schemas['ProjectionsAnswer'];
type Generation = Status['generations'][number];

const columns: Columns<Generation> = [
  { accessorKey: 'id', header: 'Generation' },
  { accessorKey: 'status', header: 'Status' },
  {
    accessorKey: 'planFingerprint',
    header: 'Plan',
    cell: (i) => <code>{i.row.original.planFingerprint.slice(0, 12)}</code>,
  },
  { accessorKey: 'createdAt', header: 'Created', cell: (i) => formatDateTime(i.row.original.createdAt) },
  {
    accessorKey: 'switchedAt',
    header: 'Switched',
    cell: (i) => (i.row.original.switchedAt ? formatDateTime(i.row.original.switchedAt) : '—'),
  },
];

/** Head, checkpoint, lag, plans and generations; refreshed while the page is open, without flicker. */
export function ProjectionStatus({ status }: { status: Loaded<Status> }) {
  const last = useRef<Status | null>(null);
  if (status.state === 'ready') last.current = status.data;
  const s = last.current;
  return (
    <Panel title="Projection" id="projection">
      {status.state === 'failed' && <ProblemMessage problem={status.problem} />}
      {s === null ? (
        status.state === 'loading' && <Loading what="the projection" />
      ) : (
        <>
          <dl class="facts stats">
            <div>
              <dt>Head of the log</dt>
              <dd data-testid="head">{s.head ?? '—'}</dd>
            </div>
            <div>
              <dt>Checkpoint</dt>
              <dd data-testid="checkpoint">{s.serving.checkpoint ?? '—'}</dd>
            </div>
            <div>
              <dt>Lag (positions)</dt>
              <dd data-testid="lag">{s.lag}</dd>
            </div>
            <div>
              <dt>Serving generation</dt>
              <dd data-testid="serving-generation">
                {s.serving.generation} ({s.serving.status})
              </dd>
            </div>
            <div>
              <dt>Serving plan</dt>
              <dd>
                <code>{s.serving.planFingerprint.slice(0, 12)}</code>
              </dd>
            </div>
            <div>
              <dt>Configured plan</dt>
              <dd>
                <code>{s.configuredPlan.slice(0, 12)}</code>
              </dd>
            </div>
          </dl>
          {s.serving.error && (
            <p class="problem" role="alert">
              {s.serving.error}
            </p>
          )}
          {s.planChange && (
            <p class="banner" role="note">
              The configured plan re-prices lines from {s.planChange.repricesFrom || 'the beginning'}:{' '}
              {s.planChange.action}.
            </p>
          )}
          <DataTable caption="Read model generations" columns={columns} rows={s.generations} />
        </>
      )}
    </Panel>
  );
}
