import type { ComponentChildren } from 'preact';
import type { Session } from '../session/session';
import type { PageName } from './router';
import { href, pagesFor } from './router';

interface LayoutProps {
  session: Session;
  current: PageName;
  onSignOut: () => void;
  children: ComponentChildren;
}

function whoAmI(session: Session): string {
  switch (session.role) {
    case 'admin':
      return 'Signed in with the admin key';
    case 'key':
      return `Signed in with gateway key …${session.key.slice(-4)}`;
    case 'open':
      return 'No key: this gateway runs without auth';
  }
}

/** The hash is the router's: the skip link moves the focus instead of changing it. */
function skipToContent(event: MouseEvent): void {
  event.preventDefault();
  document.querySelector<HTMLElement>('main h1')?.focus();
}

/** The signed-in frame: skip link, header (who, sign out), the navigation and the page. */
export function Layout({ session, current, onSignOut, children }: LayoutProps) {
  return (
    <div class="shell">
      <a class="skip-link" href="#main" onClick={skipToContent}>
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href={href('overview')}>
          AI Gateway <span>console</span>
        </a>
        <div class="who">
          <span data-testid="signed-in-as">{whoAmI(session)}</span>
          <button type="button" class="secondary small" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <nav class="nav" aria-label="Console">
        <ul>
          {pagesFor(session.role).map((page) => (
            <li key={page.name}>
              <a href={href(page.name)} aria-current={page.name === current ? 'page' : undefined}>
                {page.title}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {children}
    </div>
  );
}
