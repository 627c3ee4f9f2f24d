import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { api, download, fetchText, must, mustJson, type Problem, type Schemas } from '../../api/client';
import { Panel } from '../../components/panel';
import { ProblemMessage, Show } from '../../components/states';
import { formatDateTime } from '../../format';
import { problemFrom, useApi } from '../../use-api';
import { PeriodTotalsTable, StatementsTable } from './statements-table';

const periodPath = (period: string) => `/periods/${encodeURIComponent(period)}`;

type PeriodStatus = Schemas['PeriodStatusAnswer'];

/** A period: its close preview while open (with the close), its sealed statements and payout batch once closed. */
export function PeriodPanel({
  period,
  operator,
  onClosed,
}: {
  period: string;
  operator: string;
  onClosed: () => void;
}) {
  const status = useApi(() => must(api.GET('/periods/{period}', { params: { path: { period } } })), [period]);
  return (
    <Panel title={`Period ${period}`} id="period">
      <Show loaded={status} what={`period ${period}`}>
        {(s) =>
          s.status === 'open' ? (
            <OpenPeriod period={period} operator={operator} onClosed={onClosed} />
          ) : (
            <ClosedPeriod status={s} />
          )
        }
      </Show>
    </Panel>
  );
}

function OpenPeriod({ period, operator, onClosed }: { period: string; operator: string; onClosed: () => void }) {
  const preview = useApi(
    () => mustJson(api.GET('/periods/{period}/close-preview', { params: { path: { period } } })),
    [period],
  );
  return (
    <>
      <p>Open. The preview is what closing now would seal; nothing is written until the period is closed.</p>
      <Show loaded={preview} what="the close preview">
        {(p) => (
          <>
            <Downloads
              files={[
                {
                  label: 'Download preview CSV',
                  path: `${periodPath(period)}/close-preview`,
                  name: `close-preview-${period}.csv`,
                },
              ]}
            />
            <PeriodTotalsTable totals={p.totals} caption={`Totals of the close preview of ${period}`} />
            <StatementsTable statements={p.statements} caption={`Statements the close of ${period} would seal`} />
            <CloseControl period={period} operator={operator} statements={p.statements.length} onClosed={onClosed} />
          </>
        )}
      </Show>
    </>
  );
}

function ClosedPeriod({ status }: { status: PeriodStatus }) {
  const period = status.period;
  const sealed = useApi(
    () => mustJson(api.GET('/periods/{period}/statements', { params: { path: { period } } })),
    [period],
  );
  return (
    <>
      <p data-testid="period-state">
        Closed{' '}
        {status.close && (
          <>
            on {formatDateTime(status.close.closedAt)} by {status.close.operator}
          </>
        )}
        .
      </p>
      <Downloads
        files={[
          {
            label: 'Download payout batch CSV',
            path: `${periodPath(period)}/payout-batch`,
            name: `payouts-${period}.csv`,
          },
          {
            label: 'Download statements CSV',
            path: `${periodPath(period)}/statements`,
            name: `statements-${period}.csv`,
          },
        ]}
      />
      <Show loaded={sealed} what="the sealed statements">
        {(s) => (
          <>
            <PeriodTotalsTable totals={s.totals} caption={`Totals of ${period}, sealed`} />
            <StatementsTable statements={s.statements} caption={`Statements of ${period}, sealed`} />
          </>
        )}
      </Show>
    </>
  );
}

/** Buttons that fetch the API's CSV with the tab's key and save it as it came. */
function Downloads({ files }: { files: { label: string; path: string; name: string }[] }) {
  const [problem, setProblem] = useState<Problem | null>(null);
  return (
    <div class="inline-form">
      {files.map((f) => (
        <button
          key={f.path}
          type="button"
          onClick={() => {
            setProblem(null);
            fetchText(f.path, 'text/csv').then(
              (blob) => download(blob, f.name),
              (e: unknown) => setProblem(problemFrom(e)),
            );
          }}
        >
          {f.label}
        </button>
      ))}
      {problem && <ProblemMessage problem={problem} />}
    </div>
  );
}

/** Closing is for good: it asks first, says what it seals, and shows the API's refusal if any. */
function CloseControl({
  period,
  operator,
  statements,
  onClosed,
}: {
  period: string;
  operator: string;
  statements: number;
  onClosed: () => void;
}) {
  const [asking, setAsking] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const confirm = useRef<HTMLButtonElement>(null);
  // the question takes the focus, so a keyboard user answers it at once (autoFocus only acts on page load); a
  // layout effect, so it has the focus in the same render that shows it, not a frame later
  useLayoutEffect(() => {
    if (asking) confirm.current?.focus();
  }, [asking]);
  const close = () => {
    setProblem(null);
    must(api.POST('/periods/{period}/close', { params: { path: { period } }, body: { operator } })).then(
      onClosed,
      (e: unknown) => {
        setAsking(false);
        setProblem(problemFrom(e));
      },
    );
  };
  return (
    <div class="close-control">
      {!asking ? (
        <button type="button" onClick={() => setAsking(true)}>
          Close {period}…
        </button>
      ) : (
        <div role="group" aria-labelledby="close-question" class="confirm">
          <p id="close-question">
            Close {period} for good as {operator}? Its {statements} statements are sealed in the log; a closed period is
            never reopened.
          </p>
          <button type="button" ref={confirm} onClick={close}>
            Close {period} for good
          </button>{' '}
          <button type="button" class="secondary" onClick={() => setAsking(false)}>
            Cancel
          </button>
        </div>
      )}
      {problem && <ProblemMessage problem={problem} />}
    </div>
  );
}
