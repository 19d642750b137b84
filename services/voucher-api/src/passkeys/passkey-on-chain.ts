import { ROLE } from '@voucher/contracts';
import type { Transaction } from '@voucher/db';
import { type Hex, toHex } from 'viem';
import type { Role } from '../auth/claims.ts';
import type { AdminsOnChain } from '../chain/config.ts';
import { DEVELOPMENT_ADMIN_SIGNER } from '../chain/signers.ts';
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
 * Publishes the passkey on chain (giving it no power) and has the municipality's admin, which
 * the service never is, grant the staff member's roles: the admin's approval of the officer's
 * key, recorded on chain. On a local development chain the development admin does it through
 * the outbox, in the caller's transaction (the enrolment); on a real network the municipality's
 * named admins schedule the grant in their timelock, and the admins' page lists what waits for
 * them (src/passkeys/awaiting-admins.ts).
 */
export async function enqueuePasskeyOnChain(
  tx: Transaction,
  key: PasskeyAccount,
  admins: AdminsOnChain,
): Promise<void> {
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
  if (admins !== 'development-admin') return;
  for (const role of roles) {
    await enqueueChainWrite(tx, {
      kind: 'passkey.role',
      contract: 'hub',
      functionName: 'grantMunicipalRole',
      args: [String(key.municipalityId), role, address],
      signer: DEVELOPMENT_ADMIN_SIGNER,
      idempotencyKey: `passkey:${address}:grant:${role}`,
    });
  }
}

/**
 * Takes the roles back from a revoked passkey's account where the development admin acts; on a
 * real network the named admins revoke it in their timelock. Either way the service stops
 * relaying the key's signatures at once (the passkey row is revoked).
 */
export async function enqueuePasskeyRevocationOnChain(
  tx: Transaction,
  key: Pick<PasskeyAccount, 'municipalityId' | 'staffRole' | 'chainAddress'>,
  admins: AdminsOnChain,
): Promise<void> {
  if (admins !== 'development-admin') return;
  const address = key.chainAddress.toLowerCase();
  for (const role of chainRolesOfStaff(key.staffRole)) {
    await enqueueChainWrite(tx, {
      kind: 'passkey.role',
      contract: 'hub',
      functionName: 'revokeMunicipalRole',
      args: [String(key.municipalityId), role, address],
      signer: DEVELOPMENT_ADMIN_SIGNER,
      idempotencyKey: `passkey:${address}:revoke:${role}`,
    });
  }
}
