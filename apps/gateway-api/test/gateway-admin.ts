/** A gateway key as `POST /v1/admin/keys` returns it: the only time its secret is shown. */
export interface IssuedKey {
  id: string;
  /** The secret (`gk_…`), for the caller's `Authorization: Bearer`. */
  key: string;
}

/**
 * Creates a gateway key through a gateway's admin API (`POST /v1/admin/keys`, admin key
 * as Bearer), e.g. `{ name, limits: { requestsPerMinute: 100 } }`. Throws with the
 * answer when the gateway does not answer 201.
 */
export async function createGatewayKey(
  gatewayUrl: string,
  adminKey: string,
  input: Record<string, unknown>,
): Promise<IssuedKey> {
  const response = await fetch(`${gatewayUrl}/v1/admin/keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  const text = await response.text();
  if (response.status !== 201) {
    throw new Error(`POST /v1/admin/keys answered ${response.status}: ${text}`);
  }
  const body = JSON.parse(text) as Partial<IssuedKey>;
  if (typeof body.id !== 'string' || typeof body.key !== 'string') {
    throw new Error(`POST /v1/admin/keys answered without id or key: ${text}`);
  }
  return { id: body.id, key: body.key };
}
