/**
 * The staff session: the access token lives in memory, with a copy in sessionStorage so a
 * reload of the tab keeps the officer signed in. It dies with the tab, is never put in a URL
 * and never in localStorage, and is dropped as soon as it expires or the API says 401.
 */
export type StaffRole = 'admin' | 'caseworker' | 'finance' | 'auditor' | 'provider_staff' | string;

export interface Session {
  accessToken: string;
  role: StaffRole;
  username: string;
  /** The token's subject: the staff user's id, e.g. to tell one's own settlement proposals. */
  staffId: string;
  municipalityId: number;
  /** Epoch milliseconds. */
  expiresAt: number;
}

const STORAGE_KEY = 'voucher-console-session';
let current: Session | undefined = readStored();
const listeners = new Set<(session: Session | undefined) => void>();

export function currentSession(): Session | undefined {
  if (current && current.expiresAt <= Date.now()) setSession(undefined);
  return current;
}

export function setSession(session: Session | undefined): void {
  current = session;
  try {
    if (session) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
    else sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // Storage may be disabled; the in-memory session still works for this page.
  }
  for (const listener of listeners) listener(session);
}

export function onSessionChange(listener: (session: Session | undefined) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function readStored(): Session | undefined {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    if (!raw) return undefined;
    const session = JSON.parse(raw) as Session;
    return session.expiresAt > Date.now() ? session : undefined;
  } catch {
    return undefined;
  }
}

/** The subject claim of a JWT; the console reads it only to know who it is, never to trust it. */
export function tokenSubject(accessToken: string): string {
  try {
    const payload = accessToken.split('.')[1] ?? '';
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const sub = (JSON.parse(json) as { sub?: unknown }).sub;
    return typeof sub === 'string' ? sub : '';
  } catch {
    return '';
  }
}
