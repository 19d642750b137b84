import { createHash, type KeyObject, sign } from 'node:crypto';
import type { WebAuthnAssertion } from './webauthn-auth.ts';

/** Authenticator data flags (WebAuthn §6.1): user present, user verified. */
export const FLAG_UP = 0x01;
export const FLAG_UV = 0x04;

export interface SoftwareAssertionInput {
  privateKey: KeyObject;
  rpId: string;
  origin: string;
  challenge: Uint8Array;
  /** 'webauthn.get' unless a test says otherwise. */
  type?: string;
  flags?: number;
  /** The signature counter; 0 for a counterless key, as synced passkeys report. */
  counter?: number;
}

/**
 * What a browser hands the page after navigator.credentials.get, made with a P-256 key held in
 * this process: authenticator data (rpIdHash, flags, counter), Chromium's client data JSON,
 * and DER ECDSA over authenticatorData ‖ sha256(clientDataJSON), all base64url. Used by the
 * demo seed's development keys and by the tests' virtual authenticator.
 */
export function softwareAssertion(input: SoftwareAssertionInput): WebAuthnAssertion {
  const counter = Buffer.alloc(4);
  counter.writeUInt32BE(input.counter ?? 0);
  const authenticatorData = Buffer.concat([
    createHash('sha256').update(input.rpId).digest(),
    Buffer.from([input.flags ?? FLAG_UP | FLAG_UV]),
    counter,
  ]);
  // Chromium's member order and spelling; the contract finds "type" and "challenge" by index.
  const clientDataJSON = Buffer.from(
    JSON.stringify({
      type: input.type ?? 'webauthn.get',
      challenge: Buffer.from(input.challenge).toString('base64url'),
      origin: input.origin,
      crossOrigin: false,
    }),
    'utf8',
  );
  const signature = sign(
    'sha256',
    Buffer.concat([authenticatorData, createHash('sha256').update(clientDataJSON).digest()]),
    input.privateKey,
  );
  return {
    authenticatorData: authenticatorData.toString('base64url'),
    clientDataJSON: clientDataJSON.toString('base64url'),
    signature: signature.toString('base64url'),
  };
}
