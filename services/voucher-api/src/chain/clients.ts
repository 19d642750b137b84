import { type Chain, createPublicClient, defineChain, http, type PublicClient, type Transport } from 'viem';

import { keepAliveFetch } from './keep-alive-fetch.ts';

export type ChainPublicClient = PublicClient<Transport, Chain>;

/** A viem chain description for whatever network the RPC serves (its id asked once). */
export async function describeChain(rpcUrl: string): Promise<Chain> {
  const probe = createPublicClient({ transport: http(rpcUrl, { retryCount: 1 }) });
  const id = await probe.getChainId();
  return defineChain({
    id,
    name: `voucher-chain-${id}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
}

export function createChainPublicClient(
  chain: Chain,
  rpcUrl: string,
  pollingIntervalMs = 250,
): ChainPublicClient {
  return createPublicClient({
    chain,
    transport: http(rpcUrl, { retryCount: 2, timeout: 10_000, fetchFn: keepAliveFetch }),
    pollingInterval: pollingIntervalMs,
    // Block numbers decide confirmations and index ranges: never serve a cached one.
    cacheTime: 0,
  });
}
