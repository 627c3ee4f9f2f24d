import type { ComponentChildren } from 'preact';
import type { Problem } from '../api/client';
import type { Loaded } from '../use-api';

/** The API's problem, as its title (and detail), announced to screen readers. */
export function ProblemMessage({ problem }: { problem: Problem }) {
  return (
    <div class="problem" role="alert">
      <strong>{problem.title}</strong>
      {problem.status > 0 && (
        <span class="problem-status">
          {' '}
          ({problem.status}
          {problem.code ? ` ${problem.code}` : ''})
        </span>
      )}
      {problem.detail && <p>{problem.detail}</p>}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="loading" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="empty">{children}</p>;
}

/** Loading, the problem, or the content made from the data. */
export function Show<T>({
  loaded,
  what,
  children,
}: {
  loaded: Loaded<T>;
  what: string;
  children: (data: T) => ComponentChildren;
}) {
  if (loaded.state === 'loading') return <Loading what={what} />;
  if (loaded.state === 'failed') return <ProblemMessage problem={loaded.problem} />;
  return <>{children(loaded.data)}</>;
}
