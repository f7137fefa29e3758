import { SetMetadata } from '@nestjs/common';

/**
 * Who may call a route:
 * - `public`: anyone (health, metrics);
 * - `client` (the default): a gateway key when auth is on, anyone when it is off;
 * - `usage`: as `client`, and the admin key too (it sees every key's usage);
 * - `admin`: the admin key only, whether or not auth is on.
 */
export type Access = 'public' | 'client' | 'usage' | 'admin';

export const ACCESS_METADATA = 'gateway:access';

/** Sets the {@link Access} of a controller or handler. */
export const RequireAccess = (access: Access): MethodDecorator & ClassDecorator =>
  SetMetadata(ACCESS_METADATA, access);
