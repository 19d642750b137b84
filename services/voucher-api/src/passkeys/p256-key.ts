import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { cose, decodeCredentialPublicKey } from '@simplewebauthn/server/helpers';
import { bytesToHex, encodeAbiParameters, getAddress, type Hex, hexToBytes, keccak256, slice } from 'viem';
import { AppError } from '../errors/app-error.ts';
import { signedMessage, type WebAuthnAuth } from './webauthn-auth.ts';

/** A P-256 public key as the contract takes it: the affine coordinates, 32 bytes big-endian each. */
export interface P256Coordinates {
  x: Buffer;
  y: Buffer;
}

/**
 * The address the contract knows a passkey by: the low 20 bytes of
 * keccak256(abi.encode(bytes32 qx, bytes32 qy)). Checksummed; stored lower-case.
 */
export function passkeyChainAddress(key: P256Coordinates): Hex {
  const encoded = encodeAbiParameters(
    [{ type: 'bytes32' }, { type: 'bytes32' }],
    [bytesToHex(key.x), bytesToHex(key.y)],
  );
  return getAddress(slice(keccak256(encoded), 12));
}

/**
 * The key as node:crypto's KeyObject. Importing refuses a point that is not on the curve, so
 * every key the service stores passed this once (the contract's isValidPublicKey agrees).
 */
export function p256PublicKey(key: P256Coordinates): KeyObject {
  if (key.x.length !== 32 || key.y.length !== 32) throw new AppError('PASSKEY_ALGORITHM_UNSUPPORTED');
  try {
    return createPublicKey({
      key: { kty: 'EC', crv: 'P-256', x: key.x.toString('base64url'), y: key.y.toString('base64url') },
      format: 'jwk',
    });
  } catch {
    throw new AppError('PASSKEY_ALGORITHM_UNSUPPORTED');
  }
}

/**
 * The coordinates of a credential's COSE public key (from a verified registration), which must
 * be an EC2 key on P-256 for ES256: the only kind the contract can verify.
 */
export function coordinatesFromCose(credentialPublicKey: Uint8Array): P256Coordinates {
  const decoded = decodeCredentialPublicKey(new Uint8Array(credentialPublicKey));
  if (!cose.isCOSEPublicKeyEC2(decoded)) throw new AppError('PASSKEY_ALGORITHM_UNSUPPORTED');
  const x = decoded.get(cose.COSEKEYS.x);
  const y = decoded.get(cose.COSEKEYS.y);
  if (
    decoded.get(cose.COSEKEYS.alg) !== cose.COSEALG.ES256 ||
    decoded.get(cose.COSEKEYS.crv) !== cose.COSECRV.P256 ||
    !x ||
    !y
  ) {
    throw new AppError('PASSKEY_ALGORITHM_UNSUPPORTED');
  }
  const key = { x: Buffer.from(x), y: Buffer.from(y) };
  p256PublicKey(key);
  return key;
}

/** A development key's public JWK (what WebCrypto exports for an ECDSA P-256 key). */
export interface P256Jwk {
  kty: string;
  crv: string;
  x: string;
  y: string;
}

export function coordinatesFromJwk(jwk: P256Jwk): P256Coordinates {
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256') throw new AppError('PASSKEY_ALGORITHM_UNSUPPORTED');
  const key = { x: Buffer.from(jwk.x, 'base64url'), y: Buffer.from(jwk.y, 'base64url') };
  p256PublicKey(key);
  return key;
}

/**
 * The contract's signature check, off chain: ECDSA-P256/SHA-256 over authenticatorData ‖
 * sha256(clientDataJSON) with (r, s). Lets the service refuse a bad signature before it is
 * relayed (and pays gas for a revert). Type, challenge and flags are toWebAuthnAuth's job.
 */
export function verifyWebAuthnAuth(auth: WebAuthnAuth, key: P256Coordinates): boolean {
  const signature = Buffer.concat([hexToBytes(auth.r), hexToBytes(auth.s)]);
  return verify(
    'sha256',
    signedMessage(auth),
    { key: p256PublicKey(key), dsaEncoding: 'ieee-p1363' },
    signature,
  );
}
