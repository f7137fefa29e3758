import type { Plugin } from 'vite';
import { gzipSync } from 'node:zlib';

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

/**
 * Prints the gzipped size of the console's JavaScript after a build and fails the build
 * when it is over `maxGzipBytes` (the console must load fast on a slow link).
 */
export function bundleBudget(maxGzipBytes: number): Plugin {
  return {
    name: 'console-bundle-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      let raw = 0;
      let gzipped = 0;
      let css = 0;
      for (const item of Object.values(bundle)) {
        if (item.type === 'chunk') {
          raw += Buffer.byteLength(item.code);
          gzipped += gzipSync(item.code, { level: 9 }).length;
        } else if (item.fileName.endsWith('.css')) {
          css += gzipSync(item.source, { level: 9 }).length;
        }
      }
      console.log(
        `console JavaScript: ${kib(raw)} raw, ${kib(gzipped)} gzipped ` +
          `(budget ${kib(maxGzipBytes)} gzipped); CSS ${kib(css)} gzipped`,
      );
      if (gzipped > maxGzipBytes) {
        this.error(
          `console JavaScript is ${kib(gzipped)} gzipped, over its ${kib(maxGzipBytes)} budget`,
        );
      }
    },
  };
}
