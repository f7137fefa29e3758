import { useBrowser } from './browser';
import type { ConsoleGateway } from './console-gateway';
import { startConsoleGateway } from './console-gateway';

/** Issue (console), must-show 3: the API docs page renders in the browser. */
describe('API docs at /docs (browser)', () => {
  const browser = useBrowser();
  let gateway: ConsoleGateway;

  beforeAll(async () => {
    gateway = await startConsoleGateway();
  }, 90_000);
  afterAll(() => gateway?.stop());

  it('renders Swagger UI from /openapi.json with the model and admin operations, under its CSP', async () => {
    const { page } = await browser.open();
    const response = await page.goto(`${gateway.url}/docs`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page
      .getByRole('heading', { name: /AI gateway/ })
      .first()
      .waitFor();
    for (const path of ['/v1/chat/completions', '/v1/usage/summary', '/v1/admin/keys']) {
      await page.locator(`[data-path="${path}"]`).first().waitFor();
    }
    // An operation opens with its description and responses.
    await page.locator('[data-path="/v1/chat/completions"]').first().click();
    await page.getByRole('heading', { name: 'Responses' }).first().waitFor();
  });
});
