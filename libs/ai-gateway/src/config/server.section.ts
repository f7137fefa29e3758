import type { EnvShortcut } from './config-section';
import { schemaSection } from './config-section';
import { ServerConfig } from './server-config.schema';

/**
 * `PORT` (as platforms set it) wins over the file's `server.port`; a bad value is reported
 * under the variable's own name.
 */
const portFromEnv: EnvShortcut = {
  variable: 'PORT',
  apply: (section, value, context) => {
    const port = Number(value);
    if (Number.isInteger(port) && port >= 0 && port < 65_536) section.port = port;
    else context.report(`PORT: must be an integer between 0 and 65535 (got "${value}")`);
  },
};

/** `server`: where the HTTP app listens and how it guards its connections. */
export const serverSection = schemaSection('server', ServerConfig, {
  envShortcuts: [portFromEnv],
});
