import { sendJson } from '../fake-exchange';
import type { WireFormat } from './wire-format';

/** Placeholder until the ollama wire format lands: answers nothing but errors. */
export const ollamaWire: WireFormat = {
  name: 'ollama',
  routes: [],
  apiKey: () => undefined,
  sendError: (ex, status, message) => sendJson(ex.res, status, { error: { message } }),
};
