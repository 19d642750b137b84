import type { WebAuthnConfig } from '../config.ts';

/** Whether a ceremony's origin (from clientDataJSON) is one the console is served from. */
export function originAllowed(webauthn: WebAuthnConfig, origin: unknown): boolean {
  if (typeof origin !== 'string') return false;
  if (webauthn.origins.includes(origin)) return true;
  return webauthn.anyLocalhostPort && /^http:\/\/localhost:[1-9][0-9]{0,4}$/.test(origin);
}
