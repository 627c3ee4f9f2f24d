// The API key of this tab: in sessionStorage only (gone when the tab closes), never in a URL or a log.
import type { Schemas } from './api/client';
import type { Route } from './router';

/** What the signed-in key may do (GET /access/me). */
export type Session = Schemas['WhoAmIAnswer'];

/** Where a key starts: operators on the operator page, readers of everyone on the people list, a rep on their own page. */
export function homeOf(session: Session): Route {
  if (session.scopes.admin) return { page: 'operator' };
  if (session.scopes.read === 'all') return { page: 'people' };
  const own = session.scopes.people[0];
  if (own !== undefined) return { page: 'person', personId: own };
  return { page: 'sign-in' };
}
const STORAGE_KEY = 'residual-ledger.api-key';

export function storedKey(): string | null {
  return sessionStorage.getItem(STORAGE_KEY);
}

export function storeKey(secret: string): void {
  sessionStorage.setItem(STORAGE_KEY, secret);
}

export function forgetKey(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}
