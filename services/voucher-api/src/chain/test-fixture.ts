import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chainOutbox, type Database } from '@voucher/db';
import { inArray } from 'drizzle-orm';
import { type Hex, toHex } from 'viem';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { createMunicipality } from '../municipalities/create-municipality.ts';
import { type ChainWriteIntent, enqueueChainWrite } from '../outbox/enqueue.ts';
import { deployToDevChain } from './bootstrap.ts';
import {
  ANVIL_DEV_ADMIN_KEY,
  ANVIL_DEV_OPERATOR_KEY,
  type ChainGatewayConfig,
  type ChainLogger,
} from './config.ts';
import { type ChainGatewayOptions, createChainGateway } from './gateway.ts';
import { type LocalAnvil, startLocalAnvil } from './local-anvil.ts';
import { DEVELOPMENT_ADMIN_SIGNER } from './signers.ts';

/** The test municipality's own bank account (valid checksum; never a provider's). */
const TEST_DEBTOR = { debtorIban: 'DK9520000123456789', debtorBic: 'NDEADKKK' } as const;

/** Tests run quietly; set CHAIN_TEST_LOGS=1 to see what the gateway says. */
export const testLogger: ChainLogger = process.env.CHAIN_TEST_LOGS
  ? { debug: console.debug, info: console.info, warn: console.warn, error: console.error }
  : { debug() {}, info() {}, warn() {}, error() {} };

export const TEST_MUNICIPALITY_ID = 101;

export interface ChainFixture {
  anvil: LocalAnvil;
  database: TestDatabase;
  db: Database;
  config: ChainGatewayConfig;
  /** A gateway on the fixture's chain; `rpcUrl` reaches the same anvil another way (a proxy). */
  gateway(
    options?: ChainGatewayOptions & { confirmations?: number; rpcUrl?: string },
  ): ReturnType<typeof createChainGateway>;
  close(): Promise<void>;
}

/**
 * A throwaway anvil (no state file) with the contracts deployed, a fresh migrated database
 * (PGlite, or PostgreSQL with TEST_DATABASE_URL) and gateways pointed at both as if they
 * were an existing chain (`RPC_URL` + `DEPLOYMENT_FILE`).
 */
export async function createChainFixture(): Promise<ChainFixture> {
  const anvil = await startLocalAnvil();
  try {
    return await prepareFixture(anvil);
  } catch (error) {
    await anvil.stop();
    throw error;
  }
}

async function prepareFixture(anvil: LocalAnvil): Promise<ChainFixture> {
  const database = await createTestDatabase();
  await database.db.transaction((tx) =>
    createMunicipality(tx, { id: TEST_MUNICIPALITY_ID, name: 'Testkommune', ...TEST_DEBTOR }),
  );
  const dataDir = mkdtempSync(join(tmpdir(), 'voucher-chain-test-'));
  const deploymentFile = join(dataDir, 'deployment.json');
  await deployToDevChain(anvil.rpcUrl, deploymentFile, ANVIL_DEV_OPERATOR_KEY);
  const config: ChainGatewayConfig = {
    dataDir,
    rpcUrl: anvil.rpcUrl,
    deploymentFile,
    masterKey: randomBytes(32),
    operatorPrivateKey: ANVIL_DEV_OPERATOR_KEY,
    developmentAdminPrivateKey: ANVIL_DEV_ADMIN_KEY,
    chainConfirmations: 0,
  };
  const gateways: { close(): Promise<void> }[] = [];
  return {
    anvil,
    database,
    db: database.db,
    config,
    async gateway(options = {}) {
      const { confirmations, rpcUrl, ...rest } = options;
      const withDepth = {
        ...config,
        rpcUrl: rpcUrl ?? config.rpcUrl,
        chainConfirmations: confirmations ?? config.chainConfirmations,
      };
      const gateway = await createChainGateway(withDepth, database.db, testLogger, {
        pollIntervalMs: 50,
        ...rest,
      });
      gateways.push(gateway);
      return gateway;
    },
    async close() {
      for (const gateway of gateways) await gateway.close();
      await database.drop();
      await anvil.stop();
    },
  };
}

export function randomAccountId(): Hex {
  return toHex(randomBytes(32));
}

export async function enqueue(
  db: Database,
  intent: Omit<ChainWriteIntent, 'idempotencyKey'> & { idempotencyKey?: string },
) {
  return db.transaction((tx) =>
    enqueueChainWrite(tx, { idempotencyKey: `test:${randomBytes(8).toString('hex')}`, ...intent }),
  );
}

export function registerAccountIntent(account: Hex, municipalityId = TEST_MUNICIPALITY_ID) {
  return {
    kind: 'account.register',
    contract: 'hub',
    functionName: 'registerAccount',
    args: [String(municipalityId), account],
  } as const;
}

/** An intent that gives `holder` one of the test municipality's roles, sent by its (development) admin. */
export function municipalRoleIntent(role: Hex, holder: string) {
  return {
    kind: 'test.municipal-role',
    contract: 'hub',
    signer: DEVELOPMENT_ADMIN_SIGNER,
    functionName: 'grantMunicipalRole',
    args: [String(TEST_MUNICIPALITY_ID), role, holder],
  } as const;
}

/** Drains until no row is queued or in flight: anvil may mine a moment after accepting. */
export async function drainUntilSettled(
  gateway: { outbox: { drainOnce(): Promise<unknown> } },
  db: Database,
) {
  for (let round = 0; round < 50; round++) {
    await gateway.outbox.drainOnce();
    const open = await db
      .select({ id: chainOutbox.id })
      .from(chainOutbox)
      .where(inArray(chainOutbox.status, ['queued', 'signed', 'sent']))
      .limit(1);
    if (open.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('outbox did not settle');
}
