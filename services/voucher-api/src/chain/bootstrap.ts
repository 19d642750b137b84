import { existsSync } from 'node:fs';
import { type Deployment, readDeployment, writeDeployment } from '@voucher/contracts';
import { deployContracts } from '@voucher/contracts/deploy';
import { chainEvents, chainOutbox, type Database } from '@voucher/db';
import { and, count, desc, isNotNull } from 'drizzle-orm';
import { type Address, type Chain, createWalletClient, type Hex, http } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { receiptIfMined } from './chain-errors.ts';
import { type ChainPublicClient, createChainPublicClient, describeChain } from './clients.ts';
import { ANVIL_DEV_ADMIN_KEY, type ChainLogger } from './config.ts';

/**
 * The database and the chain disagree about history: starting anyway would let the service
 * show grants, registrations or payments the chain has never heard of.
 */
export class ChainStateMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChainStateMismatchError';
  }
}

export interface BootstrapContext {
  db: Database;
  publicClient: ChainPublicClient;
  chain: Chain;
  rpcUrl: string;
  operatorKey: Hex;
  /** The local chain's admin, who deploys (see ANVIL_DEV_ADMIN_KEY). */
  developmentAdminKey: Hex | undefined;
  deploymentFile: string;
  logger: ChainLogger;
}

/**
 * Embedded default: reuse `deployment.json` when the chain still has the contracts (and a
 * brand-new database gets fresh contracts rather than ones an earlier database used), else
 * deploy afresh, unless the database already holds chain history. In that case we refuse
 * to start rather than redeploy: a fresh chain cannot be made to agree with the accounts,
 * grants and claims the database believes are on chain (replaying the outbox would give
 * new periods, timestamps and expired redemption signatures), and silently diverging is
 * the one failure nobody notices. The message says how to recover.
 */
export async function ensureEmbeddedDeployment(ctx: BootstrapContext): Promise<Deployment> {
  const existing = existsSync(ctx.deploymentFile) ? readDeployment(ctx.deploymentFile) : undefined;
  const history = await databaseChainHistory(ctx.db);
  if (existing && (await deploymentIsLive(ctx.publicClient, existing))) {
    if (history > 0 || !(await chainHasWritesSince(ctx, existing))) {
      await assertChainHoldsDatabaseHistory(ctx.db, ctx.publicClient);
      return existing;
    }
    // A new database beside an old chain: the old contracts hold accounts and programs this
    // database never made. Fresh contracts give it a clean slate; nothing refers to the old.
    ctx.logger.warn(
      { oldHub: existing.voucherHub },
      'new database on a used local chain: deploying fresh contracts',
    );
  } else if (history > 0) {
    throw new ChainStateMismatchError(
      `The database records ${history} chain transaction(s) or event(s), but the local chain has no contracts at ` +
        `the addresses in ${ctx.deploymentFile} (was anvil-state.json in the data folder deleted?). Restore the ` +
        'anvil state file, or start afresh by deleting the data folder (this deletes all local data).',
    );
  }
  if (!ctx.developmentAdminKey) throw new Error('the embedded chain needs its development admin to deploy');
  const deployment = await deployLocally({ ...ctx, developmentAdminKey: ctx.developmentAdminKey });
  writeDeployment(ctx.deploymentFile, deployment);
  ctx.logger.info(
    { ekrone: deployment.ekrone, voucherHub: deployment.voucherHub, chainId: deployment.chainId },
    'contracts deployed to the local chain',
  );
  return deployment;
}

/** `RPC_URL` + `DEPLOYMENT_FILE`: use what is there, and refuse a file that does not match the chain. */
export async function loadExistingDeployment(ctx: BootstrapContext): Promise<Deployment> {
  if (!existsSync(ctx.deploymentFile)) {
    throw new ChainStateMismatchError(`DEPLOYMENT_FILE: ${ctx.deploymentFile} does not exist`);
  }
  const deployment = readDeployment(ctx.deploymentFile);
  if (deployment.chainId !== ctx.chain.id) {
    throw new ChainStateMismatchError(
      `DEPLOYMENT_FILE is for chain ${deployment.chainId}, but RPC_URL serves chain ${ctx.chain.id}`,
    );
  }
  if (!(await deploymentIsLive(ctx.publicClient, deployment))) {
    throw new ChainStateMismatchError(
      `No contract code at the addresses in ${ctx.deploymentFile} on chain ${ctx.chain.id}`,
    );
  }
  await assertChainHoldsDatabaseHistory(ctx.db, ctx.publicClient);
  return deployment;
}

/**
 * Deploys to a local chain with the development admin as deployer, platform admin and
 * municipality registrar (on a real network: timelocks of named people, contracts/deploy/cli.ts).
 * The operator gets only what relaying needs: RELAYER_ROLE here, and the operational roles in
 * each municipality from that municipality's admin (src/municipalities/create-municipality.ts).
 * It is no admin, no registrar and no eKrone treasury: only the hub mints and burns, on
 * officers' passkey signatures. Admin delay 0: this is only for chains the service creates.
 */
export async function deployLocally(
  ctx: Pick<BootstrapContext, 'publicClient' | 'chain' | 'rpcUrl' | 'operatorKey'> & {
    developmentAdminKey: Hex;
  },
) {
  const admin = privateKeyToAccount(ctx.developmentAdminKey);
  const walletClient = createWalletClient({ account: admin, chain: ctx.chain, transport: http(ctx.rpcUrl) });
  return deployContracts({
    publicClient: ctx.publicClient as never,
    walletClient,
    adminDelaySeconds: 0,
    roles: {
      municipalityRegistrar: [admin.address],
      relayer: [privateKeyToAccount(ctx.operatorKey).address],
      ekroneTreasury: [],
      pauser: [admin.address],
    },
  });
}

/**
 * Deploys to a fresh local anvil with its development admin and writes the deployment file:
 * a chain the API is then given as `RPC_URL` + `DEPLOYMENT_FILE` + the two development keys
 * (tests, the bench).
 */
export async function deployToDevChain(
  rpcUrl: string,
  deploymentFile: string,
  operatorKey: Hex,
): Promise<Deployment> {
  const chain = await describeChain(rpcUrl);
  const deployment = await deployLocally({
    publicClient: createChainPublicClient(chain, rpcUrl),
    chain,
    rpcUrl,
    operatorKey,
    developmentAdminKey: ANVIL_DEV_ADMIN_KEY,
  });
  writeDeployment(deploymentFile, deployment);
  return deployment;
}

export async function deploymentIsLive(
  publicClient: ChainPublicClient,
  deployment: Deployment,
): Promise<boolean> {
  if ((await publicClient.getChainId()) !== deployment.chainId) return false;
  const codes = await Promise.all(
    [deployment.ekrone, deployment.voucherHub].map((address: Address) => publicClient.getCode({ address })),
  );
  return codes.every((code) => code !== undefined && code !== '0x');
}

/**
 * Did anyone write after deploying (i.e. did some database use these contracts)? The admin's
 * deployment ends with its last transaction; the operator sends nothing while deploying, so
 * any nonce it used since that block went to these contracts.
 */
async function chainHasWritesSince(ctx: BootstrapContext, deployment: Deployment): Promise<boolean> {
  const lastDeployTx = deployment.transactions.at(-1);
  if (!lastDeployTx) return false;
  const { nonce, from, blockNumber } = await ctx.publicClient.getTransaction({ hash: lastDeployTx });
  if ((await ctx.publicClient.getTransactionCount({ address: from })) > nonce + 1) return true;
  const operator = privateKeyToAccount(ctx.operatorKey).address;
  const [then, now] = await Promise.all([
    ctx.publicClient.getTransactionCount({ address: operator, blockNumber: blockNumber ?? undefined }),
    ctx.publicClient.getTransactionCount({ address: operator }),
  ]);
  return now > then;
}

/** Outbox rows that reached the chain, plus indexed events: what a fresh chain would contradict. */
async function databaseChainHistory(db: Database): Promise<number> {
  const [sent] = await db.select({ n: count() }).from(chainOutbox).where(isNotNull(chainOutbox.nonce));
  const [events] = await db.select({ n: count() }).from(chainEvents);
  return Number(sent?.n ?? 0) + Number(events?.n ?? 0);
}

/**
 * The newest transaction the database saw mined must still be on the chain. Catches an
 * anvil state file older than the database (a hard crash between state dumps) or a
 * deployment file pointing at a different network.
 */
async function assertChainHoldsDatabaseHistory(db: Database, publicClient: ChainPublicClient): Promise<void> {
  const [latest] = await db
    .select({ id: chainOutbox.id, txHash: chainOutbox.txHash, block: chainOutbox.confirmedBlock })
    .from(chainOutbox)
    .where(and(isNotNull(chainOutbox.confirmedBlock), isNotNull(chainOutbox.txHash)))
    .orderBy(desc(chainOutbox.confirmedBlock))
    .limit(1);
  if (!latest?.txHash) return;
  const receipt = await receiptIfMined(publicClient, latest.txHash as Hex);
  if (receipt) return;
  throw new ChainStateMismatchError(
    `The database saw outbox row ${latest.id} mined in block ${latest.block}, but the chain does not know ` +
      `transaction ${latest.txHash}: the chain state is older than the database. Restore the matching chain ` +
      'state, or start afresh by deleting the data folder (this deletes all local data).',
  );
}
