import { sendJson } from '../fake-exchange';
import type { WireFormat } from './wire-format';

/** Placeholder until the gemini wire format lands: answers nothing but errors. */
export const geminiWire: WireFormat = {
  name: 'gemini',
  routes: [],
  apiKey: () => undefined,
  sendError: (ex, status, message) => sendJson(ex.res, status, { error: { message } }),
};
