import { createHash, randomBytes, verify } from 'node:crypto';
import { decodeAbiParameters, type Hex, hexToBytes, keccak256, toHex } from 'viem';
import { describe, expect, it } from 'vitest';
import { VirtualPasskey } from '../../test/support/virtual-passkey.ts';
import { AppError } from '../errors/app-error.ts';
import { passkeyChainAddress, verifyWebAuthnAuth } from './p256-key.ts';
import {
  type AssertionExpectations,
  abiEncodeWebAuthnAuth,
  P256_N,
  parseDerSignature,
  signedMessage,
  toWebAuthnAuth,
  WEBAUTHN_AUTH_ABI_PARAMETER,
  type WebAuthnAssertion,
} from './webauthn-auth.ts';

const RP_ID = 'konsol.example.dk';
const ORIGIN = 'https://konsol.example.dk';
const passkey = new VirtualPasskey({ rpId: RP_ID, origin: ORIGIN });
const digest: Hex = keccak256(toHex('settlement 7 approve'));
const expected: AssertionExpectations = { challenge: digest, origins: [ORIGIN], rpId: RP_ID };

function problemOf(work: () => unknown): string | undefined {
  try {
    work();
  } catch (error) {
    if (error instanceof AppError && error.code === 'PASSKEY_ASSERTION_INVALID') {
      return String(error.details?.problem);
    }
    throw error;
  }
  return undefined;
}

/** node:crypto's own check of (r, s) against the public key: what the contract's P256.verify does. */
function nodeVerifies(auth: ReturnType<typeof toWebAuthnAuth>): boolean {
  return verify(
    'sha256',
    signedMessage(auth),
    { key: passkey.publicKey, dsaEncoding: 'ieee-p1363' },
    Buffer.concat([hexToBytes(auth.r), hexToBytes(auth.s)]),
  );
}

function withClientData(assertion: WebAuthnAssertion, json: string): WebAuthnAssertion {
  return { ...assertion, clientDataJSON: Buffer.from(json).toString('base64url') };
}

describe('toWebAuthnAuth', () => {
  it.each([
    ['a low s', 'low'],
    ['a high s, normalised to n − s', 'high'],
  ] as const)('turns an assertion with %s into the struct the contract verifies', (_name, half) => {
    const assertion = passkey.sign(digest, { s: half });
    const rawS = parseDerSignature(Buffer.from(assertion.signature, 'base64url')).s;
    expect(rawS > P256_N / 2n).toBe(half === 'high');

    const auth = toWebAuthnAuth(assertion, expected);

    const s = BigInt(auth.s);
    expect(s <= P256_N / 2n, 's is in the low half').toBe(true);
    expect(s).toBe(half === 'high' ? P256_N - rawS : rawS);
    expect(nodeVerifies(auth)).toBe(true);
    expect(verifyWebAuthnAuth(auth, passkey)).toBe(true);
    const json = auth.clientDataJSON;
    expect(json.slice(Number(auth.typeIndex), Number(auth.typeIndex) + 21)).toBe('"type":"webauthn.get"');
    expect(json.slice(Number(auth.challengeIndex))).toMatch(
      new RegExp(`^"challenge":"${Buffer.from(hexToBytes(digest)).toString('base64url')}"`),
    );
    expect(auth.authenticatorData.slice(2, 66)).toBe(createHash('sha256').update(RP_ID).digest('hex'));
  });

  it.each([
    ['another digest', () => passkey.sign(keccak256(toHex('settlement 8 approve'))), 'challenge'],
    ['a registration (webauthn.create)', () => passkey.sign(digest, { type: 'webauthn.create' }), 'type'],
    ['another site', () => passkey.sign(digest, { origin: 'https://evil.example' }), 'origin'],
    ['no user verification', () => passkey.sign(digest, { flags: 0x01 }), 'user-verification'],
    ['no user presence', () => passkey.sign(digest, { flags: 0x04 }), 'user-presence'],
    ['backed up but not eligible', () => passkey.sign(digest, { flags: 0x15 }), 'backup-flags'],
    [
      'another relying party',
      () => new VirtualPasskey({ rpId: 'evil.example', origin: ORIGIN }).sign(digest),
      'rp-id',
    ],
  ])('refuses %s', (_name, make, problem) => {
    expect(problemOf(() => toWebAuthnAuth(make(), expected))).toBe(problem);
  });

  it('refuses a clientDataJSON whose first "challenge" key is not the real one', () => {
    const assertion = passkey.sign(digest);
    const real = JSON.parse(Buffer.from(assertion.clientDataJSON, 'base64url').toString());
    const json = `{"extra":{"challenge":"AAAA"},"type":"webauthn.get","challenge":"${real.challenge}","origin":"${ORIGIN}"}`;
    expect(problemOf(() => toWebAuthnAuth(withClientData(assertion, json), expected))).toBe('challenge');
  });

  it('refuses a frame of another site, non-ASCII client data and broken encodings', () => {
    const assertion = passkey.sign(digest);
    const real = JSON.parse(Buffer.from(assertion.clientDataJSON, 'base64url').toString());
    const crossOrigin = JSON.stringify({ ...real, crossOrigin: true });
    expect(problemOf(() => toWebAuthnAuth(withClientData(assertion, crossOrigin), expected))).toBe(
      'cross-origin',
    );
    const accented = JSON.stringify({ ...real, topOrigin: 'https://kø.dk' });
    expect(problemOf(() => toWebAuthnAuth(withClientData(assertion, accented), expected))).toBe(
      'client-data',
    );
    expect(problemOf(() => toWebAuthnAuth({ ...assertion, signature: 'not base64!' }, expected))).toBe(
      'encoding',
    );
    expect(problemOf(() => toWebAuthnAuth(withClientData(assertion, '[1]'), expected))).toBe('client-data');
  });
});

describe('parseDerSignature', () => {
  const der = (r: string, s: string) =>
    Buffer.from(`30${(r.length / 2 + s.length / 2).toString(16).padStart(2, '0')}${r}${s}`, 'hex');

  it('reads minimal DER integers, with the zero byte that keeps a high bit positive', () => {
    expect(parseDerSignature(der('020101', '020200ff'))).toEqual({ r: 1n, s: 255n });
  });

  it.each([
    ['a needless leading zero', der('02020001', '020101')],
    ['a negative integer', der('020181', '020101')],
    ['r = 0', der('020100', '020101')],
    ['bytes after the sequence', Buffer.concat([der('020101', '020101'), Buffer.from([0])])],
    ['a wrong outer tag', Buffer.from('3106020101020101', 'hex')],
    ['random bytes', randomBytes(70)],
  ])('refuses %s', (_name, bytes) => {
    expect(() => parseDerSignature(bytes)).toThrow(AppError);
  });
});

describe('abiEncodeWebAuthnAuth', () => {
  it('encodes the fields as one flat tuple, r first, as the on-chain verifier decodes them', () => {
    const auth = toWebAuthnAuth(passkey.sign(digest), expected);
    const encoded = abiEncodeWebAuthnAuth(auth);
    // No leading offset word: the first 32 bytes are r itself.
    expect(encoded.slice(0, 66)).toBe(auth.r);
    const decoded = decodeAbiParameters(WEBAUTHN_AUTH_ABI_PARAMETER.components, encoded);
    expect(decoded).toEqual([
      auth.r,
      auth.s,
      auth.challengeIndex,
      auth.typeIndex,
      auth.authenticatorData,
      auth.clientDataJSON,
    ]);
  });
});

describe('passkeyChainAddress', () => {
  it('is the low 20 bytes of keccak256(abi.encode(qx, qy))', () => {
    const key = { x: Buffer.alloc(32, 0x11), y: Buffer.alloc(32, 0x22) };
    const hash = keccak256(`0x${'11'.repeat(32)}${'22'.repeat(32)}`);
    expect(passkeyChainAddress(key).toLowerCase()).toBe(`0x${hash.slice(26)}`);
  });
});
