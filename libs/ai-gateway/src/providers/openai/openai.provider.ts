import { OpenAiCompatibleProvider } from '../openai-compatible/openai-compatible.provider';

/** OpenAI itself: the reference API, forwarded without translation. */
export class OpenAiProvider extends OpenAiCompatibleProvider {}
