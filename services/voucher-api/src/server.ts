import { join } from 'node:path';
import { closeDatabase, createDatabase, type Database, migrate } from '@voucher/db';
import type { FastifyInstance } from 'fastify';
import { type LoggerOptions, pino } from 'pino';
import { buildApp } from './app.ts';
import { ChainStateMismatchError } from './chain/bootstrap.ts';
import { type ChainGateway, createChainGateway } from './chain/gateway.ts';
import { assertOperatorOnlyRelays, OperatorRoleError } from './chain/operator-roles.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { loggerOptions } from './logger.ts';
import { type EnrolDemoCitizens, type SeedDemoOptions, seedDemo } from './seed/demo.ts';
import { enrolDemoCitizens } from './seed/demo-citizens.ts';
import { DemoSeedRefusedError } from './seed/demo-treasury-key.ts';
import { formatDemoLogins } from './seed/print-logins.ts';

export interface StartApiOptions {
  config?: Config;
  /** Without it, the API runs without a chain (tests of routes that never touch it). */
  withChain?: boolean;
  enrolDemoCitizens?: EnrolDemoCitizens;
  /** Test-only: see SeedDemoOptions.treasuryKeys. */
  treasuryKeys?: SeedDemoOptions['treasuryKeys'];
}

export interface RunningApi {
  app: FastifyInstance;
  db: Database;
  chain: ChainGateway | undefined;
  url: string;
  stop(): Promise<void>;
}

/**
 * The whole service: opens the database (PGlite in DATA_DIR unless DATABASE_URL is set) and
 * applies migrations, connects the chain (an embedded anvil with the contracts deployed
 * unless RPC_URL is set), seeds the demo municipality when configured, listens, and only
 * then starts the outbox sender and the event indexer.
 */
export async function startApi(options: StartApiOptions = {}): Promise<RunningApi> {
  const config = options.config ?? loadConfig();
  const db = createDatabase({ databaseUrl: config.databaseUrl, dataDir: join(config.dataDir, 'pglite') });
  await migrate(db);
  const chain =
    options.withChain === false
      ? undefined
      : await createChainGateway(config, db, pino(loggerOptions(config.logLevel) as LoggerOptions));
  if (chain) {
    // The service's key must only relay (no money, admin or registrar role): refuse before anything runs.
    try {
      await assertOperatorOnlyRelays(chain, db);
    } catch (error) {
      await chain.close();
      await closeDatabase(db);
      throw error;
    }
  }
  const app = await buildApp({ config, db, chainHealth: chain?.chainHealth, chain });
  for (const warning of config.warnings) app.log.warn(warning);
  let logins: Awaited<ReturnType<typeof seedDemo>> | undefined;
  try {
    logins = config.seedDemo
      ? await seedDemo(app.deps, {
          enrolDemoCitizens: options.enrolDemoCitizens ?? enrolDemoCitizens,
          ...(options.treasuryKeys ? { treasuryKeys: options.treasuryKeys } : {}),
        })
      : undefined;
  } catch (error) {
    await app.close();
    await chain?.close();
    await closeDatabase(db);
    throw error;
  }
  app.demoLogins = logins;
  const address = await app.listen({ port: config.port, host: config.host });
  chain?.outbox.start();
  chain?.indexer.start();
  if (logins) app.log.info(`\n${formatDemoLogins(address, logins)}`);
  return {
    app,
    db,
    chain,
    url: address,
    // Loops stop before anvil writes its state, and both before the database closes.
    async stop() {
      await app.close();
      await chain?.close();
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

/** Starts the API from the command line: `src/main.ts`, built into `dist/server.js`. */
export async function main(): Promise<void> {
  try {
    stopOnSignals(await startApi());
  } catch (error) {
    if (
      error instanceof ConfigError ||
      error instanceof ChainStateMismatchError ||
      error instanceof OperatorRoleError ||
      error instanceof DemoSeedRefusedError
    ) {
      console.error(error.message);
      process.exit(78);
    }
    throw error;
  }
}
