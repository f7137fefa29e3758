import type { ChatRequest } from '../../types/unified';
import { OpenAiCompatibleProvider } from '../openai-compatible/openai-compatible.provider';

/**
 * Mistral's API is OpenAI-shaped. It reports usage in the last stream chunk on its own
 * and rejects `stream_options`, and it names the output cap `max_tokens` only.
 */
export class MistralProvider extends OpenAiCompatibleProvider {
  protected override chatBody(body: ChatRequest, stream: boolean): string {
    const { stream_options: _ignored, max_completion_tokens, ...rest } = body;
    const mapped: ChatRequest =
      max_completion_tokens !== undefined &&
      max_completion_tokens !== null &&
      (rest.max_tokens === undefined || rest.max_tokens === null)
        ? { ...rest, max_tokens: max_completion_tokens }
        : rest;
    return JSON.stringify({ ...mapped, stream });
  }
}
