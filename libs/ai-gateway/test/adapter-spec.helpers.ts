import { GatewayError } from '../src/errors/gateway.error';
import type { ChatChunk } from '../src/types/unified';

/** Drains a chunk stream; `into` keeps what arrived before a failure. */
export async function collectChunks(
  stream: AsyncIterable<ChatChunk>,
  into: ChatChunk[] = [],
): Promise<ChatChunk[]> {
  for await (const chunk of stream) into.push(chunk);
  return into;
}

/** The GatewayError a call rejects with; fails the test if it resolves or throws anything else. */
export async function rejectionOf(
  call: Promise<unknown> | (() => Promise<unknown>),
): Promise<GatewayError> {
  const promise = typeof call === 'function' ? call() : call;
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof GatewayError)) {
    throw new Error(
      `expected a GatewayError, got ${error === undefined ? 'success' : describeError(error)}`,
    );
  }
  return error;
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : JSON.stringify(error);
}
