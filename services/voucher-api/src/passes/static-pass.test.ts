import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  generatePassSigningKey,
  passKeySet,
  passPublicKeyFromJwk,
  passSigningKeyFromSeed,
} from './pass-signing-key.ts';
import { signStaticPass, verifyStaticPass } from './static-pass.ts';

const signingKey = generatePassSigningKey();
const pass = { accountId: randomBytes(32), serial: 42n, issuedAt: new Date('2027-01-05T10:00:00Z') };

describe('static pass', () => {
  it('round-trips through the compact QR text', () => {
    const text = signStaticPass(signingKey.privateKey, pass);
    expect(text).toMatch(/^VP1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(text.length).toBeLessThan(200);
    expect(verifyStaticPass(signingKey.publicKey, text)).toEqual(pass);
  });

  it('verifies offline from the published JWK alone', () => {
    const text = signStaticPass(signingKey.privateKey, pass);
    const [jwk] = passKeySet([signingKey.publicKey]).keys;
    expect(jwk).toMatchObject({
      kty: 'OKP',
      crv: 'Ed25519',
      alg: 'EdDSA',
      use: 'sig',
      kid: signingKey.keyId,
    });
    expect(verifyStaticPass(passPublicKeyFromJwk(jwk as never), text).serial).toBe(42n);
  });

  it('accepts any key of a rotating key set', () => {
    const newKey = generatePassSigningKey();
    const text = signStaticPass(signingKey.privateKey, pass);
    expect(verifyStaticPass([newKey.publicKey, signingKey.publicKey], text).serial).toBe(42n);
  });

  it('rejects a pass signed by another key as forged', () => {
    const text = signStaticPass(generatePassSigningKey().privateKey, pass);
    expect(() => verifyStaticPass(signingKey.publicKey, text)).toThrow(
      expect.objectContaining({ code: 'PASS_FORGED' }),
    );
  });

  it('rejects a pass whose serial was altered as forged', () => {
    const other = signStaticPass(signingKey.privateKey, { ...pass, serial: 43n });
    const [prefix, , signature] = signStaticPass(signingKey.privateKey, pass).split('.');
    const spliced = `${prefix}.${other.split('.')[1]}.${signature}`;
    expect(() => verifyStaticPass(signingKey.publicKey, spliced)).toThrow(
      expect.objectContaining({ code: 'PASS_FORGED' }),
    );
  });

  it.each([
    '',
    'VP1',
    'VP1..',
    'VP2.AAAA.AAAA',
    'VR1.AAAA.AAAA',
    'VP1.AAAA.AAAA',
    'VP1.A+AA.AAAA',
    'VP1.AAAA.AAAA.AAAA',
    `VP1.${'A'.repeat(2000)}.AAAA`,
  ])('rejects %j as malformed', (text) => {
    expect(() => verifyStaticPass(signingKey.publicKey, text)).toThrow(
      expect.objectContaining({ code: 'PASS_MALFORMED' }),
    );
  });

  it('derives the same key from the same seed', () => {
    const seed = randomBytes(32);
    expect(passSigningKeyFromSeed(seed).keyId).toBe(passSigningKeyFromSeed(seed).keyId);
    const text = signStaticPass(passSigningKeyFromSeed(seed).privateKey, pass);
    expect(verifyStaticPass(passSigningKeyFromSeed(seed).publicKey, text).serial).toBe(42n);
    expect(() => passSigningKeyFromSeed(randomBytes(31))).toThrow(/32 bytes/);
  });
});
