import { api } from './api.ts';
import { signPresentation } from './presentation.ts';
import { deviceStore, type Session, sessionStore } from './store.ts';

interface SessionResponse {
  accessToken: string;
  expiresInSeconds: number;
  accountId: string;
}

// A minute of margin: a token about to end would fail half-way through loading a screen.
const MARGIN_MS = 60_000;
let renewal: Promise<Session | undefined> | undefined;

/**
 * A usable session: the one given while it lasts, otherwise a new one bought with a fresh
 * presentation signed by this phone's key (the letter's code works only once, and sessions
 * are short). Screens loading at the same moment share one renewal. Undefined when the phone
 * has no key yet or the API refuses it (e.g. the pass was blocked).
 */
export async function usableSession(session: Session | undefined): Promise<Session | undefined> {
  if (session && session.expiresAt - MARGIN_MS > Date.now()) return session;
  renewal ??= renew().finally(() => {
    renewal = undefined;
  });
  return renewal;
}

async function renew(): Promise<Session | undefined> {
  const stored = await sessionStore.read();
  if (stored && stored.expiresAt - MARGIN_MS > Date.now()) return stored;
  const device = await deviceStore.read();
  if (!device) return undefined;
  const presentation = await signPresentation(
    device.privateKey,
    device.accountId,
    device.deviceId,
    Date.now(),
  );
  const answer = await api<SessionResponse>('/activation/session', {
    method: 'POST',
    body: { presentation },
  });
  const session: Session = {
    token: answer.accessToken,
    expiresAt: Date.now() + answer.expiresInSeconds * 1000,
    accountId: answer.accountId,
  };
  await sessionStore.write(session);
  return session;
}
