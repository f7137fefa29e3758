import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayError } from '../errors/gateway.error';
import type { PassthroughResult } from './passthrough.types';

/** Most bytes of a JSON answer the gateway reads whole (a Response, a file, a batch). */
export const MAX_JSON_ANSWER_BYTES = 64 * 1024 * 1024;

/**
 * A passed-through answer read whole and parsed as JSON, once its books are closed (its
 * usage row written). A cut answer is `stream_interrupted`, one over `max` bytes or not
 * JSON is the provider's `server_error`.
 */
export async function readJsonResult<T>(
  result: PassthroughResult,
  max = MAX_JSON_ANSWER_BYTES,
): Promise<T> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  const provider = result.meta.provider;
  try {
    for await (const chunk of result.body as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (bytes > max) {
        throw new GatewayError(
          GatewayErrorCode.SERVER_ERROR,
          `Provider ${provider} answered with more than ${max} bytes`,
          { provider },
        );
      }
      chunks.push(chunk);
    }
  } catch (error) {
    result.body.destroy();
    if (error instanceof GatewayError) throw error;
    throw new GatewayError(
      GatewayErrorCode.STREAM_INTERRUPTED,
      `The answer of provider ${provider} stopped before its end`,
      { provider, cause: error },
    );
  }
  await result.closed;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as T;
  } catch (error) {
    throw new GatewayError(
      GatewayErrorCode.SERVER_ERROR,
      `Provider ${provider} answered with something other than JSON`,
      { provider, cause: error },
    );
  }
}
