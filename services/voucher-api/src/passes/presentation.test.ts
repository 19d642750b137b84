import { generateKeyPairSync, randomBytes, randomUUID, webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseDevicePublicKey, serialiseDevicePublicKey } from './device-key.ts';
import { readPresentation, signPresentation, verifyPresentation } from './presentation.ts';

const device = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const accountId = randomBytes(32);
const deviceId = randomUUID();
const issuedAt = new Date('2027-03-01T12:00:00.000Z');

function at(offsetMs: number): Date {
  return new Date(issuedAt.getTime() + offsetMs);
}

describe('rotating presentation', () => {
  it('verifies a fresh presentation and returns its claims', () => {
    const text = signPresentation(device.privateKey, { accountId, deviceId, issuedAt });
    expect(text).toMatch(/^VR1\./);
    const verified = verifyPresentation(device.publicKey, text, at(1_000));
    expect(verified.accountId.equals(accountId)).toBe(true);
    expect(verified.deviceId).toBe(deviceId);
    expect(verified.issuedAt).toEqual(issuedAt);
    expect(verified.presentationHash).toHaveLength(32);
    expect(verified.replayGuardUntil).toEqual(at(60_000));
  });

  it('lets the caller read the device id before it has the key', () => {
    const text = signPresentation(device.privateKey, { accountId, deviceId, issuedAt });
    expect(readPresentation(text).deviceId).toBe(deviceId);
  });

  it('gives two presentations of the same second different replay hashes', () => {
    const first = signPresentation(device.privateKey, { accountId, deviceId, issuedAt });
    const second = signPresentation(device.privateKey, { accountId, deviceId, issuedAt });
    const hashOf = (text: string) => verifyPresentation(device.publicKey, text, issuedAt).presentationHash;
    expect(hashOf(first).equals(hashOf(second))).toBe(false);
    expect(hashOf(first).equals(hashOf(first))).toBe(true);
  });

  it('expires at 60 s and refuses more than 5 s in the future', () => {
    const text = signPresentation(device.privateKey, { accountId, deviceId, issuedAt });
    expect(() => verifyPresentation(device.publicKey, text, at(59_999))).not.toThrow();
    expect(() => verifyPresentation(device.publicKey, text, at(60_000))).toThrow(
      expect.objectContaining({ code: 'PRESENTATION_EXPIRED' }),
    );
    expect(() => verifyPresentation(device.publicKey, text, at(-5_000))).not.toThrow();
    expect(() => verifyPresentation(device.publicKey, text, at(-5_001))).toThrow(
      expect.objectContaining({ code: 'PRESENTATION_EXPIRED' }),
    );
  });

  it("rejects another device's signature as forged", () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const text = signPresentation(other.privateKey, { accountId, deviceId, issuedAt });
    expect(() => verifyPresentation(device.publicKey, text, issuedAt)).toThrow(
      expect.objectContaining({ code: 'PASS_FORGED' }),
    );
  });

  it('rejects a static-pass prefix and garbage as malformed', () => {
    const text = signPresentation(device.privateKey, { accountId, deviceId, issuedAt });
    expect(() => verifyPresentation(device.publicKey, text.replace('VR1', 'VP1'), issuedAt)).toThrow(
      expect.objectContaining({ code: 'PASS_MALFORMED' }),
    );
    expect(() => readPresentation('VR1.AAAA.AAAA')).toThrow(
      expect.objectContaining({ code: 'PASS_MALFORMED' }),
    );
  });

  it('verifies what WebCrypto on a phone produces (JWK key, P1363 signature)', async () => {
    const subtle = webcrypto.subtle;
    const keyPair = await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
      'verify',
    ]);
    const jwk = await subtle.exportKey('jwk', keyPair.publicKey);
    const publicKey = parseDevicePublicKey(jwk as never);

    // Build the payload exactly as the app would, then sign the ASCII of "VR1.<payload>".
    const template = signPresentation(device.privateKey, { accountId, deviceId, issuedAt });
    const signedPart = template.split('.').slice(0, 2).join('.');
    const signature = await subtle.sign(
      { name: 'ECDSA', hash: 'SHA-256' },
      keyPair.privateKey,
      new TextEncoder().encode(signedPart),
    );
    const text = `${signedPart}.${Buffer.from(signature).toString('base64url')}`;
    expect(verifyPresentation(publicKey, text, issuedAt).deviceId).toBe(deviceId);
  });
});

describe('parseDevicePublicKey', () => {
  it('accepts JWK objects, JWK text, SPKI base64 and PEM, and stores a canonical JWK', async () => {
    const jwk = device.publicKey.export({ format: 'jwk' });
    const spki = device.publicKey.export({ format: 'der', type: 'spki' });
    const pem = device.publicKey.export({ format: 'pem', type: 'spki' }).toString();
    for (const input of [
      jwk,
      JSON.stringify(jwk),
      spki.toString('base64'),
      spki.toString('base64url'),
      pem,
    ]) {
      const key = parseDevicePublicKey(input as never);
      expect(key.equals(device.publicKey)).toBe(true);
    }
    const stored = serialiseDevicePublicKey(device.publicKey);
    expect(JSON.parse(stored)).toEqual({ kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y });
    expect(parseDevicePublicKey(stored).equals(device.publicKey)).toBe(true);
  });

  it('refuses other curves, other algorithms, private keys and junk', () => {
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ format: 'jwk' });
    const ed = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
    const privateJwk = device.privateKey.export({ format: 'jwk' });
    for (const input of [p384, ed, privateJwk, 'not a key', '{"kty":"EC"}', '']) {
      expect(() => parseDevicePublicKey(input as never)).toThrow(
        expect.objectContaining({ code: 'DEVICE_KEY_INVALID' }),
      );
    }
  });
});
