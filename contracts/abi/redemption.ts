import type { Address } from 'viem';

/** EIP-712 types of what a terminal signs; must match VoucherHub.REDEMPTION_TYPEHASH. */
export const REDEMPTION_TYPES = {
  Redemption: [
    { name: 'id', type: 'uint256' },
    { name: 'account', type: 'bytes32' },
    { name: 'program', type: 'uint64' },
    { name: 'provider', type: 'uint32' },
    { name: 'amountOre', type: 'uint64' },
    { name: 'deadline', type: 'uint40' },
  ],
} as const;

export interface RedemptionMessage {
  id: bigint;
  account: `0x${string}`;
  program: bigint;
  provider: number;
  amountOre: bigint;
  deadline: number;
}

/** The signing domain: bound to one chain and one hub, so a signature works nowhere else. */
export function redemptionDomain(chainId: number, hub: Address) {
  return { name: 'VoucherHub', version: '1', chainId, verifyingContract: hub } as const;
}

/**
 * EIP-712 types of what a provider's terminal signs to give back (part of) a redemption: a void
 * at the counter or a refund later. The original redemption is part of the signed struct, so a
 * signature names exactly one; must match VoucherHubPeriods.REVERSAL_TYPEHASH.
 */
export const REVERSAL_TYPES = {
  Reversal: [
    { name: 'id', type: 'uint256' },
    { name: 'redemption', type: 'Redemption' },
    { name: 'amountOre', type: 'uint64' },
    { name: 'period', type: 'uint32' },
    { name: 'deadline', type: 'uint40' },
  ],
  ...REDEMPTION_TYPES,
} as const;

export interface ReversalMessage {
  /** A fresh id of the signing terminal, from the same counter as its redemption ids. */
  id: bigint;
  redemption: RedemptionMessage;
  amountOre: bigint;
  /** A void names the redemption's period (refused once it has closed); a refund names 0. */
  period: number;
  deadline: number;
}
