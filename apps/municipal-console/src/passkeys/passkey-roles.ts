/**
 * The roles that sign money movements on chain (period close, settlement, funding, bank
 * confirmation) or grant others' keys their roles: the console leads them to enrol a passkey.
 */
const SIGNING_ROLES: readonly string[] = ['finance', 'admin'];

export function needsPasskey(role: string | undefined): boolean {
  return role !== undefined && SIGNING_ROLES.includes(role);
}
