// The API client: openapi-fetch over the types generated from the service's own OpenAPI document
// (schema.d.ts, by `npm run build`), so no answer's shape is written twice.
import createClient, { type Middleware } from 'openapi-fetch';
import { storedKey } from '../session';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];

/** An API problem (RFC 9457) as the service answers it: the console shows its title and detail. */
export interface Problem {
  readonly status: number;
  readonly title: string;
  readonly code?: string;
  readonly detail?: string;
}

const withKey: Middleware = {
  onRequest({ request }) {
    const key = storedKey();
    if (key !== null) request.headers.set('authorization', `Bearer ${key}`);
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: window.location.origin });
api.use(withKey);

/** The problem of a failed answer, or one made up for a network failure (no status from the service). */
export function problemOf(error: unknown, response: Response | undefined): Problem {
  if (typeof error === 'object' && error !== null && 'title' in error && 'status' in error) {
    const p = error as Problem;
    return { status: p.status, title: p.title, code: p.code, detail: p.detail };
  }
  if (response !== undefined) return { status: response.status, title: response.statusText || 'Error' };
  return { status: 0, title: 'The service did not answer', detail: String(error) };
}

/** Thrown by `must`: a failed API call, carrying its problem. */
export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.title);
  }
}

/** The data of an answer, or a ProblemError with the API's problem. */
export async function must<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let answer: { data?: T; error?: unknown; response: Response };
  try {
    answer = await call;
  } catch (error) {
    throw new ProblemError(problemOf(error, undefined));
  }
  if (answer.data === undefined || !answer.response.ok)
    throw new ProblemError(problemOf(answer.error, answer.response));
  return answer.data;
}

/** A text answer (CSV) fetched with the tab's key, byte for byte as the API sent it. */
export async function fetchText(path: string, accept: string): Promise<Blob> {
  const key = storedKey();
  const response = await fetch(path, {
    headers: { accept, ...(key === null ? {} : { authorization: `Bearer ${key}` }) },
  });
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => undefined);
    throw new ProblemError(problemOf(body, response));
  }
  return response.blob();
}

/** Saves a blob under a file name, as a download. */
export function download(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * `must` for a route that also answers CSV or HTML: the JSON answer, which the client asked for (openapi-fetch
 * sends `Accept: application/json` and parses JSON), never the text forms the document also lists.
 */
export async function mustJson<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<Exclude<T, string>> {
  const data = await must(call);
  if (typeof data === 'string') throw new Error('expected a JSON answer, got text');
  return data as Exclude<T, string>;
}

/**
 * JSON from a path built at run time (openapi-fetch wants a route of the document): the caller names its
 * answer with a generated type (Schemas[...]).
 */
export async function fetchJson<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const key = storedKey();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (key !== null) headers.authorization = `Bearer ${key}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  } catch (error) {
    throw new ProblemError(problemOf(error, undefined));
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) throw new ProblemError(problemOf(body, response));
  return body as T;
}
