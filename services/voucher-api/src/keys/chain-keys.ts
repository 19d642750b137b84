import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { type Hex, toHex } from 'viem';
import { privateKeyToAddress } from 'viem/accounts';

/**
 * On-chain keys the service derives for provider payout accounts (never an officer's key),
 * stored wrapped with the master key so a database dump alone cannot sign anything.
 * Layout: format(1) | iv(12) | tag(16) | encrypted 32-byte private key.
 */
export interface WrappedChainKey {
  address: string;
  wrapped: Buffer;
}

const FORMAT_V1 = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const WRAP_LABEL = Buffer.from('voucher-api/chain-key/v1');
const PAYOUT_LABEL = 'voucher-api/provider-payout/v1/';

/**
 * The payout key of a provider, derived from the master key and the provider id: the same
 * provider always gets the same address, so a re-deployment or a re-seed never points a
 * provider's money somewhere new.
 */
export function derivePayoutKey(masterKey: Buffer, providerId: number): WrappedChainKey {
  const privateKey = toHex(createHmac('sha256', masterKey).update(`${PAYOUT_LABEL}${providerId}`).digest());
  return wrapChainKey(masterKey, privateKey);
}

export function unwrapChainKey(masterKey: Buffer, wrapped: Buffer): Hex {
  if (wrapped[0] !== FORMAT_V1) throw new Error('Unknown chain key format');
  const iv = wrapped.subarray(1, 1 + IV_BYTES);
  const tag = wrapped.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', masterKey, iv);
  decipher.setAAD(WRAP_LABEL);
  decipher.setAuthTag(tag);
  const key = Buffer.concat([decipher.update(wrapped.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
  return toHex(key);
}

function wrapChainKey(masterKey: Buffer, privateKey: Hex): WrappedChainKey {
  // privateKeyToAddress rejects the (astronomically unlikely) out-of-range secp256k1 scalar.
  const address = privateKeyToAddress(privateKey).toLowerCase();
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', masterKey, iv);
  cipher.setAAD(WRAP_LABEL);
  const encrypted = Buffer.concat([cipher.update(Buffer.from(privateKey.slice(2), 'hex')), cipher.final()]);
  return { address, wrapped: Buffer.concat([Buffer.from([FORMAT_V1]), iv, cipher.getAuthTag(), encrypted]) };
}
