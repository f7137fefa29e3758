import { schemaSection } from './config-section';
import { RoutingConfig } from './routing-config.schema';

/** `routing`: defaults of every route and of requests naming one model. */
export const routingSection = schemaSection('routing', RoutingConfig);
