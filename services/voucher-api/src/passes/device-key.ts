import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { AppError } from '../errors/app-error.ts';

/**
 * A phone's presentation key: ECDSA P-256, as WebCrypto generates on every phone in use
 * (Ed25519 in WebCrypto is too recent for older phones). Accepted as a JWK object, JWK text,
 * or SPKI (DER as base64/base64url, or PEM). Stored as JWK text, the form the app sends back.
 */
export type DevicePublicKeyInput = string | JsonWebKey;

export function parseDevicePublicKey(input: DevicePublicKeyInput): KeyObject {
  let key: KeyObject;
  try {
    key = importKey(input);
  } catch {
    throw new AppError('DEVICE_KEY_INVALID');
  }
  if (
    key.type !== 'public' ||
    key.asymmetricKeyType !== 'ec' ||
    key.asymmetricKeyDetails?.namedCurve !== 'prime256v1'
  ) {
    throw new AppError('DEVICE_KEY_INVALID');
  }
  return key;
}

/** Canonical text for the `devices.public_key` column: a public JWK with only the EC members. */
export function serialiseDevicePublicKey(key: KeyObject): string {
  const { kty, crv, x, y } = key.export({ format: 'jwk' });
  return JSON.stringify({ kty, crv, x, y });
}

function importKey(input: DevicePublicKeyInput): KeyObject {
  if (typeof input === 'object' && input !== null) {
    return createPublicKey({ key: publicMembers(input), format: 'jwk' });
  }
  const text = input.trim();
  if (text.startsWith('{')) {
    return createPublicKey({ key: publicMembers(JSON.parse(text) as JsonWebKey), format: 'jwk' });
  }
  if (text.startsWith('-----BEGIN PUBLIC KEY-----')) {
    return createPublicKey({ key: text, format: 'pem' });
  }
  const der = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return createPublicKey({ key: der, format: 'der', type: 'spki' });
}

/** A JWK that carries `d` is a private key: refuse to even look at it rather than store it. */
function publicMembers(jwk: JsonWebKey): JsonWebKey {
  if ('d' in jwk) {
    throw new Error('private key given');
  }
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y };
}
