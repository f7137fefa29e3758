import type { ChatRequest } from '../types/unified';
import type { MiddlewareContext } from './gateway-middleware';

/** A middleware's context for specs: the decision it records is readable as `decision`. */
export type SpecContext = MiddlewareContext & { decision?: string };

/** The context of `request` (one user message `hi` by default), with `more` on top. */
export function middlewareContext(
  request: ChatRequest = { model: 'm', messages: [{ role: 'user', content: 'hi' }] },
  more: Partial<MiddlewareContext> = {},
): SpecContext {
  const context: SpecContext = {
    request,
    requestId: 'r1',
    operation: 'chat',
    state: new Map(),
    decide: (decision) => (context.decision = decision),
    ...more,
  };
  return context;
}
