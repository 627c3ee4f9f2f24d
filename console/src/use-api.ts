// One API call's state for a component: loading, its data, or the API's problem.
import { useEffect, useState } from 'preact/hooks';
import { ProblemError, type Problem } from './api/client';

export type Loaded<T> =
  | { readonly state: 'loading' }
  | { readonly state: 'ready'; readonly data: T }
  | { readonly state: 'failed'; readonly problem: Problem };

/** Runs `load` whenever `deps` change; an answer to an older call is dropped. */
export function useApi<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  useEffect(() => {
    let current = true;
    setLoaded({ state: 'loading' });
    load().then(
      (data) => current && setLoaded({ state: 'ready', data }),
      (error: unknown) => current && setLoaded({ state: 'failed', problem: problemFrom(error) }),
    );
    return () => {
      current = false;
    };
  }, deps);
  return loaded;
}

export function problemFrom(error: unknown): Problem {
  if (error instanceof ProblemError) return error.problem;
  return { status: 0, title: 'Something went wrong in the console', detail: String(error) };
}
