import { REDEMPTION_TYPES, redemptionDomain } from '@voucher/contracts';
import secp256k1 from 'secp256k1';
import {
  type Address,
  bytesToHex,
  concatBytes,
  getTypesForEIP712Domain,
  type Hex,
  hashDomain,
  hexToBytes,
  keccak256,
  numberToBytes,
  parseSignature,
  signatureToCompactSignature,
  toBytes,
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

const REDEMPTION_FIELDS = REDEMPTION_TYPES.Redemption;
const REDEMPTION_TYPE_HASH = keccak256(
  toBytes(`Redemption(${REDEMPTION_FIELDS.map(({ type, name }) => `${type} ${name}`).join(',')})`),
  'bytes',
);

/**
 * The EIP-712 digest a terminal signs, what viem's hashTypedData gives. Every field of the
 * struct is a static type, one 32-byte word each, so it is encoded directly: the generic
 * encoder cost a quarter of a millisecond per redemption. A value outside its type's range
 * throws (the hub could never have been signed for it).
 */
export function redemptionDigest(chain: { chainId: number; hub: Address }, message: SignedRedemption): Hex {
  const encoded = new Uint8Array(32 * (REDEMPTION_FIELDS.length + 1));
  encoded.set(REDEMPTION_TYPE_HASH, 0);
  REDEMPTION_FIELDS.forEach(({ name, type }, index) => {
    encoded.set(fieldWord(type, message[name]), 32 * (index + 1));
  });
  return keccak256(
    concatBytes([hexToBytes('0x1901'), hexToBytes(domainSeparator(chain)), keccak256(encoded, 'bytes')]),
  );
}

function fieldWord(type: string, value: bigint | number | Hex): Uint8Array {
  if (type === 'bytes32') return hexToBytes(value as Hex, { size: 32 });
  const bits = Number(type.slice('uint'.length));
  const number = BigInt(value);
  if (number < 0n || number >= 1n << BigInt(bits)) throw new RangeError(`${type} out of range`);
  return numberToBytes(number, { size: 32 });
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
