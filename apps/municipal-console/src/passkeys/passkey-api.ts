import {
  type PublicKeyCredentialCreationOptionsJSON,
  type RegistrationResponseJSON,
  startRegistration,
} from '@simplewebauthn/browser';
import { apiJson } from '../api/client.ts';
import type { AwaitingAdmins } from './awaiting-admins.ts';
import {
  createDevelopmentKeyPair,
  publicJwk,
  saveDevelopmentKey,
  signAsAuthenticator,
} from './development-key.ts';
import { fromBase64url } from './webauthn-format.ts';

/** A staff member's key as GET /staff/me/passkeys lists it. */
export interface Passkey {
  id: string;
  credentialId: string;
  address: string;
  deviceName: string;
  kind: 'passkey' | 'development';
  transports: string[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface OwnPasskeys {
  rpId: string;
  allowDevelopmentKeys: boolean;
  passkeys: Passkey[];
}

interface RegistrationOptions {
  options: PublicKeyCredentialCreationOptionsJSON;
  allowDevelopmentKeys: boolean;
}

export function listOwnPasskeys(): Promise<OwnPasskeys> {
  return apiJson<OwnPasskeys>('GET', '/staff/me/passkeys');
}

export function revokePasskey(id: string): Promise<Passkey> {
  return apiJson<Passkey>('DELETE', `/staff/me/passkeys/${encodeURIComponent(id)}`);
}

/** What the municipality's named admins must still schedule on chain (role admin only). */
export function listAwaitingAdmins(): Promise<{ awaiting: AwaitingAdmins[] }> {
  return apiJson<{ awaiting: AwaitingAdmins[] }>('GET', '/staff/passkeys/awaiting-admins');
}

export function activePasskeys(passkeys: readonly Passkey[]): Passkey[] {
  return passkeys.filter((passkey) => passkey.revokedAt === null);
}

/** Enrols this device's passkey: the browser asks for the PIN, fingerprint or face. */
export async function enrolPasskey(deviceName: string): Promise<Passkey> {
  const { options } = await apiJson<RegistrationOptions>(
    'POST',
    '/staff/me/passkeys/registration-options',
    {},
  );
  const response: RegistrationResponseJSON = await startRegistration({ optionsJSON: options });
  return apiJson<Passkey>('POST', '/staff/me/passkeys', { deviceName, response });
}

/**
 * Enrols a development key: made here, proven by signing the server's challenge in the
 * WebAuthn assertion format, and kept in this browser once the API has accepted it.
 */
export async function enrolDevelopmentKey(deviceName: string, staffId: string): Promise<Passkey> {
  const { options } = await apiJson<RegistrationOptions>(
    'POST',
    '/staff/me/passkeys/registration-options',
    {},
  );
  const rpId = options.rp.id ?? location.hostname;
  const keyPair = await createDevelopmentKeyPair();
  const jwk = await publicJwk(keyPair);
  const counter = 1;
  const assertion = await signAsAuthenticator(keyPair.privateKey, {
    challenge: fromBase64url(options.challenge),
    rpId,
    counter,
  });
  const passkey = await apiJson<Passkey>('POST', '/staff/me/passkeys', {
    kind: 'development',
    deviceName,
    publicKey: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y },
    assertion,
  });
  await saveDevelopmentKey({
    credentialId: passkey.credentialId,
    staffId,
    rpId,
    privateKey: keyPair.privateKey,
    counter,
  });
  return passkey;
}
