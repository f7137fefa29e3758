import type { RoutingStrategy } from '../../config/gateway-config.schema';
import { capabilityStrategy } from './capability.strategy';
import { costStrategy } from './cost.strategy';
import { latencyStrategy } from './latency.strategy';
import { priorityStrategy } from './priority.strategy';
import { roundRobinStrategy } from './round-robin.strategy';
import type { RoutingStrategyFn } from './strategy.types';
import { weightedStrategy } from './weighted.strategy';

/** Every configurable strategy by its config name; a missing one fails to compile. */
export const ROUTING_STRATEGY_FNS: Readonly<Record<RoutingStrategy, RoutingStrategyFn>> = {
  priority: priorityStrategy,
  cost: costStrategy,
  latency: latencyStrategy,
  capability: capabilityStrategy,
  'round-robin': roundRobinStrategy,
  weighted: weightedStrategy,
};
