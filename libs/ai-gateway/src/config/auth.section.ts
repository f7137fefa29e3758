import { AuthConfig } from './auth-config.schema';
import { fieldFromEnv, schemaSection } from './config-section';

/** `auth`: gateway keys and the admin key; the secrets usually come from the environment. */
export const authSection = schemaSection('auth', AuthConfig, {
  envShortcuts: [
    fieldFromEnv('GATEWAY_ADMIN_KEY', 'adminKey'),
    fieldFromEnv('GATEWAY_KEY_SECRET', 'hashSecret'),
  ],
  check: (auth, _config, context) => {
    // Keys are stored as HMACs under hashSecret: without it none can be made or checked.
    if ((auth.enabled || auth.adminKey) && !auth.hashSecret) {
      context.report(
        'auth.hashSecret: required when auth is enabled or an admin key is set (or GATEWAY_KEY_SECRET)',
      );
    }
  },
});
