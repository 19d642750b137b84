import { REDEMPTION_TYPES, redemptionDomain } from '@voucher/contracts';
import secp256k1 from 'secp256k1';
import {
  type Address,
  bytesToHex,
  concatBytes,
  getTypesForEIP712Domain,
  type Hex,
  hashDomain,
  hashStruct,
  hexToBytes,
  keccak256,
  parseSignature,
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

const domainSeparators = new Map<string, Hex>();

/** The EIP-712 domain separator depends only on the chain and the hub: computed once. */
function domainSeparator(chain: { chainId: number; hub: Address }): Hex {
  const key = `${chain.chainId}:${chain.hub.toLowerCase()}`;
  let separator = domainSeparators.get(key);
  if (!separator) {
    const domain = redemptionDomain(chain.chainId, chain.hub);
    separator = hashDomain({ domain, types: { EIP712Domain: getTypesForEIP712Domain({ domain }) } } as never);
    domainSeparators.set(key, separator);
  }
  return separator;
}

/** The EIP-712 digest a terminal signs (what viem's hashTypedData gives, without re-deriving the domain). */
export function redemptionDigest(chain: { chainId: number; hub: Address }, message: SignedRedemption): Hex {
  const structHash = hashStruct({ data: { ...message }, primaryType: 'Redemption', types: REDEMPTION_TYPES });
  return keccak256(
    concatBytes([hexToBytes('0x1901'), hexToBytes(domainSeparator(chain)), hexToBytes(structHash)]),
  );
}

/**
 * The terminal that signed `message`, or undefined for a signature that does not parse.
 * Recovery runs in libsecp256k1 (native): in pure JavaScript it costs milliseconds of CPU
 * per redemption, which at a busy counter was the largest single cost of a request.
 */
export function recoverTerminal(
  chain: { chainId: number; hub: Address },
  message: SignedRedemption,
  signature: Hex,
): string | undefined {
  try {
    const digest = redemptionDigest(chain, message);
    const { r, s, yParity } = parseSignature(signature);
    if (yParity === undefined) return undefined;
    const rs = concatBytes([hexToBytes(r, { size: 32 }), hexToBytes(s, { size: 32 })]);
    const publicKey = secp256k1.ecdsaRecover(rs, yParity, hexToBytes(digest), false);
    // An address is the last 20 bytes of the keccak of the uncompressed key without its prefix.
    return `0x${keccak256(bytesToHex(publicKey.subarray(1))).slice(-40)}`;
  } catch {
    return undefined;
  }
}

/** The hub takes EIP-2098 compact signatures (r, yParity+s), which cannot be malleated. */
export function compactSignature(signature: Hex): { r: Hex; vs: Hex } {
  const compact = signatureToCompactSignature(parseSignature(signature));
  return { r: compact.r, vs: compact.yParityAndS };
}
