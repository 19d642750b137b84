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
 * with the demo municipality, serving the console built from the current sources.
 * CONSOLE_BASE_URL (or E2E_BASE_URL) points the test at a stack that is already running.
 */
export async function startConsoleStack(): Promise<ConsoleStack> {
  const running = process.env.CONSOLE_BASE_URL ?? process.env.E2E_BASE_URL;
  if (running) return { baseUrl: running.replace(/\/$/, ''), stop: async () => {} };
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
  // localhost is a secure context (crypto.randomUUID, downloads), like production's HTTPS.
  const baseUrl = api.url.replace('127.0.0.1', 'localhost');
  const stop = async () => {
    await api.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
  const response = await fetch(`${baseUrl}/console/`, { headers: { accept: 'text/html' } });
  if (!(await response.text()).includes('/console/assets/')) {
    await stop();
    throw new Error('the API does not serve the console at /console/');
  }
  return { baseUrl, stop };
}

/** The API serves dist/ as it finds it at start, so build the current sources first. */
async function buildConsole(): Promise<void> {
  const { build } = await import('vite');
  await build({ root: CONSOLE_ROOT, configFile: join(CONSOLE_ROOT, 'vite.config.ts'), logLevel: 'warn' });
}
