/**
 * The rotating QR text, made on the phone: `VR1.<payload>.<signature>` in base64url, where the
 * payload is format(1) | account(32) | device uuid(16) | issued-at ms (uint64 BE) | nonce(16)
 * and the signature is ECDSA P-256 / SHA-256 over the ASCII of `VR1.<payload>` in the IEEE
 * P1363 form WebCrypto produces (the API's passes/presentation.ts reads exactly this).
 */
export const PRESENTATION_PREFIX = 'VR1';
/** The API refuses presentations older than 60 s; a fresh one every 15 s leaves ample margin. */
export const ROTATION_SECONDS = 15;

const ECDSA = { name: 'ECDSA', namedCurve: 'P-256' } as const;

export async function createDeviceKey(): Promise<{ privateKey: CryptoKey; publicJwk: JsonWebKey }> {
  // extractable=false applies to the private key; the public half is always exportable.
  const pair = await crypto.subtle.generateKey(ECDSA, false, ['sign', 'verify']);
  const publicJwk = await crypto.subtle.exportKey('jwk', pair.publicKey);
  return { privateKey: pair.privateKey, publicJwk };
}

export async function signPresentation(
  privateKey: CryptoKey,
  accountHex: string,
  deviceId: string,
  issuedAtMs: number,
): Promise<string> {
  const payload = new Uint8Array(73);
  payload[0] = 1;
  payload.set(hexToBytes(accountHex.replace(/^0x/, ''), 32), 1);
  payload.set(hexToBytes(deviceId.replace(/-/g, ''), 16), 33);
  new DataView(payload.buffer).setBigUint64(49, BigInt(issuedAtMs));
  crypto.getRandomValues(payload.subarray(57));
  const signedPart = `${PRESENTATION_PREFIX}.${base64url(payload)}`;
  const signature = await crypto.subtle.sign(
    { name: 'ECDSA', hash: 'SHA-256' },
    privateKey,
    new TextEncoder().encode(signedPart),
  );
  return `${signedPart}.${base64url(new Uint8Array(signature))}`;
}

function hexToBytes(hex: string, length: number): Uint8Array {
  if (!new RegExp(`^[0-9a-fA-F]{${length * 2}}$`).test(hex)) throw new Error('bad hex id');
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
