import { defineConfig } from 'vite';
import { serviceWorkerPrecache } from '../citizen-pwa/scripts/service-worker-plugin.ts';

/** Served by the API under /scanner/. JSX goes to Preact through Vite's own transformer (oxc). */
export default defineConfig({
  root: import.meta.dirname,
  base: '/scanner/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2020', reportCompressedSize: true },
  plugins: [
    serviceWorkerPrecache({
      cachePrefix: 'scanner-',
      publicFiles: ['manifest.webmanifest', 'icon-192.png', 'icon-512.png', 'icon.svg'],
    }),
  ],
});
