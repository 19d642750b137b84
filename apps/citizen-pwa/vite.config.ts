import { defineConfig } from 'vite';
import { serviceWorkerPrecache } from './scripts/service-worker-plugin.ts';

/**
 * Served by the API under /citizen/. JSX goes to Preact through Vite's own transformer
 * (oxc), so no Babel-based preset is needed.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/citizen/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2020', reportCompressedSize: true },
  plugins: [
    serviceWorkerPrecache({
      cachePrefix: 'citizen-',
      publicFiles: ['manifest.webmanifest', 'icon-192.png', 'icon-512.png', 'icon.svg'],
    }),
  ],
});
