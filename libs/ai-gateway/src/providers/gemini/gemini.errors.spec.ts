import type { ErrorDetails } from '@google/generative-ai';
import {
  GoogleGenerativeAIError,
  GoogleGenerativeAIFetchError,
  GoogleGenerativeAIResponseError,
} from '@google/generative-ai';
import { GatewayErrorCode } from '../../errors/gateway-error-code';
import { GatewayError } from '../../errors/gateway.error';
import { GeminiCallScope } from './gemini-call.scope';
import { toGatewayError } from './gemini.errors';

const URL = 'http://127.0.0.1:1/v1beta/models/gemini-x:generateContent';

/** Builds the error exactly as the SDK's handleResponseNotOk does. */
function fetchError(
  status: number,
  statusText: string,
  message: string,
  details?: ErrorDetails[],
): GoogleGenerativeAIFetchError {
  const text = details ? `${message} ${JSON.stringify(details)}` : message;
  return new GoogleGenerativeAIFetchError(
    `Error fetching from ${URL}: [${status} ${statusText}] ${text}`,
    status,
    statusText,
    details,
  );
}

describe('toGatewayError', () => {
  it('keeps the provider message without the details and honours RetryInfo', () => {
    const details = [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1.5s' }];
    const error = toGatewayError(
      fetchError(429, 'Too Many Requests', 'Quota exceeded.', details),
      'gem',
    );
    expect(error).toMatchObject({
      code: GatewayErrorCode.RATE_LIMITED,
      upstreamStatus: 429,
      retryAfterMs: 1500,
    });
    expect(error.message).toBe('Provider gem answered 429: Quota exceeded.');
  });

  it('reads an invalid key as auth and an overlong prompt as context_length_exceeded', () => {
    const key = toGatewayError(
      fetchError(400, 'Bad Request', 'API key not valid. Please pass a valid API key.', [
        { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' },
      ]),
      'gem',
    );
    expect(key).toMatchObject({
      code: GatewayErrorCode.AUTH,
      upstreamStatus: 400,
      retryable: false,
    });
    const long = toGatewayError(
      fetchError(
        400,
        'Bad Request',
        'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).',
      ),
      'gem',
    );
    expect(long.code).toBe(GatewayErrorCode.CONTEXT_LENGTH_EXCEEDED);
  });

  it.each([
    [403, GatewayErrorCode.AUTH],
    [500, GatewayErrorCode.SERVER_ERROR],
    [504, GatewayErrorCode.TIMEOUT],
  ])('maps status %d to %s', (status, code) => {
    expect(toGatewayError(fetchError(status, '', 'x'), 'gem').code).toBe(code);
  });

  it('recognises the SDK network and parse failures without quoting them', () => {
    const network = toGatewayError(
      new GoogleGenerativeAIError(`Error fetching from ${URL}: fetch failed`),
      'gem',
    );
    expect(network).toMatchObject({
      code: GatewayErrorCode.CONNECTION,
      message: 'Provider gem is unreachable (fetch failed)',
    });
    expect(
      toGatewayError(new GoogleGenerativeAIError('Error reading from the stream'), 'gem').code,
    ).toBe(GatewayErrorCode.CONNECTION);
    const parse = toGatewayError(
      new GoogleGenerativeAIError('Error parsing JSON response: "secret prompt"'),
      'gem',
    );
    expect(parse).toMatchObject({ code: GatewayErrorCode.SERVER_ERROR });
    expect(parse.message).not.toContain('secret');
    expect(toGatewayError(new GoogleGenerativeAIResponseError('blocked'), 'gem').code).toBe(
      GatewayErrorCode.CONTENT_FILTERED,
    );
  });

  it('passes GatewayErrors through and explains aborts by the scope', () => {
    const own = GatewayError.unsupported('gem', 'no', 'x');
    expect(toGatewayError(own, 'gem')).toBe(own);
    const caller = new AbortController();
    const scope = new GeminiCallScope(
      { requestId: 'r', signal: caller.signal, timeoutMs: 1_000 },
      1_000,
    );
    const reason = new GatewayError(GatewayErrorCode.TIMEOUT, 'gateway deadline');
    caller.abort(reason);
    expect(scope.signal.aborted).toBe(true);
    expect(toGatewayError(new Error('aborted'), 'gem', scope)).toBe(reason);
    scope.end();
  });
});

describe(GeminiCallScope.name, () => {
  it('aborts at its deadline with a retryable timeout', async () => {
    const scope = new GeminiCallScope(
      { requestId: 'r', signal: new AbortController().signal, timeoutMs: 20 },
      20,
    );
    await new Promise((resolve) => scope.signal.addEventListener('abort', resolve));
    expect(scope.abortError('gem')).toMatchObject({
      code: GatewayErrorCode.TIMEOUT,
      retryable: true,
    });
    scope.end();
  });

  it('stops listening to the caller once ended', () => {
    const caller = new AbortController();
    const scope = new GeminiCallScope(
      { requestId: 'r', signal: caller.signal, timeoutMs: 1_000 },
      1_000,
    );
    scope.end();
    caller.abort();
    expect(scope.aborted).toBe(false);
  });
});
