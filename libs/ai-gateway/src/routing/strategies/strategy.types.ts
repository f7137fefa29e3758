import type { ModelInfoConfig } from '../../config/gateway-config.schema';
import type { LatencyEstimate } from '../latency-tracker.service';
import type { RouteTarget } from '../model-resolver.service';

/** What a request needs from a model, estimated before any call. */
export interface RequestRequirements {
  tools: boolean;
  /** `response_format` asks for JSON (`json_object` or `json_schema`). */
  json: boolean;
  /** A message carries an image. */
  vision: boolean;
  /** Estimated prompt size (see `requirementsOf` in `capability.filter.ts`). */
  promptTokens: number;
  /** `max_completion_tokens`, else `max_tokens`, else `DEFAULT_OUTPUT_TOKENS`. */
  maxOutputTokens: number;
}

/** One target a strategy may put in order, with what the router knows about it. */
export interface Candidate {
  target: RouteTarget;
  /**
   * Position in the resolved order: the route's config order, or for a bare model the
   * providers' `priority` then config order, or the named target first for an explicit
   * `provider/model` with fallback. Every strategy breaks ties by it, so orders are stable.
   */
  index: number;
  /** `providers.<p>.modelInfo[<model>]`; absent means "unknown". */
  info?: ModelInfoConfig;
  /** The route's weight for this target (`weighted` strategy); absent means 1. */
  weight?: number;
}

/** Read side of the latency tracker, all the `latency` strategy needs. */
export interface LatencyReader {
  ewma(provider: string, model: string): LatencyEstimate;
}

/** Everything a strategy may look at besides the candidates; built once per request. */
export interface StrategyContext {
  requirements: RequestRequirements;
  /** Streams are ranked by time to first token, other calls by total latency. */
  stream: boolean;
  latency: LatencyReader;
  /** Uniform in [0, 1); injected so that tests choose the draw. */
  random: () => number;
  /** Round-robin turn of the route (a counter the planner holds per route). */
  rotation: number;
}

/**
 * A routing strategy: a pure function returning the candidates in the order they should be
 * tried. It never mutates its input and breaks ties by `Candidate.index`.
 */
export type RoutingStrategyFn = (candidates: Candidate[], ctx: StrategyContext) => Candidate[];

/** Orders by `index`, the resolved order; the tie-breaker of every strategy. */
export function byIndex(a: Candidate, b: Candidate): number {
  return a.index - b.index;
}
