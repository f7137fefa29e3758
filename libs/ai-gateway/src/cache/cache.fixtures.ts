import type { ChatResponse } from '../types/unified';
import type { EmbeddingsSource } from './semantic/provider-embedder';

/** For specs that embed locally: a provider embedder would need the embeddings pipeline. */
export const noProviderEmbeddings: EmbeddingsSource = {
  embedText: () => Promise.reject(new Error('no provider embeddings in this spec')),
};

/** A complete one-choice answer with `text`, as a provider would return it. */
export function answerOf(text: string): ChatResponse {
  return {
    id: `chatcmpl-${text.length}`,
    object: 'chat.completion',
    created: 1,
    model: 'm',
    choices: [
      {
        index: 0,
        finish_reason: 'stop',
        logprobs: null,
        message: { role: 'assistant', content: text, refusal: null },
      },
    ],
  };
}
