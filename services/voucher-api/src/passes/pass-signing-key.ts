import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';

/**
 * The service's Ed25519 key that signs printed passes. Configuration holds the 32-byte seed;
 * the public half is published as a JWK set so scanners verify passes offline.
 */
export interface PassSigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** RFC 7638 JWK thumbprint: lets scanners and operators tell keys apart during rotation. */
  keyId: string;
}

export interface PassPublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  alg: 'EdDSA';
  use: 'sig';
}

// PKCS#8 wrapping of a raw Ed25519 seed (RFC 8410): fixed 16-byte header, then the 32 bytes.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export function passSigningKeyFromSeed(seed: Uint8Array): PassSigningKey {
  if (seed.byteLength !== 32) {
    throw new Error('Pass signing key: the Ed25519 seed must be 32 bytes');
  }
  const privateKey = createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  return withPublicHalf(privateKey);
}

/** The key configured as PASS_SIGNING_KEY (Ed25519, PKCS8 DER, base64); parsed once per config. */
export function passSigningKeyFromConfig(config: { passSigningKey: string }): PassSigningKey {
  let key = parsedFromConfig.get(config);
  if (!key) {
    const privateKey = createPrivateKey({
      key: Buffer.from(config.passSigningKey, 'base64'),
      format: 'der',
      type: 'pkcs8',
    });
    key = withPublicHalf(privateKey);
    parsedFromConfig.set(config, key);
  }
  return key;
}

const parsedFromConfig = new WeakMap<object, PassSigningKey>();

/** A fresh key, for tests and first-run development setups. */
export function generatePassSigningKey(): PassSigningKey {
  return withPublicHalf(generateKeyPairSync('ed25519').privateKey);
}

export function passPublicJwk(publicKey: KeyObject): PassPublicJwk {
  const { x } = publicKey.export({ format: 'jwk' });
  if (publicKey.asymmetricKeyType !== 'ed25519' || typeof x !== 'string') {
    throw new Error('Pass signing key: expected an Ed25519 public key');
  }
  return { kty: 'OKP', crv: 'Ed25519', x, kid: thumbprint(x), alg: 'EdDSA', use: 'sig' };
}

/** The body of `GET /.well-known/voucher-pass-keys.json`: current key first, then older ones still valid. */
export function passKeySet(publicKeys: readonly KeyObject[]): { keys: PassPublicJwk[] } {
  return { keys: publicKeys.map(passPublicJwk) };
}

/** Reads a published JWK back into a key: what an offline scanner (and the tests) do. */
export function passPublicKeyFromJwk(jwk: { kty: string; crv: string; x: string }): KeyObject {
  return createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, format: 'jwk' });
}

function withPublicHalf(privateKey: KeyObject): PassSigningKey {
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: passPublicJwk(publicKey).kid };
}

function thumbprint(x: string): string {
  // Members in lexicographic order, no whitespace, as RFC 7638 requires.
  const canonical = `{"crv":"Ed25519","kty":"OKP","x":"${x}"}`;
  return createHash('sha256').update(canonical, 'utf8').digest('base64url');
}
