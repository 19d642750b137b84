/**
 * The byte formats of a WebAuthn assertion, for the development key that stands in for an
 * authenticator in the demo. The contract (OpenZeppelin's WebAuthn.verify) and the API check
 * a development key's signature exactly as a passkey's, so it must produce the same bytes:
 * authenticatorData = sha256(rpId) ‖ flags ‖ counter, a clientDataJSON with "type" and
 * "challenge", and an ASN.1 DER signature over authenticatorData ‖ sha256(clientDataJSON).
 */

/** Authenticator data flags: user present (UP, 0x01) and user verified (UV, 0x04). */
export const FLAGS_UP_UV = 0x05;

export function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

/** A 0x-prefixed hex string of exactly 32 bytes (a digest the contract will check). */
export function digestBytes(digestHex: string): Uint8Array {
  if (!/^0x[0-9a-fA-F]{64}$/.test(digestHex)) throw new TypeError('the challenge must be 32 bytes of hex');
  return Uint8Array.from(digestHex.slice(2).match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * clientDataJSON as browsers write it for navigator.credentials.get: "type" first, then
 * "challenge" (base64url without padding), "origin" and "crossOrigin".
 */
export function clientDataJSON(challenge: Uint8Array, origin: string): string {
  return JSON.stringify({
    type: 'webauthn.get',
    challenge: base64url(challenge),
    origin,
    crossOrigin: false,
  });
}

/** rpIdHash (32 bytes) ‖ flags (UP|UV) ‖ signature counter (4 bytes, big-endian). */
export function authenticatorData(rpIdHash: Uint8Array, counter: number): Uint8Array {
  if (rpIdHash.length !== 32) throw new TypeError('rpIdHash must be 32 bytes');
  if (!Number.isInteger(counter) || counter < 0 || counter > 0xffffffff) throw new RangeError('counter');
  const data = new Uint8Array(37);
  data.set(rpIdHash, 0);
  data[32] = FLAGS_UP_UV;
  new DataView(data.buffer).setUint32(33, counter);
  return data;
}

/**
 * WebCrypto signs ECDSA as raw r ‖ s (32 bytes each); WebAuthn, like an authenticator, sends
 * ASN.1 DER: SEQUENCE { INTEGER r, INTEGER s }, each integer minimal and positive.
 */
export function rawSignatureToDer(raw: Uint8Array): Uint8Array {
  if (raw.length !== 64) throw new TypeError('a P-256 signature is 64 bytes');
  const r = derInteger(raw.subarray(0, 32));
  const s = derInteger(raw.subarray(32));
  // At most 2 × 35 bytes, so the sequence's length always fits the one-byte short form.
  return concatBytes(Uint8Array.of(0x30, r.length + s.length), r, s);
}

function derInteger(bytes: Uint8Array): Uint8Array {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const value = bytes.subarray(start);
  // A set top bit would read as negative: a zero byte in front keeps the number positive.
  const padded = (value[0] ?? 0) & 0x80 ? concatBytes(Uint8Array.of(0), value) : value;
  return concatBytes(Uint8Array.of(0x02, padded.length), padded);
}
