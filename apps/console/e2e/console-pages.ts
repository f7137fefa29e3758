import type { Locator, Page } from 'playwright-core';
import { pollUntil } from './gateway-runner';
import type { WatchedPage } from './browser';

/** A page of the console: its hash route (`#/<name>`, `data-testid="page-<name>"`) and h1. */
export interface ConsolePage {
  name: string;
  heading: string;
  /** Shown to a gateway key too (the others read every tenant's data). */
  forKeys: boolean;
}

/** Every page of the console, in nav order (the nav link has the h1's name). */
export const CONSOLE_PAGES: readonly ConsolePage[] = [
  { name: 'overview', heading: 'Overview', forKeys: true },
  { name: 'providers', heading: 'Providers', forKeys: false },
  { name: 'requests', heading: 'Requests', forKeys: true },
  { name: 'budgets', heading: 'Budgets and limits', forKeys: false },
  { name: 'keys', heading: 'Keys', forKeys: false },
  { name: 'jobs', heading: 'Jobs', forKeys: true },
  { name: 'playground', heading: 'Playground', forKeys: true },
];

/** The console's address on a gateway, optionally at a hash route (`requests/<id>`). */
export function consoleUrl(gatewayUrl: string, route?: string): string {
  return `${gatewayUrl}/console/${route ? `#/${route}` : ''}`;
}

/**
 * The 401s a sign-in meets on purpose: it asks `GET /v1/models` without a key to learn
 * whether the gateway checks keys, and — for a key that is not the admin key —
 * `GET /v1/providers/status`, which only the admin key may read, to learn its role.
 */
export function expectSignInProbes(watched: WatchedPage, role: 'admin' | 'key'): void {
  watched.expectHttpError(401, /\/v1\/models$/);
  if (role === 'key') watched.expectHttpError(401, /\/v1\/providers\/status$/);
}

/** Opens the console signed out and submits `key` through its form. */
export async function submitSignIn(page: Page, gatewayUrl: string, key: string): Promise<void> {
  await page.goto(consoleUrl(gatewayUrl));
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Signs in with `key` as `role` and waits for the overview, where a signed-in console lands. */
export async function signIn(
  watched: WatchedPage,
  gatewayUrl: string,
  key: string,
  role: 'admin' | 'key',
): Promise<void> {
  expectSignInProbes(watched, role);
  await submitSignIn(watched.page, gatewayUrl, key);
  await heading(watched.page, 'Overview').waitFor();
}

/** The page's h1. */
export function heading(page: Page, name: string): Locator {
  return page.getByRole('heading', { level: 1, name, exact: true });
}

/** Goes to a page through the nav (as a person would) and waits for its h1. */
export async function navigateTo(page: Page, target: ConsolePage): Promise<void> {
  await page
    .getByRole('navigation')
    .getByRole('link', { name: target.heading, exact: true })
    .click();
  await heading(page, target.heading).waitFor();
}

/** A table's body rows (the header row left out). */
export function bodyRows(table: Locator): Locator {
  return table.locator('tbody tr');
}

/**
 * Waits until `locator` matches exactly `n` elements (a table re-rendering after a filter
 * or a reload), failing with the last count after `timeoutMs`.
 */
export async function expectCount(locator: Locator, n: number, timeoutMs = 20_000): Promise<void> {
  const count = await pollUntil(
    () => locator.count(),
    (value) => value === n,
    { timeoutMs, everyMs: 50 },
  );
  if (count !== n)
    throw new Error(`expected ${n} element(s) for ${String(locator)}, found ${count}`);
}
