import {
  REDEMPTION_TYPES,
  REVERSAL_TYPES,
  type RedemptionMessage,
  type ReversalMessage,
  redemptionDomain,
} from '@voucher/contracts/redemption';
import { privateKeyToAccount } from 'viem/accounts';
import type { Terminal } from './store.ts';

/**
 * The hub's EIP-712 types and messages come from the contracts package (`./redemption`, a
 * plain module; the package's main entry also loads Node-only deployment helpers). The chain
 * refuses any signature over other types.
 */
export interface ChainInfo {
  chainId: number;
  hub: `0x${string}`;
}

/** The terminal signs exactly what the hub verifies (EIP-712 "Redemption"). */
export async function signRedemption(
  terminal: Terminal,
  chain: ChainInfo,
  message: RedemptionMessage,
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
export type SignedRedemption = RedemptionMessage;

/**
 * Giving back (part of) a redemption (EIP-712 "Reversal"): the original is part of what is
 * signed, so the signature names exactly one redemption. Signed with this device's key, as a
 * redemption is, whichever terminal took the original.
 */
export async function signReversal(
  terminal: Terminal,
  chain: ChainInfo,
  message: ReversalMessage,
): Promise<`0x${string}`> {
  const account = privateKeyToAccount(terminal.privateKey);
  return account.signTypedData({
    domain: redemptionDomain(chain.chainId, chain.hub),
    types: REVERSAL_TYPES,
    primaryType: 'Reversal',
    message,
  });
}
