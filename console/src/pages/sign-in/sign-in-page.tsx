import { useState } from 'preact/hooks';
import { api, must, type Problem } from '../../api/client';
import { ProblemMessage } from '../../components/states';
import { hrefOf, navigate } from '../../router';
import { forgetKey, homeOf, storeKey, type Session } from '../../session';
import { problemFrom } from '../../use-api';

/** Sign in with an API key, kept for this tab only. */
export function SignInPage({ session, onSignedIn }: { session: Session | null; onSignedIn: (s: Session) => void }) {
  const [secret, setSecret] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);

  if (session?.accessControl === false) {
    return (
      <section class="sign-in">
        <h1>Sign in</h1>
        <p>No key is needed: access control is off.</p>
        <a class="button" href={hrefOf(homeOf(session))}>
          Open the console
        </a>
      </section>
    );
  }

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    storeKey(secret.trim());
    try {
      const me = await must(api.GET('/access/me'));
      setSecret('');
      onSignedIn(me);
      navigate(homeOf(me));
    } catch (error) {
      forgetKey();
      setProblem(problemFrom(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="sign-in">
      <h1>Sign in</h1>
      {session !== null && (
        <p>
          Signed in as <strong>{session.key}</strong>. <a href={hrefOf(homeOf(session))}>Continue</a> or use another
          key.
        </p>
      )}
      <form onSubmit={(e) => void submit(e)}>
        <label for="api-key">API key</label>
        <input
          id="api-key"
          name="api-key"
          type="password"
          autocomplete="off"
          required
          value={secret}
          onInput={(e) => setSecret(e.currentTarget.value)}
        />
        <p class="hint">Kept in this tab only, until it closes or you sign out.</p>
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
      {problem && <ProblemMessage problem={problem} />}
    </section>
  );
}
