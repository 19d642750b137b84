import { voucherHubAbi } from '@voucher/contracts';
import type { ChainGateway } from '../chain/gateway.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';

/** Actions that talk to the chain answer CHAIN_UNAVAILABLE when the API runs without one. */
export function requireChain(deps: Pick<DomainDeps, 'chain'>): ChainGateway {
  if (!deps.chain) throw new AppError('CHAIN_UNAVAILABLE');
  return deps.chain;
}

export interface OpenPeriod {
  periodId: number;
  openedAt: Date;
  accruedOre: bigint;
}

/** Each municipality's periods are its own: numbered, opened and closed on its own schedule. */
export async function readOpenPeriod(chain: ChainGateway, municipalityId: number): Promise<OpenPeriod> {
  const [period, openedAt, accruedOre] = await chain.publicClient.readContract({
    address: chain.addresses.hub,
    abi: voucherHubAbi,
    functionName: 'openPeriod',
    args: [municipalityId],
  });
  return { periodId: Number(period), openedAt: new Date(Number(openedAt) * 1000), accruedOre };
}

export async function readPeriodTotals(
  chain: ChainGateway,
  municipalityId: number,
  periodId: number,
): Promise<{ accruedOre: bigint; paidOre: bigint }> {
  const totals = await chain.publicClient.readContract({
    address: chain.addresses.hub,
    abi: voucherHubAbi,
    functionName: 'periodTotals',
    args: [municipalityId, periodId],
  });
  return { accruedOre: totals.accruedOre, paidOre: totals.paidOre };
}

/**
 * Whether the chain considers a provider paid for a period. Not its amount: since the gas
 * work, a paid claim reads 0; amounts come from events.
 */
export async function readClaimPaid(
  chain: ChainGateway,
  municipalityId: number,
  periodId: number,
  providerId: number,
) {
  const claim = await chain.publicClient.readContract({
    address: chain.addresses.hub,
    abi: voucherHubAbi,
    functionName: 'claimOf',
    args: [municipalityId, periodId, providerId],
  });
  return { paid: claim.paid, accruedOre: claim.accruedOre };
}

/** What a provider owes a municipality from refunds beyond its claims (set off at payout). */
export async function readReceivable(
  chain: ChainGateway,
  municipalityId: number,
  providerId: number,
): Promise<bigint> {
  return chain.publicClient.readContract({
    address: chain.addresses.hub,
    abi: voucherHubAbi,
    functionName: 'receivableOf',
    args: [municipalityId, providerId],
  });
}

/** Brings chain_events up to the chain's safe head, so reads below see what just happened. */
export async function catchUpIndex(chain: ChainGateway): Promise<void> {
  await chain.indexer.indexOnce();
}
