import OpenAI from 'openai';
import { useBrowser } from './browser';
import { ADMIN_KEY, ROUTES } from './console-gateway';
import { CONSOLE_PAGES, bodyRows, expectCount, heading, navigateTo, signIn } from './console-pages';
import { useConsoleWorld } from './console-world';
import { clientFor, waitForUsageRows } from './load';

const KEYS = CONSOLE_PAGES.find((p) => p.name === 'keys')!;
const REQUESTS = CONSOLE_PAGES.find((p) => p.name === 'requests')!;

/**
 * Must-show: creating a key shows its secret once, and a request made with it appears
 * under that key; rotating and disabling act on the gateway at once.
 */
describe('console keys (browser)', () => {
  const browser = useBrowser();
  const world = useConsoleWorld();

  it('shows a new key’s secret once (Copy puts it on the clipboard); a call with it is listed under the key', async () => {
    const watched = await browser.open({ permissions: ['clipboard-read', 'clipboard-write'] });
    const { page } = watched;
    await signIn(watched, world.gateway.url, ADMIN_KEY, 'admin');
    await navigateTo(page, KEYS);

    const form = page.getByRole('form', { name: 'New key' });
    await form.getByRole('textbox', { name: 'Name', exact: true }).fill('created-in-console');
    await form.getByRole('textbox', { name: /^User id/ }).fill('dave');
    await form.getByRole('button', { name: 'Create key' }).click();

    const reveal = page.getByTestId('key-secret-panel');
    await reveal.waitFor();
    const secret = (await page.getByTestId('new-key-secret').innerText()).trim();
    expect(secret).toMatch(/^gk_[A-Za-z0-9_-]{32}$/);
    await reveal.getByRole('button', { name: 'Copy' }).click();
    await reveal.getByText('Copied to the clipboard.').waitFor();
    const clipboard = await page.evaluate(() =>
      (
        globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
      ).navigator.clipboard.readText(),
    );
    expect(clipboard).toBe(secret);

    // The new key's row shows only the secret's last four characters.
    const row = page.getByTestId('keys-table').locator('tr', { hasText: 'created-in-console' });
    await row.waitFor();
    const keyId = (await row.getAttribute('data-key-id'))!;
    expect(await row.innerText()).toContain(`…${secret.slice(-4)}`);
    await reveal.getByRole('button', { name: 'Done, I have stored it' }).click();
    await reveal.waitFor({ state: 'detached' });
    expect(await page.content()).not.toContain(secret);
    await page.reload();
    await heading(page, 'Keys').waitFor();
    await row.waitFor();
    expect(await page.content()).not.toContain(secret);

    // A call with the new key (the official client), then its row under that key.
    await clientFor(world.gateway.url, secret).chat.completions.create(
      { model: ROUTES.main, messages: [{ role: 'user', content: 'First call of a new key' }] },
      { headers: { 'x-request-id': 'created-key-call' } },
    );
    await waitForUsageRows(world.gateway, ['created-key-call']);
    await navigateTo(page, REQUESTS);
    const filters = page.getByRole('form', { name: 'Filter requests' });
    await filters.getByLabel('Key id').fill(keyId);
    await filters.getByRole('button', { name: 'Apply filters' }).click();
    const rows = bodyRows(page.getByTestId('requests-table'));
    await expectCount(rows, 1);
    const text = await rows.first().innerText();
    expect(text).toContain('created-key-call');
    expect(text).toContain(keyId);
    expect(text).toContain('dave');
  });

  it('rotates a key (new secret shown once, the old refused) and disables and enables it', async () => {
    const watched = await browser.open();
    const { page } = watched;
    const bob = world.load.keys.other;
    await signIn(watched, world.gateway.url, ADMIN_KEY, 'admin');
    await navigateTo(page, KEYS);
    const row = page.locator(`tr[data-key-id="${bob.id}"]`);
    await row.waitFor();

    await row.getByRole('button', { name: `Rotate ${bob.name}` }).click();
    await page.getByTestId('key-secret-panel').waitFor();
    const rotated = (await page.getByTestId('new-key-secret').innerText()).trim();
    expect(rotated).toMatch(/^gk_/);
    expect(rotated).not.toBe(bob.key);
    const refused = await modelsStatus(world.gateway.url, bob.key);
    expect(refused).toBe(401);
    expect(await modelsStatus(world.gateway.url, rotated)).toBe(200);

    await row.getByRole('button', { name: `Disable ${bob.name}` }).click();
    await row.getByText('disabled', { exact: true }).waitFor();
    expect(await modelsStatus(world.gateway.url, rotated)).toBe(401);
    await row.getByRole('button', { name: `Enable ${bob.name}` }).click();
    await row.getByText('active', { exact: true }).waitFor();
    expect(await modelsStatus(world.gateway.url, rotated)).toBe(200);
  });
});

/** `GET /v1/models` with a key: 200 when the gateway takes it, 401 when not. */
async function modelsStatus(url: string, key: string): Promise<number> {
  const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: key, maxRetries: 0 });
  try {
    await client.models.list();
    return 200;
  } catch (error) {
    if (error instanceof OpenAI.APIError && error.status !== undefined)
      return error.status as number;
    throw error;
  }
}
