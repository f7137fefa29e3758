import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Session } from '../session/session';
import { focusNextPage } from '../components/ui';
import { SignInError, signIn } from '../session/session';

interface SignInProps {
  onSignedIn: (session: Session) => void;
  /** Why the last session ended (a key that stopped working), shown as an alert. */
  notice?: string;
}

/** The key form: the admin key, a gateway key, or nothing on a gateway without auth. */
export function SignInPage({ onSignedIn, notice }: SignInProps) {
  const [key, setKey] = useState('');
  const [error, setError] = useState(notice ?? '');
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    document.title = 'Sign in · AI Gateway console';
  }, []);
  // Before the first paint: what is typed right after the page loads lands in the field.
  useLayoutEffect(() => input.current?.focus(), []);

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError('');
    try {
      const session = await signIn(key.trim());
      setKey('');
      focusNextPage();
      onSignedIn(session);
    } catch (problem) {
      setError(problem instanceof SignInError ? problem.message : 'Sign-in failed.');
      input.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" class="sign-in" data-testid="page-sign-in">
      <h1>AI Gateway console</h1>
      <form class="panel" onSubmit={(event) => void submit(event)} aria-labelledby="sign-in-title">
        <h2 id="sign-in-title">Sign in</h2>
        {error ? (
          <div class="notice notice-error" role="alert">
            {error}
          </div>
        ) : null}
        <label class="field" for="api-key">
          <span>API key</span>
        </label>
        <input
          ref={input}
          id="api-key"
          name="api-key"
          type="password"
          autoComplete="off"
          spellcheck={false}
          aria-describedby="api-key-help"
          aria-invalid={error ? true : undefined}
          value={key}
          onInput={(event) => setKey(event.currentTarget.value)}
        />
        <div id="api-key-help" class="help">
          <p>
            <strong>Admin key</strong>: the value of <code>GATEWAY_ADMIN_KEY</code> in the gateway's
            environment (or <code>auth.adminKey</code> in its YAML config, which needs{' '}
            <code>auth.hashSecret</code> / <code>GATEWAY_KEY_SECRET</code> too). It sees everything
            and manages keys.
          </p>
          <p>
            <strong>Gateway key</strong> (<code>gk_…</code>): sees only its own usage, jobs and
            playground.
          </p>
          <p>
            <strong>Embedded default</strong> (<code>npm start</code> with nothing configured): auth
            is off and no admin key is set, so leave the field empty to read usage and provider
            status; set <code>GATEWAY_ADMIN_KEY</code> and <code>GATEWAY_KEY_SECRET</code> (16+
            characters each) and restart to manage keys here.
          </p>
          <p class="subtle">
            The key is kept in this tab's session storage only, sent as an Authorization header and
            never put in a URL.
          </p>
        </div>
        <div class="form-actions">
          <button type="submit" disabled={busy}>
            Sign in
          </button>
          {busy ? <span role="status">Checking the key…</span> : null}
        </div>
      </form>
    </main>
  );
}
