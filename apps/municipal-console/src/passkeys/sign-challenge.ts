import { browserSupportsWebAuthn, startAuthentication } from '@simplewebauthn/browser';
import { ApiError } from '../api/client.ts';
import { currentSession } from '../auth/session.ts';
import { findDevelopmentKey, signWithDevelopmentKey } from './development-key.ts';
import { activePasskeys, listOwnPasskeys, type OwnPasskeys } from './passkey-api.ts';
import { base64url, digestBytes } from './webauthn-format.ts';

/** An assertion over a digest, as the API's verifyStaffAssertion takes it (base64url fields). */
export interface SignedChallenge {
  credentialId: string;
  authenticatorData: string;
  clientDataJSON: string;
  /** ASN.1 DER, as WebAuthn gives it; the API turns it into the contract's r and low s. */
  signature: string;
}

/** How long the browser waits for the person to confirm with PIN, fingerprint or face. */
const SIGNING_TIMEOUT_MS = 120_000;

/**
 * Signs a 32-byte digest (hex) with the signed-in person's own key: one of their passkeys
 * through navigator.credentials.get (the digest's bytes are the WebAuthn challenge, which is
 * what the contract's WebAuthn.verify checks), or, where the demo allows it and this browser
 * holds one, their development key. Throws ApiError PASSKEY_REQUIRED when there is neither.
 */
export async function signChallenge(digestHex: string, keys?: OwnPasskeys): Promise<SignedChallenge> {
  const challenge = digestBytes(digestHex);
  const own = keys ?? (await listOwnPasskeys());
  const active = activePasskeys(own.passkeys);
  const passkeys = active.filter((key) => key.kind === 'passkey');
  if (passkeys.length > 0 && browserSupportsWebAuthn()) {
    const { id, response } = await startAuthentication({
      optionsJSON: {
        challenge: base64url(challenge),
        rpId: own.rpId,
        allowCredentials: passkeys.map((key) => ({
          id: key.credentialId,
          type: 'public-key',
          transports: key.transports as AuthenticatorTransport[],
        })),
        userVerification: 'required',
        timeout: SIGNING_TIMEOUT_MS,
      },
    });
    return {
      credentialId: id,
      authenticatorData: response.authenticatorData,
      clientDataJSON: response.clientDataJSON,
      signature: response.signature,
    };
  }
  const staffId = currentSession()?.staffId;
  const developmentIds = active.filter((key) => key.kind === 'development').map((key) => key.credentialId);
  const developmentKey =
    own.allowDevelopmentKeys && staffId ? await findDevelopmentKey(staffId, developmentIds) : undefined;
  if (!developmentKey) throw new ApiError(0, 'PASSKEY_REQUIRED', '');
  return {
    credentialId: developmentKey.credentialId,
    ...(await signWithDevelopmentKey(developmentKey, challenge)),
  };
}
