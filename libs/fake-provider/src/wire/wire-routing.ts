import type { IncomingMessage } from 'node:http';
import { anthropicWire } from './anthropic.wire';
import { geminiWire } from './gemini.wire';
import { ollamaWire } from './ollama.wire';
import { mistralWire, openAiWire } from './openai.wire';
import { openAiSurfaceWire } from './openai-surface.wire';
import { openAiResponsesWire } from './openai-responses.wire';
import { openAiFilesWire } from './openai-files.wire';
import { openAiBatchesWire } from './openai-batches.wire';
import type { FakeRoute, WireFormat } from './wire-format';

const WIRES: readonly WireFormat[] = [
  openAiWire,
  openAiSurfaceWire,
  openAiResponsesWire,
  openAiFilesWire,
  openAiBatchesWire,
  anthropicWire,
  geminiWire,
  ollamaWire,
  mistralWire,
];
const PREFIX = /^\/(openai|mistral|anthropic|gemini|ollama)(?=\/)/;

/** The vendor route a request asked for, with the regex groups of its path. */
export interface MatchedRoute {
  wire: WireFormat;
  route: FakeRoute;
  params: string[];
}

/**
 * Finds the vendor route of a request, addressed under a vendor prefix
 * (`/anthropic/v1/messages`) or by the vendor's own path (`/v1/messages`).
 */
export function matchRoute(req: IncomingMessage, pathname: string): MatchedRoute | undefined {
  const prefixed = PREFIX.exec(pathname);
  const path = prefixed ? pathname.slice(prefixed[0].length) : pathname;
  const vendor = prefixed?.[1];
  // Unprefixed paths never reach the Mistral flavour: its paths are OpenAI's.
  let wires = vendor
    ? WIRES.filter((w) => w.name === vendor)
    : WIRES.filter((w) => w !== mistralWire);
  // `GET /v1/models` exists in two APIs: the Anthropic SDK always sends `anthropic-version`.
  if (!vendor && req.headers['anthropic-version'] !== undefined) {
    wires = [anthropicWire, ...WIRES.filter((w) => w !== anthropicWire)];
  }
  for (const wire of wires) {
    for (const route of wire.routes) {
      if (route.method !== req.method) continue;
      const m = route.pattern.exec(path);
      if (m) return { wire, route, params: m.slice(1) };
    }
  }
  return undefined;
}
