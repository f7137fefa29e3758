import { SetMetadata } from '@nestjs/common';

/**
 * Who may call a route:
 * - `public`: anyone (health);
 * - `client` (the default): a gateway key when auth is on, anyone when it is off;
 * - `usage`: as `client`, and the admin key too (it sees every key's usage);
 * - `operator`: what every tenant's traffic looks like (provider status): the admin key
 *   when auth is on, anyone when it is off;
 * - `metrics`: as `operator`, and `server.metricsToken` too; anyone with
 *   `server.metricsAccess: public`;
 * - `admin`: the admin key only, whether or not auth is on.
 */
export type Access = 'public' | 'client' | 'usage' | 'operator' | 'metrics' | 'admin';

export const ACCESS_METADATA = 'gateway:access';

/** Sets the {@link Access} of a controller or handler. */
export const RequireAccess = (access: Access): MethodDecorator & ClassDecorator =>
  SetMetadata(ACCESS_METADATA, access);
