import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';

/**
 * Emits `sw.js` with the exact list of files this build produced, so the first visit
 * caches everything the app needs to start offline (a runtime cache would miss the files
 * the page loaded before the worker took control). The version hash changes with the list,
 * which makes the browser install the new worker and drop the old cache.
 */
export function serviceWorkerPrecache(options: { cachePrefix: string; publicFiles: string[] }): Plugin {
  let base = '/';
  return {
    name: 'service-worker-precache',
    apply: 'build',
    configResolved(config) {
      base = config.base;
    },
    generateBundle(_options, bundle) {
      const files = Object.keys(bundle).filter((name) => !name.endsWith('.map'));
      const urls = [
        base,
        ...files.map((name) => base + name),
        ...options.publicFiles.map((name) => base + name),
      ];
      const version = createHash('sha256').update(urls.join('\n')).digest('hex').slice(0, 12);
      const template = readFileSync(join(import.meta.dirname, 'sw-template.js'), 'utf8');
      const source = template
        .replace('__PRECACHE_URLS__', JSON.stringify(urls))
        .replace('__CACHE_VERSION__', JSON.stringify(version))
        .replace('__BASE__', JSON.stringify(base))
        .replace('__CACHE_PREFIX__', JSON.stringify(options.cachePrefix));
      this.emitFile({ type: 'asset', fileName: 'sw.js', source });
    },
  };
}
