import { defineConfig } from 'vite';

/**
 * The console is served by the API under /console/ (same origin, so no CORS and the
 * API's security headers apply). In development, `npm run dev` proxies API calls to the
 * API given by VOUCHER_API_URL (default http://127.0.0.1:3000).
 */
const apiUrl = process.env.VOUCHER_API_URL ?? 'http://127.0.0.1:3000';
const apiPaths = [
  '/auth',
  '/citizens',
  '/programs',
  '/providers',
  '/periods',
  '/settlements',
  '/bank-notifications',
  '/public',
  '/staff',
];

export default defineConfig({
  base: '/console/',
  // Preact's automatic JSX runtime through Vite's built-in oxc transform (no Babel plugin).
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: {
    proxy: Object.fromEntries(apiPaths.map((path) => [path, { target: apiUrl, changeOrigin: false }])),
  },
});
