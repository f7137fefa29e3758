import { sendJson } from '../fake-exchange';
import type { WireFormat } from './wire-format';

/** Placeholder until the anthropic wire format lands: answers nothing but errors. */
export const anthropicWire: WireFormat = {
  name: 'anthropic',
  routes: [],
  apiKey: () => undefined,
  sendError: (ex, status, message) => sendJson(ex.res, status, { error: { message } }),
};
