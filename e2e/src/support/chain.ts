import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ekroneAbi, voucherHubAbi } from '@voucher/contracts';
import { type Address, createPublicClient, http } from 'viem';
import { loadConfig } from '../../../services/voucher-api/src/config.ts';
import { type RunningApi, startApi } from '../../../services/voucher-api/src/server.ts';
import type { Stack } from './stack.ts';

export interface ChainStack extends Stack {
  /** The RPC of the chain the API writes to (its embedded anvil). */
  rpcUrl: string;
}

/**
 * The same local stack as startStack (anvil with the contracts, the API on a fresh PGlite,
 * the demo seeded), also telling where its chain answers, so a journey can read the chain
 * itself. E2E_BASE_URL with E2E_RPC_URL points it at a stack that is already running.
 */
export async function startStackWithChain(): Promise<ChainStack> {
  if (process.env.E2E_BASE_URL) {
    const rpcUrl = process.env.E2E_RPC_URL;
    if (!rpcUrl) throw new Error('E2E_BASE_URL needs E2E_RPC_URL to read the chain');
    return { baseUrl: process.env.E2E_BASE_URL, rpcUrl, stop: async () => {} };
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'e2e-data-'));
  const api: RunningApi = await startApi({
    config: loadConfig({
      ...process.env,
      DATABASE_URL: undefined,
      RPC_URL: undefined,
      DEPLOYMENT_FILE: undefined,
      DATA_DIR: dataDir,
      PORT: '0',
      LOG_LEVEL: 'warn',
      SEED_DEMO: 'true',
    }),
  });
  if (!api.chain) throw new Error('the API started without its chain');
  // localhost, not 127.0.0.1: a secure context, and a host WebAuthn takes as relying party id.
  const baseUrl = api.url.replace('127.0.0.1', 'localhost');
  return {
    baseUrl,
    rpcUrl: api.chain.rpcUrl,
    async stop() {
      await api.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Ledger {
  mintedOre: bigint;
  burnedOre: bigint;
  inTransitOre: bigint;
}

/**
 * Reads the hub and eKrone straight from the chain, at the addresses the API publishes
 * (GET /public/chain), as anyone with the RPC could.
 */
export async function chainReader(baseUrl: string, rpcUrl: string) {
  const response = await fetch(`${baseUrl}/public/chain`);
  if (!response.ok) throw new Error(`GET /public/chain: ${response.status}`);
  const { hub, ekrone } = (await response.json()) as { hub: Address; ekrone: Address };
  const client = createPublicClient({ transport: http(rpcUrl) });
  const readHub = <T>(functionName: string, args: readonly unknown[]) =>
    client.readContract({ address: hub, abi: voucherHubAbi, functionName, args } as never) as Promise<T>;
  return {
    ledgerOf: (municipalityId: number) => readHub<Ledger>('ledgerOf', [municipalityId]),
    inTransitOf: (municipalityId: number, periodId: number, providerId: number) =>
      readHub<bigint>('inTransitOf', [municipalityId, periodId, providerId]),
    hasMunicipalRole: (municipalityId: number, role: `0x${string}`, account: Address) =>
      readHub<boolean>('hasMunicipalRole', [municipalityId, role, account]),
    totalSupply: () => client.readContract({ address: ekrone, abi: ekroneAbi, functionName: 'totalSupply' }),
  };
}

export type ChainReader = Awaited<ReturnType<typeof chainReader>>;
