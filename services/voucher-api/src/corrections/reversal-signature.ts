import { REVERSAL_TYPES, type ReversalMessage, redemptionDomain } from '@voucher/contracts';
import type { Redemption } from '@voucher/db';
import { type Address, type Hex, recoverTypedDataAddress } from 'viem';
import type { SignedRedemption } from '../redemptions/terminal-signature.ts';

/** What a reversal adds to the redemption it gives back: the hub's `Reversal` struct. */
export interface ReversalTerms {
  id: bigint;
  amountOre: bigint;
  /** A void names the redemption's period; a refund names 0 (whichever period is open). */
  period: number;
  deadline: number;
}

/**
 * The original redemption exactly as its terminal signed it. The reversal's signature covers
 * this struct, and the hub recovers the original's terminal from it, so every field must be
 * the stored one.
 */
export function signedOriginal(row: Redemption): SignedRedemption {
  return {
    id: row.redemptionId,
    account: row.account as Hex,
    program: row.programId,
    provider: row.providerId,
    amountOre: row.amountOre,
    deadline: Number(row.deadline),
  };
}

export function reversalMessage(original: SignedRedemption, terms: ReversalTerms): ReversalMessage {
  return {
    id: terms.id,
    redemption: original,
    amountOre: terms.amountOre,
    period: terms.period,
    deadline: terms.deadline,
  };
}

/**
 * The terminal (lower-case address) that signed a reversal, or undefined for a signature that
 * does not parse. Reversals are rare, so viem's generic EIP-712 recovery is fast enough here.
 */
export async function recoverReversalSigner(
  chain: { chainId: number; hub: Address },
  original: SignedRedemption,
  terms: ReversalTerms,
  signature: Hex,
): Promise<string | undefined> {
  try {
    const signer = await recoverTypedDataAddress({
      domain: redemptionDomain(chain.chainId, chain.hub),
      types: REVERSAL_TYPES,
      primaryType: 'Reversal',
      message: reversalMessage(original, terms),
      signature,
    });
    return signer.toLowerCase();
  } catch {
    return undefined;
  }
}
