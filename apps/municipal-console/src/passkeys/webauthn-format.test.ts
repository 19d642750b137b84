import { createHash, generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  authenticatorData,
  base64url,
  clientDataJSON,
  digestBytes,
  fromBase64url,
  rawSignatureToDer,
} from './webauthn-format.ts';

const hex = (text: string) => Uint8Array.from(Buffer.from(text, 'hex'));

describe('rawSignatureToDer', () => {
  it.each([
    ['small r and s', `${'00'.repeat(31)}01${'00'.repeat(31)}02`, '3006020101020102'],
    [
      'a high top bit, padded with a zero byte',
      `80${'00'.repeat(31)}${'00'.repeat(31)}7f`,
      `3026022100800000000000000000000000000000000000000000000000000000000000000002017f`,
    ],
    [
      'leading zeros dropped',
      `0000ff${'11'.repeat(29)}${'22'.repeat(32)}`,
      `3043021f00ff${'11'.repeat(29)}0220${'22'.repeat(32)}`,
    ],
  ])('encodes %s', (_name, raw, der) => {
    expect(Buffer.from(rawSignatureToDer(hex(raw))).toString('hex')).toBe(der);
  });

  it('gives what node:crypto verifies as a DER signature, for any key and message', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    for (let round = 0; round < 20; round++) {
      const message = Buffer.from(`message ${round}`);
      const raw = sign('sha256', message, { key: privateKey, dsaEncoding: 'ieee-p1363' });
      const der = Buffer.from(rawSignatureToDer(new Uint8Array(raw)));
      expect(der.equals(sign('sha256', message, privateKey))).toBe(false);
      expect(verify('sha256', message, publicKey, der)).toBe(true);
    }
  });

  it('refuses anything but 64 bytes', () => {
    expect(() => rawSignatureToDer(new Uint8Array(63))).toThrow(TypeError);
  });
});

describe('clientDataJSON and authenticatorData', () => {
  const digest = `0x${'ab'.repeat(32)}`;

  it('puts "type":"webauthn.get" and the base64url challenge where the contract looks for them', () => {
    const json = clientDataJSON(digestBytes(digest), 'http://localhost:3000');
    expect(json).toBe(
      `{"type":"webauthn.get","challenge":"${Buffer.from('ab'.repeat(32), 'hex').toString('base64url')}","origin":"http://localhost:3000","crossOrigin":false}`,
    );
    expect(json.indexOf('"type":"webauthn.get"')).toBe(1);
    expect(JSON.parse(json).challenge).not.toMatch(/[=+/]/);
  });

  it('is sha256(rpId) ‖ UP|UV ‖ the counter, big-endian', () => {
    const rpIdHash = new Uint8Array(createHash('sha256').update('localhost').digest());
    const data = authenticatorData(rpIdHash, 258);
    expect(data).toHaveLength(37);
    expect(Buffer.from(data.subarray(0, 32)).equals(Buffer.from(rpIdHash))).toBe(true);
    expect(data[32]).toBe(0x05);
    expect(Buffer.from(data.subarray(33)).toString('hex')).toBe('00000102');
    expect(() => authenticatorData(rpIdHash, -1)).toThrow(RangeError);
  });

  it('reads a digest only as 32 bytes of hex, and round-trips base64url', () => {
    expect(() => digestBytes('0x1234')).toThrow(TypeError);
    const bytes = digestBytes(digest);
    expect(fromBase64url(base64url(bytes))).toEqual(bytes);
    expect(base64url(Uint8Array.of(0xfb, 0xff))).toBe('-_8');
  });
});
