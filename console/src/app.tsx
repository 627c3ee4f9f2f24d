// The console's shell: who is signed in (GET /access/me), the navigation their key allows, the page.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, must } from './api/client';
import { Loading } from './components/states';
import { ForecastPage } from './pages/forecast/forecast-page';
import { OperatorPage } from './pages/operator/operator-page';
import { PayCyclePage } from './pages/pay-cycle/pay-cycle-page';
import { PeoplePage } from './pages/people/people-page';
import { PersonPage } from './pages/person/person-page';
import { SignInPage } from './pages/sign-in/sign-in-page';
import { hrefOf, navigate, useRoute, type Route } from './router';
import { forgetKey, type Session } from './session';

export function App() {
  const route = useRoute();
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const refresh = useCallback(() => {
    must(api.GET('/access/me')).then(setSession, () => setSession(null));
  }, []);
  useEffect(refresh, [refresh]);

  if (session === undefined) return <Loading what="the console" />;
  const signOut = () => {
    forgetKey();
    setSession(null);
    navigate({ page: 'sign-in' });
  };
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">residual-ledger</span>
        <nav aria-label="Console">
          {session?.scopes.read === 'all' && <a href={hrefOf({ page: 'people' })}>People</a>}
          {session?.scopes.read === 'all' && <a href={hrefOf({ page: 'programme-forecast' })}>Programme forecast</a>}
          {session?.scopes.read === 'some' &&
            session.scopes.people.map((p) => (
              <a key={p} href={hrefOf({ page: 'person', personId: p })}>
                {p}
              </a>
            ))}
          {session?.scopes.admin && <a href={hrefOf({ page: 'operator' })}>Operator</a>}
          {session?.scopes.admin && <a href={hrefOf({ page: 'pay-cycle' })}>Pay cycle</a>}
          {session?.accessControl && (
            <button type="button" class="link" onClick={signOut}>
              Sign out ({session.key})
            </button>
          )}
        </nav>
      </header>
      {session?.accessControl === false && (
        <p class="banner" role="note">
          Access control is off: no API keys are configured, so anyone who can reach this service can read and record
          income. Allowed on a loopback address only.
        </p>
      )}
      <main id="main">
        <Page route={route} session={session} onSignedIn={setSession} />
      </main>
    </>
  );
}

function Page({
  route,
  session,
  onSignedIn,
}: {
  route: Route;
  session: Session | null;
  onSignedIn: (s: Session) => void;
}) {
  if (session === null || route.page === 'sign-in') return <SignInPage session={session} onSignedIn={onSignedIn} />;
  switch (route.page) {
    case 'people':
      return <PeoplePage />;
    case 'person':
      return <PersonPage personId={route.personId} />;
    case 'person-forecast':
      return <ForecastPage scope={{ kind: 'person', personId: route.personId }} />;
    case 'programme-forecast':
      return <ForecastPage scope={{ kind: 'programme' }} />;
    case 'operator':
      return <OperatorPage />;
    case 'pay-cycle':
      // the operator recorded with a close or a hold is the signed-in key's name (no key: access control is off)
      return <PayCyclePage operator={session.key ?? 'console'} />;
    default: {
      const unknown: never = route;
      throw new Error(`unknown page ${JSON.stringify(unknown)}`);
    }
  }
}
