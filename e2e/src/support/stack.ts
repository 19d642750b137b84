import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../services/voucher-api/src/config.ts';
import { type RunningApi, startApi } from '../../../services/voucher-api/src/server.ts';

export interface Stack {
  /** The API's origin, which also serves /citizen/, /scanner/ and /console/. */
  baseUrl: string;
  stop(): Promise<void>;
}

/**
 * The whole local stack on embedded defaults, owned by the test: anvil on a free port with
 * the contracts deployed, the API on a fresh PGlite in a temp DATA_DIR, the demo
 * municipality seeded. The apps must be built first (npm run build:apps).
 */
export async function startStack(): Promise<Stack> {
  // For working on the tests: E2E_BASE_URL points them at a stack that is already running.
  if (process.env.E2E_BASE_URL) return { baseUrl: process.env.E2E_BASE_URL, stop: async () => {} };
  const dataDir = await mkdtemp(join(tmpdir(), 'e2e-data-'));
  const api: RunningApi = await startApi({
    config: loadConfig({
      ...process.env,
      // Always the embedded defaults: never a developer's own database or chain.
      DATABASE_URL: undefined,
      RPC_URL: undefined,
      DEPLOYMENT_FILE: undefined,
      DATA_DIR: dataDir,
      PORT: '0',
      LOG_LEVEL: 'warn',
      SEED_DEMO: 'true',
    }),
  });
  // localhost is a secure context, so WebCrypto, service workers and the camera all work.
  const baseUrl = api.url.replace('127.0.0.1', 'localhost');
  return {
    baseUrl,
    async stop() {
      await api.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
