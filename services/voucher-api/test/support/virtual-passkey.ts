import { createHash, generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto';
import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import { isoCBOR } from '@simplewebauthn/server/helpers';
import type { Hex } from 'viem';
import { hexToBytes } from 'viem';
import { softwareAssertion } from '../../src/passkeys/software-assertion.ts';
import { P256_N, parseDerSignature, type WebAuthnAssertion } from '../../src/passkeys/webauthn-auth.ts';

/** Authenticator data flags (WebAuthn §6.1). */
const UP = 0x01;
const UV = 0x04;
const AT = 0x40;

/** What a browser hands the page after navigator.credentials.get, plus which credential signed. */
export interface VirtualAssertion extends WebAuthnAssertion {
  credentialId: string;
}

export interface VirtualPasskeyOptions {
  rpId: string;
  origin: string;
}

/**
 * Test-only: a platform authenticator in the test process. It holds a P-256 key (node:crypto)
 * and answers registration and authentication exactly as a browser relays them: base64url
 * JSON, attestation "none", flags UP|UV, rpIdHash = sha256(rpId), a counter, and DER
 * signatures over authenticatorData ‖ sha256(clientDataJSON). No CBOR by hand: the attestation
 * object and COSE key go through @simplewebauthn's own encoder.
 */
export class VirtualPasskey {
  readonly credentialId = randomBytes(16).toString('base64url');
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** Public key coordinates, 32 bytes each. */
  readonly x: Buffer;
  readonly y: Buffer;
  private counter = 0;

  constructor(private readonly options: VirtualPasskeyOptions) {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
    const jwk = pair.publicKey.export({ format: 'jwk' });
    this.x = Buffer.from(jwk.x ?? '', 'base64url');
    this.y = Buffer.from(jwk.y ?? '', 'base64url');
  }

  /** The public key as WebCrypto exports it (the development-key path sends this). */
  get jwk(): { kty: 'EC'; crv: 'P-256'; x: string; y: string } {
    return { kty: 'EC', crv: 'P-256', x: this.x.toString('base64url'), y: this.y.toString('base64url') };
  }

  /** navigator.credentials.create's answer to the server's options, as startRegistration returns it. */
  register(
    challenge: string,
    overrides: { algorithm?: number; flags?: number } = {},
  ): RegistrationResponseJSON {
    const coseKey = new Map<number, number | Uint8Array>([
      [1, 2], // kty: EC2
      [3, overrides.algorithm ?? -7], // alg: ES256
      [-1, 1], // crv: P-256
      [-2, new Uint8Array(this.x)],
      [-3, new Uint8Array(this.y)],
    ]);
    const credentialId = Buffer.from(this.credentialId, 'base64url');
    const credentialIdLength = Buffer.alloc(2);
    credentialIdLength.writeUInt16BE(credentialId.length);
    const authData = Buffer.concat([
      this.authenticatorDataPrefix(overrides.flags ?? UP | UV | AT),
      Buffer.alloc(16), // AAGUID: none, as attestation "none" reports it
      credentialIdLength,
      credentialId,
      Buffer.from(isoCBOR.encode(coseKey)),
    ]);
    const attestationObject = isoCBOR.encode(
      new Map<string, string | Uint8Array | Map<string, string>>([
        ['fmt', 'none'],
        ['attStmt', new Map<string, string>()],
        ['authData', new Uint8Array(authData)],
      ]),
    );
    const clientDataJSON = this.clientData('webauthn.create', challenge);
    return {
      id: this.credentialId,
      rawId: this.credentialId,
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      response: {
        clientDataJSON,
        attestationObject: Buffer.from(attestationObject).toString('base64url'),
        transports: ['internal'],
      },
    };
  }

  /**
   * navigator.credentials.get over `challenge` (32 bytes, e.g. a digest the contract checks).
   * `s` picks the half of the signature's s (a browser gives either); 'any' takes what node gives.
   */
  sign(
    challenge: Hex | Uint8Array,
    options: { s?: 'high' | 'low' | 'any'; origin?: string; type?: string; flags?: number } = {},
  ): VirtualAssertion {
    this.counter += 1;
    const input = {
      privateKey: this.privateKey,
      rpId: this.options.rpId,
      origin: options.origin ?? this.options.origin,
      challenge: typeof challenge === 'string' ? hexToBytes(challenge) : challenge,
      type: options.type ?? 'webauthn.get',
      flags: options.flags ?? UP | UV,
      counter: this.counter,
    };
    const wanted = options.s ?? 'any';
    for (;;) {
      // ECDSA's nonce is random, so s falls in either half with even odds; try until it does.
      const assertion = softwareAssertion(input);
      const signature = Buffer.from(assertion.signature, 'base64url');
      if (wanted === 'any' || isHighS(signature) === (wanted === 'high')) {
        return { credentialId: this.credentialId, ...assertion };
      }
    }
  }

  private authenticatorDataPrefix(flags: number): Buffer {
    this.counter += 1;
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(this.counter);
    return Buffer.concat([
      createHash('sha256').update(this.options.rpId).digest(),
      Buffer.from([flags]),
      counter,
    ]);
  }

  private clientData(type: string, challenge: string, origin = this.options.origin): string {
    // Chromium's member order and spelling; the contract finds "type" and "challenge" by index.
    const json = JSON.stringify({ type, challenge, origin, crossOrigin: false });
    return Buffer.from(json, 'utf8').toString('base64url');
  }
}

/** Whether a DER ECDSA signature's s lies above n/2, the half OpenZeppelin's P256 refuses. */
function isHighS(der: Buffer): boolean {
  return parseDerSignature(der).s > P256_N >> 1n;
}
