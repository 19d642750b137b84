import { join } from 'node:path';
import { closeDatabase, createDatabase, type Database, migrate } from '@voucher/db';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import type { AppDeps } from './deps.ts';
import { type EnrolDemoCitizens, seedDemo } from './seed/demo.ts';
import { formatDemoLogins } from './seed/print-logins.ts';

export interface StartApiOptions {
  config?: Config;
  chainHealth?: AppDeps['chainHealth'];
  enrolDemoCitizens?: EnrolDemoCitizens;
}

export interface RunningApi {
  app: FastifyInstance;
  db: Database;
  url: string;
  stop(): Promise<void>;
}

/**
 * Opens the database (PGlite in DATA_DIR unless DATABASE_URL is set), applies migrations,
 * seeds the demo municipality when configured, and listens. The whole-stack starter (with
 * anvil and the chain gateway) calls this with its own chainHealth.
 */
export async function startApi(options: StartApiOptions = {}): Promise<RunningApi> {
  const config = options.config ?? loadConfig();
  const db = createDatabase({ databaseUrl: config.databaseUrl, dataDir: join(config.dataDir, 'pglite') });
  await migrate(db);
  const app = await buildApp({ config, db, chainHealth: options.chainHealth });
  for (const warning of config.warnings) app.log.warn(warning);
  const logins = config.seedDemo
    ? await seedDemo(app.deps, { enrolDemoCitizens: options.enrolDemoCitizens })
    : undefined;
  const address = await app.listen({ port: config.port, host: config.host });
  if (logins) app.log.info(`\n${formatDemoLogins(address, logins)}`);
  return {
    app,
    db,
    url: address,
    async stop() {
      await app.close();
      await closeDatabase(db);
    },
  };
}

/** Stops on the first Ctrl-C or SIGTERM, letting in-flight requests finish. */
function stopOnSignals(running: RunningApi): void {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      if (stopping) return;
      stopping = true;
      running.app.log.info({ signal }, 'shutting down');
      running.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          running.app.log.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}

async function main(): Promise<void> {
  try {
    stopOnSignals(await startApi());
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78);
    }
    throw error;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await main();
}
