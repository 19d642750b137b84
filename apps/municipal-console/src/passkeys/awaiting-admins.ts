import type { Translate } from '../i18n/index.ts';

/**
 * Pure helpers for "Nøgler der venter på administratorerne" (no API or DOM, so they run in
 * the unit tests); passkey-api.ts fetches the list.
 */

/**
 * One call the municipality's named admins must schedule in their timelock, as
 * GET /staff/passkeys/awaiting-admins lists it: give an active officer passkey's account its
 * role on chain, or take it from a revoked one. The service itself cannot do either.
 */
export interface AwaitingAdmins {
  passkeyId: string;
  username: string;
  deviceName: string;
  /** The passkey's account on chain. */
  address: string;
  change: 'grant' | 'revoke';
  role: string;
  /** What the admins schedule: the hub's address and the calldata. */
  call: { to: string; data: string };
}

/** The on-chain roles the console can name in words; any other is shown as the chain spells it. */
const ROLE_KEYS: Record<string, string> = {
  FINANCE_OFFICER_ROLE: 'awaitingAdmins.roles.financeOfficer',
  TREASURY_ROLE: 'awaitingAdmins.roles.treasury',
};

/** The role in words ("Økonomimedarbejder"); the page shows the chain's name beside it. */
export function roleText(t: Translate, role: string): string {
  const key = ROLE_KEYS[role];
  return key ? t(key) : role;
}

/** "Giv rolle" or "Fjern rolle". */
export function changeText(t: Translate, change: AwaitingAdmins['change']): string {
  return t(change === 'grant' ? 'awaitingAdmins.changes.grant' : 'awaitingAdmins.changes.revoke');
}

/** 0x1234…cdef: enough to recognise an address on screen; the full one is beside it. */
export function shortAddress(address: string): string {
  return /^0x[0-9a-fA-F]{40}$/.test(address) ? `${address.slice(0, 6)}…${address.slice(-4)}` : address;
}

/** A stable key for a row: one passkey can wait for two roles. */
export function rowKey(entry: AwaitingAdmins): string {
  return `${entry.passkeyId}-${entry.change}-${entry.role}`;
}
