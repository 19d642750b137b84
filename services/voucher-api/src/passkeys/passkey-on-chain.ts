import { ROLE } from '@voucher/contracts';
import type { Transaction } from '@voucher/db';
import { type Hex, toHex } from 'viem';
import type { Role } from '../auth/claims.ts';
import { enqueueChainWrite } from '../outbox/enqueue.ts';

/**
 * The roles a staff member's passkey account holds on chain in their municipality: a finance
 * officer's passkey closes periods, proposes and approves settlements, confirms the bank's
 * payments (finance officer) and funds and reclaims programs (treasury). Other staff sign
 * nothing that moves money.
 */
export function chainRolesOfStaff(role: Role): Hex[] {
  return role === 'finance' ? [ROLE.financeOfficer, ROLE.treasury] : [];
}

interface PasskeyAccount {
  municipalityId: number;
  staffRole: Role;
  publicKeyX: Uint8Array;
  publicKeyY: Uint8Array;
  chainAddress: string;
}

/**
 * Publishes the passkey on chain and has the municipal admin give its account the staff
 * member's roles, in the caller's transaction (the enrolment). The grant is the admin's
 * approval of the officer's key, recorded on chain. In this version the operator key is the
 * municipality's admin on chain (see create-municipality.ts), so the service relays the grant
 * itself; the officer's signatures remain the officer's own.
 */
export async function enqueuePasskeyOnChain(tx: Transaction, key: PasskeyAccount): Promise<void> {
  const roles = chainRolesOfStaff(key.staffRole);
  if (roles.length === 0) return;
  const address = key.chainAddress.toLowerCase();
  await enqueueChainWrite(tx, {
    kind: 'passkey.register',
    contract: 'hub',
    functionName: 'registerPasskey',
    args: [toHex(key.publicKeyX, { size: 32 }), toHex(key.publicKeyY, { size: 32 })],
    idempotencyKey: `passkey:${address}:register`,
  });
  for (const role of roles) {
    await enqueueChainWrite(tx, {
      kind: 'passkey.role',
      contract: 'hub',
      functionName: 'grantMunicipalRole',
      args: [String(key.municipalityId), role, address],
      idempotencyKey: `passkey:${address}:grant:${role}`,
    });
  }
}

/** Takes the roles back from a revoked passkey's account, so the chain refuses it too. */
export async function enqueuePasskeyRevocationOnChain(
  tx: Transaction,
  key: Pick<PasskeyAccount, 'municipalityId' | 'staffRole' | 'chainAddress'>,
): Promise<void> {
  const address = key.chainAddress.toLowerCase();
  for (const role of chainRolesOfStaff(key.staffRole)) {
    await enqueueChainWrite(tx, {
      kind: 'passkey.role',
      contract: 'hub',
      functionName: 'revokeMunicipalRole',
      args: [String(key.municipalityId), role, address],
      idempotencyKey: `passkey:${address}:revoke:${role}`,
    });
  }
}
