import { useEffect, useState } from 'preact/hooks';
import type { Role } from '../session/session';

/** The console's pages: hash routes (`#/requests/<id>`), so the gateway serves one index.html. */
export const PAGES = [
  { name: 'overview', title: 'Overview' },
  { name: 'providers', title: 'Providers' },
  { name: 'requests', title: 'Requests' },
  { name: 'budgets', title: 'Budgets and limits' },
  { name: 'keys', title: 'Keys' },
  { name: 'jobs', title: 'Jobs' },
  { name: 'playground', title: 'Playground' },
] as const;

export type PageName = (typeof PAGES)[number]['name'];

/** Pages a gateway key cannot use: they read every tenant's data (admin key, with auth on). */
const ADMIN_PAGES: ReadonlySet<PageName> = new Set(['providers', 'budgets', 'keys']);

/** The pages shown in the navigation for a role. */
export function pagesFor(role: Role): ReadonlyArray<(typeof PAGES)[number]> {
  return role === 'key' ? PAGES.filter((page) => !ADMIN_PAGES.has(page.name)) : PAGES;
}

export interface Route {
  page: PageName;
  /** The part after the page: a request id, a job id. */
  param?: string;
  query: URLSearchParams;
}

const isPage = (name: string): name is PageName => PAGES.some((page) => page.name === name);

/** `#/requests/abc?provider=x` → requests, `abc`, `provider=x`; anything else → overview. */
export function parseRoute(hash: string): Route {
  const text = hash.replace(/^#\/?/, '');
  const [path = '', search = ''] = text.split('?', 2);
  const [name = '', ...rest] = path.split('/');
  const query = new URLSearchParams(search);
  if (!isPage(name)) return { page: 'overview', query };
  const raw = rest.join('/');
  let param: string | undefined;
  try {
    param = raw ? decodeURIComponent(raw) : undefined;
  } catch {
    param = raw;
  }
  return { page: name, param, query };
}

/** The hash of a page (`#/requests/<id>`), with an optional query. */
export function href(page: PageName, param?: string, query?: Record<string, string>): string {
  const path = param ? `${page}/${encodeURIComponent(param)}` : page;
  const search = query ? new URLSearchParams(query).toString() : '';
  return `#/${path}${search ? `?${search}` : ''}`;
}

/** The current route, following `hashchange`. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const update = (): void => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}
