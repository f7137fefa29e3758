import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

/** axe-core's browser build. */
const AXE_PATH = require.resolve('axe-core/axe.min.js');

/** The rules run: WCAG 2.0 and 2.1, levels A and AA, and axe's best practices. */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

/** One rule axe found broken, as much of it as a failure message needs. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

interface AxeResults {
  violations: Array<{
    id: string;
    impact?: string | null;
    help: string;
    nodes: Array<{ target: unknown[] }>;
  }>;
}

/**
 * Runs axe-core (WCAG 2.0/2.1 A and AA rules and best practices) on the page as it is now
 * and returns the serious and critical violations. axe is evaluated through the DevTools
 * protocol (`page.evaluate` of its source), not added as a `<script>`: the console's CSP
 * (`script-src 'self'`) would refuse an inline script — and stays on, so a CSP breach of
 * the console itself is still a console error.
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // The page's globals through globalThis: these files are compiled without the DOM lib.
  const loaded = await page.evaluate(
    () => typeof (globalThis as { axe?: unknown }).axe === 'object',
  );
  if (!loaded) await page.evaluate(readFileSync(AXE_PATH, 'utf8'));
  const results = await page.evaluate(
    (tags) =>
      (
        globalThis as unknown as {
          document: unknown;
          axe: { run(context: unknown, options: unknown): Promise<AxeResults> };
        }
      ).axe.run((globalThis as unknown as { document: unknown }).document, {
        resultTypes: ['violations'],
        runOnly: { type: 'tag', values: tags },
      }),
    AXE_TAGS,
  );
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      targets: v.nodes.map((n) => n.target.map(String).join(' ')),
    }));
}

/** The violations as lines for a failure message. */
export function describeViolations(violations: AxeViolation[]): string {
  return violations
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.targets.slice(0, 5).join(', ')}`)
    .join('\n');
}
