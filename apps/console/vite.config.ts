import { join } from 'node:path';
import { defineConfig } from 'vite';
import { bundleBudget } from './vite/bundle-budget';

const workspaceRoot = join(import.meta.dirname, '..', '..');

/** Gzipped JavaScript the console may ship (checked on every build). */
const JS_BUDGET_BYTES = 300 * 1024;

/**
 * The operator console: Preact + uPlot, built into dist/console (served by the gateway at
 * /console/). Vite 8 transforms with Oxc: JSX is compiled for Preact's automatic runtime
 * here, without @preact/preset-vite. `npx nx run console:dev` serves it with hot reload
 * and forwards the API to a gateway (GATEWAY_URL, default http://127.0.0.1:8080).
 */
// eslint-disable-next-line no-restricted-syntax -- Vite reads a config file's default export
export default defineConfig({
  root: import.meta.dirname,
  base: '/console/',
  publicDir: 'public',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: join(workspaceRoot, 'dist', 'console'),
    emptyOutDir: true,
    target: 'es2022',
    // No inline data: URLs and no preload polyfill: the page runs under a strict CSP.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
  plugins: [bundleBudget(JS_BUDGET_BYTES)],
  server: {
    port: 5173,
    proxy: Object.fromEntries(
      ['/v1', '/health'].map((path) => [
        path,
        { target: process.env.GATEWAY_URL ?? 'http://127.0.0.1:8080', changeOrigin: false },
      ]),
    ),
  },
});
