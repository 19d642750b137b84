import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../../services/voucher-api/src/config.ts';
import { type RunningApi, startApi } from '../../../services/voucher-api/src/server.ts';

const CONSOLE_ROOT = fileURLToPath(new URL('../../../apps/municipal-console/', import.meta.url));

export interface ConsoleStack {
  /** Origin serving the API and the console under /console/. */
  baseUrl: string;
  stop(): Promise<void>;
}

/**
 * A whole local stack for the console's own smoke test: anvil, the API on a fresh PGlite
 * with the demo municipality, and the built console. The API serves the console itself
 * (services/voucher-api/src/web-apps); when it does not (yet), a Vite preview server serves
 * dist/ and proxies the API, so the console is still tested against the real API.
 * Set CONSOLE_BASE_URL to test an already running stack instead.
 */
export async function startConsoleStack(): Promise<ConsoleStack> {
  if (process.env.CONSOLE_BASE_URL) return { baseUrl: process.env.CONSOLE_BASE_URL, stop: async () => {} };
  await buildConsole();
  const dataDir = await mkdtemp(join(tmpdir(), 'console-smoke-'));
  const api: RunningApi = await startApi({
    config: loadConfig({
      ...process.env,
      DATA_DIR: dataDir,
      PORT: '0',
      LOG_LEVEL: 'warn',
      SEED_DEMO: 'true',
    }),
  });
  const apiUrl = api.url.replace('127.0.0.1', 'localhost');
  const stopApi = async () => {
    await api.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
  if (await servesConsole(apiUrl)) return { baseUrl: apiUrl, stop: stopApi };
  const preview = await previewConsole(apiUrl);
  return {
    baseUrl: preview.url,
    async stop() {
      await preview.close();
      await stopApi();
    },
  };
}

async function buildConsole(): Promise<void> {
  const { build } = await import('vite');
  await build({ root: CONSOLE_ROOT, configFile: join(CONSOLE_ROOT, 'vite.config.ts'), logLevel: 'warn' });
}

async function servesConsole(baseUrl: string): Promise<boolean> {
  const response = await fetch(`${baseUrl}/console/`, { headers: { accept: 'text/html' } });
  return response.ok && (await response.text()).includes('/console/assets/');
}

async function previewConsole(apiUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  const { preview } = await import('vite');
  process.env.VOUCHER_API_URL = apiUrl;
  const server = await preview({
    root: CONSOLE_ROOT,
    configFile: join(CONSOLE_ROOT, 'vite.config.ts'),
    preview: { port: 0, host: '127.0.0.1', strictPort: false },
    logLevel: 'warn',
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report its address');
  return { url: new URL(url).origin, close: () => server.close() };
}
