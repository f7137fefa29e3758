import { existsSync, statSync } from 'node:fs';
import { DOCS_CSP, DOCS_HEADERS, DOCS_HTML, DOCS_PATH, docsAssets } from './swagger-ui.page';

/** The CSP's directives by name. */
function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(';').map((part) => {
      const [name, ...values] = part.trim().split(/\s+/);
      return [name, values];
    }),
  );
}

describe('the docs page (swagger-ui.page)', () => {
  it('loads only its own files: no inline script or style, nothing from another origin', () => {
    const urls = [...DOCS_HTML.matchAll(/\s(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    const assets = Object.keys(docsAssets()).map((url) => url.slice(1));

    expect(urls.filter((url) => url !== 'data:,').sort()).toEqual(assets.sort());
    expect(DOCS_HTML).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(DOCS_HTML).not.toMatch(/<style|\sstyle=|https?:/);
  });

  it('serves the assets from files that exist (swagger-ui-dist) or from its own text', () => {
    for (const [url, asset] of Object.entries(docsAssets())) {
      expect(url.startsWith(`${DOCS_PATH}/`)).toBe(true);
      if (asset.file === undefined) {
        expect(asset.text).toContain('SwaggerUIBundle(');
      } else {
        expect({ url, exists: existsSync(asset.file) }).toEqual({ url, exists: true });
        expect(statSync(asset.file).size).toBeGreaterThan(1_000);
      }
    }
  });

  it('sends a policy with neither inline nor eval, and no framing', () => {
    const csp = directives(DOCS_CSP);

    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('style-src')).toEqual(["'self'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(DOCS_CSP).not.toMatch(/unsafe-/);
    expect(DOCS_HEADERS).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
    });
  });
});
