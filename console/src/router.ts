// Pages live behind the URL's hash (#/people/ana), so the service serves one file for every page and
// nothing secret ever reaches a URL: the key stays in sessionStorage.
import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { readonly page: 'sign-in' }
  | { readonly page: 'people' }
  | { readonly page: 'person'; readonly personId: string }
  | { readonly page: 'person-forecast'; readonly personId: string }
  | { readonly page: 'programme-forecast' }
  | { readonly page: 'operator' }
  | { readonly page: 'pay-cycle' };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  const personId = parts[0] === 'people' && parts[1] !== undefined && parts[1] !== '' ? parts[1] : undefined;
  if (personId !== undefined && parts[2] === 'forecast') return { page: 'person-forecast', personId };
  if (personId !== undefined) return { page: 'person', personId };
  if (parts[0] === 'programme' && parts[1] === 'forecast') return { page: 'programme-forecast' };
  if (parts[0] === 'people') return { page: 'people' };
  if (parts[0] === 'operator') return { page: 'operator' };
  if (parts[0] === 'pay-cycle') return { page: 'pay-cycle' };
  return { page: 'sign-in' };
}

export function hrefOf(route: Route): string {
  switch (route.page) {
    case 'sign-in':
      return '#/sign-in';
    case 'people':
      return '#/people';
    case 'person':
      return `#/people/${encodeURIComponent(route.personId)}`;
    case 'person-forecast':
      return `#/people/${encodeURIComponent(route.personId)}/forecast`;
    case 'programme-forecast':
      return '#/programme/forecast';
    case 'operator':
      return '#/operator';
    case 'pay-cycle':
      return '#/pay-cycle';
    default: {
      const unknown: never = route;
      throw new Error(`unknown route ${JSON.stringify(unknown)}`);
    }
  }
}

export function navigate(route: Route): void {
  window.location.hash = hrefOf(route);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
