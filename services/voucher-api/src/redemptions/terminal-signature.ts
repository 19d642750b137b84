import { REDEMPTION_TYPES, redemptionDomain } from '@voucher/contracts';
import {
  type Address,
  type Hex,
  parseSignature,
  recoverTypedDataAddress,
  signatureToCompactSignature,
} from 'viem';

/** The EIP-712 message a terminal signs, exactly the hub's `Redemption` struct. */
export interface SignedRedemption {
  id: bigint;
  account: Hex;
  program: bigint;
  provider: number;
  amountOre: bigint;
  deadline: number;
}

/** The terminal that signed `message`, or undefined for a signature that does not parse. */
export async function recoverTerminal(
  chain: { chainId: number; hub: Address },
  message: SignedRedemption,
  signature: Hex,
): Promise<string | undefined> {
  try {
    const signer = await recoverTypedDataAddress({
      domain: redemptionDomain(chain.chainId, chain.hub),
      types: REDEMPTION_TYPES,
      primaryType: 'Redemption',
      message,
      signature,
    });
    return signer.toLowerCase();
  } catch {
    return undefined;
  }
}

/** The hub takes EIP-2098 compact signatures (r, yParity+s), which cannot be malleated. */
export function compactSignature(signature: Hex): { r: Hex; vs: Hex } {
  const compact = signatureToCompactSignature(parseSignature(signature));
  return { r: compact.r, vs: compact.yParityAndS };
}
