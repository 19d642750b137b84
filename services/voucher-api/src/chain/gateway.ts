import { join } from 'node:path';
import type { Deployment } from '@voucher/contracts';
import type { Database } from '@voucher/db';
import { type Address, type Chain, numberToHex, parseEther } from 'viem';
import type { ChainHealth } from '../deps.ts';
import { type BootstrapContext, ensureEmbeddedDeployment, loadExistingDeployment } from './bootstrap.ts';
import { type ChainPublicClient, createChainPublicClient, describeChain } from './clients.ts';
import {
  type ChainGatewayConfig,
  type ChainLogger,
  confirmationsFor,
  developmentAdminKeyFor,
  LOCAL_DEVELOPMENT_CHAIN_ID,
  operatorKeyFor,
} from './config.ts';
import { EventIndexer, type IndexReport } from './indexer.ts';
import type { ContractAddresses } from './intent-call.ts';
import { type LocalAnvil, startLocalAnvil } from './local-anvil.ts';
import { type DrainReport, OutboxSender, type OutboxSenderOptions } from './outbox-sender.ts';
import { createPollingLoop } from './polling-loop.ts';
import { OutboxSigners } from './signers.ts';
import { type OutboxOutcome, waitForOutbox } from './wait-for-outbox.ts';

export interface ChainGateway {
  /** For /readyz: the RPC answers. */
  chainHealth: ChainHealth;
  outbox: {
    start(): void;
    stop(): Promise<void>;
    drainOnce(): Promise<DrainReport>;
    /** Resolves when the row is confirmed or failed, or with status 'pending' at the timeout. */
    waitFor(id: bigint, timeoutMs: number): Promise<OutboxOutcome>;
    /** Sends what is queued now instead of at the next interval (drains once without a loop). */
    wake(): void;
  };
  indexer: { start(): void; stop(): Promise<void>; indexOnce(): Promise<IndexReport> };
  addresses: ContractAddresses;
  deployment: Deployment;
  chainId: number;
  operatorAddress: Address;
  /** A local development chain's admin (signer 'development-admin'); undefined on a real network. */
  developmentAdminAddress: Address | undefined;
  publicClient: ChainPublicClient;
  rpcUrl: string;
  /** Stops both loops, then the embedded anvil (which writes its state file). */
  close(): Promise<void>;
}

export interface ChainGatewayOptions {
  /** How often the loops poll when idle. */
  pollIntervalMs?: number;
  maxBackoffMs?: number;
  /** Test seam, see OutboxSenderOptions.afterSigned. */
  afterSigned?: OutboxSenderOptions['afterSigned'];
  /** Test seam, see OutboxSenderOptions.gasPerRedemption. */
  gasPerRedemption?: bigint;
}

/**
 * The chain as the API sees it. With `RPC_URL`, the existing deployment in `DEPLOYMENT_FILE`
 * is verified and used. Without it, anvil starts from node_modules with its state in
 * `DATA_DIR/anvil-state.json` and the contracts are deployed once (see bootstrap.ts).
 * The loops are not started here: the server starts them once it listens.
 */
export async function createChainGateway(
  config: ChainGatewayConfig,
  db: Database,
  logger: ChainLogger,
  options: ChainGatewayOptions = {},
): Promise<ChainGateway> {
  const operatorKey = operatorKeyFor(config);
  const developmentAdminKey = developmentAdminKeyFor(config);
  const anvil = config.rpcUrl ? undefined : await startEmbeddedChain(config, logger);
  try {
    const rpcUrl = config.rpcUrl ?? (anvil as LocalAnvil).rpcUrl;
    const chain = await describeChain(rpcUrl);
    if (developmentAdminKey && chain.id !== LOCAL_DEVELOPMENT_CHAIN_ID) {
      throw new Error(
        `DEVELOPMENT_ADMIN_PRIVATE_KEY: refused on chain ${chain.id}; a development admin exists only on a local ` +
          `anvil (chain ${LOCAL_DEVELOPMENT_CHAIN_ID}). On a real network the admins are timelocks of named people.`,
      );
    }
    const publicClient = createChainPublicClient(chain, rpcUrl);
    const ctx: BootstrapContext = {
      db,
      publicClient,
      chain,
      rpcUrl,
      operatorKey,
      developmentAdminKey,
      deploymentFile: config.deploymentFile,
      logger,
    };
    const signers = new OutboxSigners(operatorKey, developmentAdminKey);
    if (anvil) {
      await fundOnLocalChain(publicClient, signers.operator.address);
      if (signers.developmentAdmin) await fundOnLocalChain(publicClient, signers.developmentAdmin.address);
    }
    const deployment = anvil ? await ensureEmbeddedDeployment(ctx) : await loadExistingDeployment(ctx);
    return assemble({ config, db, logger, options, chain, publicClient, rpcUrl, signers, deployment, anvil });
  } catch (error) {
    await anvil?.stop();
    throw error;
  }
}

interface AssembleInput {
  config: ChainGatewayConfig;
  db: Database;
  logger: ChainLogger;
  options: ChainGatewayOptions;
  chain: Chain;
  publicClient: ChainPublicClient;
  rpcUrl: string;
  signers: OutboxSigners;
  deployment: Deployment;
  anvil: LocalAnvil | undefined;
}

function assemble(input: AssembleInput): ChainGateway {
  const { db, logger, options, publicClient, deployment } = input;
  const addresses: ContractAddresses = { hub: deployment.voucherHub, ekrone: deployment.ekrone };
  const confirmations = confirmationsFor(input.config);
  const sender = new OutboxSender({
    db,
    publicClient,
    chain: input.chain,
    addresses,
    signers: input.signers,
    confirmations,
    logger,
    afterSigned: options.afterSigned,
    gasPerRedemption: options.gasPerRedemption,
  });
  const indexer = new EventIndexer({
    db,
    publicClient,
    chainId: input.chain.id,
    addresses,
    deployedAtBlock: BigInt(deployment.deployedAtBlock),
    confirmations,
    logger,
  });
  const loopOptions = {
    intervalMs: options.pollIntervalMs ?? 500,
    maxBackoffMs: options.maxBackoffMs ?? 30_000,
    logger,
  };
  const senderLoop = createPollingLoop('outbox', () => sender.drainOnce(), loopOptions);
  const indexerLoop = createPollingLoop('indexer', () => indexer.indexOnce(), loopOptions);
  let senderStarted = false;
  // Without the loop (tests, scripts) a waiting caller drains itself; errors surface as a
  // 'pending' outcome at the timeout, and the row stays safely queued.
  const nudgeSender = () =>
    senderStarted ? senderLoop.wake() : void sender.drainSoon().catch(() => undefined);
  logger.info(
    { chainId: input.chain.id, hub: addresses.hub, ekrone: addresses.ekrone, confirmations },
    'chain gateway ready',
  );
  return {
    chainHealth: () => chainHealth(publicClient),
    outbox: {
      start() {
        senderStarted = true;
        senderLoop.start();
      },
      async stop() {
        senderStarted = false;
        await senderLoop.stop();
      },
      drainOnce: () => sender.drainOnce(),
      waitFor: (id, timeoutMs) => waitForOutbox(db, id, timeoutMs, nudgeSender),
      wake: nudgeSender,
    },
    indexer: { start: indexerLoop.start, stop: indexerLoop.stop, indexOnce: () => indexer.indexOnce() },
    addresses,
    deployment,
    chainId: input.chain.id,
    operatorAddress: input.signers.operator.address,
    developmentAdminAddress: input.signers.developmentAdmin?.address,
    publicClient,
    rpcUrl: input.rpcUrl,
    async close() {
      senderStarted = false;
      await Promise.all([senderLoop.stop(), indexerLoop.stop()]);
      // A drain started by waitFor may still be talking to the chain and the database.
      await sender.idle();
      await input.anvil?.stop();
    },
  };
}

async function startEmbeddedChain(config: ChainGatewayConfig, logger: ChainLogger): Promise<LocalAnvil> {
  const stateFile = join(config.dataDir, 'anvil-state.json');
  const anvil = await startLocalAnvil({ stateFile });
  logger.info({ rpcUrl: anvil.rpcUrl }, 'local anvil chain started');
  return anvil;
}

/** Gas is free on the local chain, but a configured operator key may still hold no ether. */
async function fundOnLocalChain(publicClient: ChainPublicClient, address: Address): Promise<void> {
  if ((await publicClient.getBalance({ address })) > 0n) return;
  await publicClient.request({
    method: 'anvil_setBalance',
    params: [address, numberToHex(parseEther('1000'))],
  } as never);
}

const HEALTH_TIMEOUT_MS = 2000;

async function chainHealth(publicClient: ChainPublicClient): Promise<{ ok: boolean; detail?: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), HEALTH_TIMEOUT_MS);
  });
  try {
    const block = await Promise.race([publicClient.getBlockNumber({ cacheTime: 0 }), timeout]);
    return { ok: true, detail: `block ${block}` };
  } catch {
    return { ok: false, detail: 'chain RPC unreachable' };
  } finally {
    clearTimeout(timer);
  }
}
