import { useMemo, useState } from 'preact/hooks';
import { ApiClient } from './api/client';
import { BudgetsPage } from './pages/budgets';
import { JobDetailPage } from './pages/job-detail';
import { JobsPage } from './pages/jobs';
import { KeysPage } from './pages/keys';
import { OverviewPage } from './pages/overview';
import { PlaygroundPage } from './pages/playground';
import { ProvidersPage } from './pages/providers';
import { RequestDetailPage } from './pages/request-detail';
import { RequestsPage } from './pages/requests';
import { SignInPage } from './pages/sign-in';
import type { Session } from './session/session';
import { clearSession, loadSession, saveSession } from './session/session';
import { SessionContext } from './session/session-context';
import type { Route } from './shell/router';
import { useRoute } from './shell/router';
import { Layout } from './shell/layout';

function PageFor({ route }: { route: Route }) {
  switch (route.page) {
    case 'overview':
      return <OverviewPage query={route.query} />;
    case 'providers':
      return <ProvidersPage />;
    case 'requests':
      return route.param ? (
        <RequestDetailPage key={route.param} requestId={route.param} />
      ) : (
        <RequestsPage query={route.query} />
      );
    case 'budgets':
      return <BudgetsPage />;
    case 'keys':
      return <KeysPage />;
    case 'jobs':
      return route.param ? (
        <JobDetailPage key={route.param} jobId={route.param} />
      ) : (
        <JobsPage query={route.query} />
      );
    case 'playground':
      return <PlaygroundPage />;
  }
}

/** The console: the sign-in form until a key is accepted, then the page of the hash route. */
export function App() {
  const [session, setSession] = useState<Session | undefined>(loadSession);
  const [notice, setNotice] = useState<string | undefined>();
  const route = useRoute();

  const value = useMemo(() => {
    if (!session) return null;
    const signOut = (message?: string): void => {
      clearSession();
      setNotice(message);
      setSession(undefined);
    };
    const api = new ApiClient(session.key, (message) =>
      signOut(`Signed out: the gateway no longer accepts this key (${message}).`),
    );
    return { session, api, signOut };
  }, [session]);

  if (!value) {
    return (
      <SignInPage
        notice={notice}
        onSignedIn={(next) => {
          saveSession(next);
          setNotice(undefined);
          setSession(next);
        }}
      />
    );
  }
  return (
    <SessionContext.Provider value={value}>
      <Layout session={value.session} current={route.page} onSignOut={() => value.signOut()}>
        <PageFor route={route} />
      </Layout>
    </SessionContext.Provider>
  );
}
