import { useEffect } from 'preact/hooks';
import type { Session } from '../auth/session.ts';
import { navigate } from '../routes.ts';
import { activePasskeys, listOwnPasskeys } from './passkey-api.ts';
import { needsPasskey } from './passkey-roles.ts';

const NUDGED_KEY = 'voucher-console-passkey-nudged';

/**
 * At sign-in, a finance officer or admin without a passkey is taken to "Mine adgangsnøgler"
 * to enrol one. Once per sign-in (remembered for the tab), so a reload does not move them
 * away from the work they went back to; and only while they are still on the screen they
 * signed in to, so a menu choice made before the answer came is never overruled.
 */
export function usePasskeyNudge(session: Session | undefined): void {
  const token = session?.accessToken;
  const role = session?.role;
  useEffect(() => {
    if (!token || !needsPasskey(role) || alreadyNudged(token)) return;
    let cancelled = false;
    const screen = location.hash;
    listOwnPasskeys().then(
      (own) => {
        if (cancelled) return;
        rememberNudged(token);
        if (activePasskeys(own.passkeys).length === 0 && location.hash === screen) navigate('passkeys');
      },
      // Nothing to lead to if the list cannot be read; the page itself shows the failure.
      () => {},
    );
    return () => {
      cancelled = true;
    };
  }, [token, role]);
}

function alreadyNudged(token: string): boolean {
  try {
    return sessionStorage.getItem(NUDGED_KEY) === fingerprint(token);
  } catch {
    return false;
  }
}

function rememberNudged(token: string): void {
  try {
    sessionStorage.setItem(NUDGED_KEY, fingerprint(token));
  } catch {
    // Without storage the nudge may repeat after a reload; harmless.
  }
}

// The token's signature part tells sign-ins apart without storing the token a second time.
function fingerprint(token: string): string {
  return token.slice(-16);
}
