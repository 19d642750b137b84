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
