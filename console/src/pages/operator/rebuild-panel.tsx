// A rebuild started from the page, its progress polled until it has switched (or failed).
import { useEffect, useState } from 'preact/hooks';
import { api, must, type Problem, type Schemas } from '../../api/client';
import { Panel } from '../../components/panel';
import { ProblemMessage } from '../../components/states';
import { problemFrom } from '../../use-api';

type Progress = Schemas['RebuildProgressAnswer'];
const POLL_MS = 500;

export function RebuildPanel({ onSwitched }: { onSwitched: () => void }) {
  const [progress, setProgress] = useState<Progress | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const running = progress?.state === 'running';

  useEffect(() => {
    if (progress === null || progress.state !== 'running') return;
    const timer = setTimeout(() => {
      must(api.GET('/projections/rebuilds/{rebuildId}', { params: { path: { rebuildId: progress.id } } })).then(
        (next) => {
          setProgress(next);
          if (next.state === 'succeeded') onSwitched();
        },
        (error: unknown) => setProblem(problemFrom(error)),
      );
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [progress, onSwitched]);

  const start = async () => {
    setProblem(null);
    try {
      setProgress(await must(api.POST('/projections/rebuilds', { body: { dryRun: false } })));
    } catch (error) {
      setProblem(problemFrom(error));
    }
  };

  return (
    <Panel title="Rebuild" id="rebuild">
      <p>Folds the whole log into a new generation under the configured plan, then switches to it.</p>
      <button type="button" onClick={() => void start()} disabled={running}>
        Rebuild now
      </button>
      {problem && <ProblemMessage problem={problem} />}
      {progress && <RebuildProgress progress={progress} />}
    </Panel>
  );
}

function RebuildProgress({ progress: p }: { progress: Progress }) {
  const done = p.eventsDone ?? 0;
  const total = p.eventsTotal ?? 0;
  return (
    <div class="rebuild" aria-live="polite">
      <label for="rebuild-progress">
        Generation {p.generation}: {p.state === 'succeeded' ? 'switched' : p.state}
      </label>
      <progress
        id="rebuild-progress"
        max={Math.max(total, 1)}
        value={p.state === 'succeeded' ? Math.max(total, 1) : done}
      />
      <p class="muted" data-testid="rebuild-state">
        {p.state === 'succeeded'
          ? `Switched to generation ${p.generation}.`
          : p.state === 'running'
            ? `${done} of ${total || '?'} events${p.etaSeconds !== null ? `, about ${p.etaSeconds} s left` : ''}`
            : `${p.state}${p.error ? `: ${p.error}` : ''}`}
      </p>
    </div>
  );
}
