import { REDEMPTION_TYPES, REVERSAL_TYPES, redemptionDomain } from '@voucher/contracts/redemption';
import { privateKeyToAccount } from 'viem/accounts';
import type { Terminal } from './store.ts';

/**
 * The hub's EIP-712 types come from the contracts package's redemption.ts itself (a plain
 * module: viem types only). The package's entry also loads Node-only deployment helpers, so
 * the file is imported directly; the chain refuses any signature over other types.
 */
export interface ChainInfo {
  chainId: number;
  hub: `0x${string}`;
}

/** The terminal signs exactly what the hub verifies (EIP-712 "Redemption"). */
export async function signRedemption(
  terminal: Terminal,
  chain: ChainInfo,
  message: {
    id: bigint;
    account: `0x${string}`;
    program: bigint;
    provider: number;
    amountOre: bigint;
    deadline: number;
  },
): Promise<`0x${string}`> {
  const account = privateKeyToAccount(terminal.privateKey);
  return account.signTypedData({
    domain: redemptionDomain(chain.chainId, chain.hub),
    types: REDEMPTION_TYPES,
    primaryType: 'Redemption',
    message,
  });
}

/** A redemption exactly as its terminal signed it (the API hands it back on the day's list). */
export interface SignedRedemption {
  id: bigint;
  account: `0x${string}`;
  program: bigint;
  provider: number;
  amountOre: bigint;
  deadline: number;
}

/**
 * Giving back (part of) a redemption (EIP-712 "Reversal"): the original is part of what is
 * signed, so the signature names exactly one redemption. Signed with this device's key, as a
 * redemption is, whichever terminal took the original.
 */
export async function signReversal(
  terminal: Terminal,
  chain: ChainInfo,
  message: { id: bigint; redemption: SignedRedemption; amountOre: bigint; period: number; deadline: number },
): Promise<`0x${string}`> {
  const account = privateKeyToAccount(terminal.privateKey);
  return account.signTypedData({
    domain: redemptionDomain(chain.chainId, chain.hub),
    types: REVERSAL_TYPES,
    primaryType: 'Reversal',
    message,
  });
}
