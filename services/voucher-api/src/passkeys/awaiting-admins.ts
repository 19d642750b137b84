import { ROLE, voucherHubAbi } from '@voucher/contracts';
import { staffPasskeys, staffUsers } from '@voucher/db';
import { and, asc, eq } from 'drizzle-orm';
import { encodeFunctionData, getAddress, type Hex } from 'viem';
import type { AccessClaims, Role } from '../auth/claims.ts';
import { adminsOnChainFor } from '../chain/config.ts';
import type { ChainGateway } from '../chain/gateway.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import { withTenant } from '../tenancy/with-tenant.ts';
import { chainRolesOfStaff } from './passkey-on-chain.ts';

const ROLE_NAMES: Record<Hex, string> = {
  [ROLE.financeOfficer]: 'FINANCE_OFFICER_ROLE',
  [ROLE.treasury]: 'TREASURY_ROLE',
};

/**
 * One change the municipality's named admins must make on chain through their timelock: give
 * an enrolled officer passkey's account its role, or take it from a revoked one. `call` is
 * what they schedule (the hub, and the calldata of grantMunicipalRole or revokeMunicipalRole).
 */
export interface AwaitingAdmins {
  passkeyId: string;
  username: string;
  deviceName: string;
  address: Hex;
  change: 'grant' | 'revoke';
  role: string;
  call: { to: Hex; data: Hex };
}

function holdsRole(chain: ChainGateway, municipality: number, role: Hex, account: Hex): Promise<boolean> {
  return chain.publicClient.readContract({
    address: chain.addresses.hub,
    abi: voucherHubAbi,
    functionName: 'hasMunicipalRole',
    args: [municipality, role, account],
  });
}

/**
 * Refuses a signature from a passkey the municipality's named admins have not yet approved on
 * chain (the hub would refuse it too, after the relay): a clear 409 now, not a failed
 * transaction later. Where the development admin acts, its grant is already queued ahead of any
 * relay in the outbox, so nothing waits on people.
 */
export async function assertPasskeyApproved(
  deps: DomainDeps,
  chain: ChainGateway,
  actor: AccessClaims,
  account: Hex,
): Promise<void> {
  if (adminsOnChainFor(deps.config) === 'development-admin') return;
  for (const role of chainRolesOfStaff(actor.role)) {
    if (!(await holdsRole(chain, actor.municipalityId, role, account))) {
      throw new AppError('PASSKEY_AWAITING_ADMINS');
    }
  }
}

/**
 * What waits for the municipality's named admins on chain, oldest key first: every active officer
 * passkey whose account lacks a role, and every revoked one whose account still holds one. Read
 * from the chain each time, so a change the admins made shows at once.
 */
export async function listAwaitingAdmins(deps: DomainDeps, actor: AccessClaims): Promise<AwaitingAdmins[]> {
  const chain = deps.chain;
  if (!chain) throw new AppError('CHAIN_UNAVAILABLE');
  const keys = await withTenant(deps, actor, ({ db }) =>
    db
      .select({
        id: staffPasskeys.id,
        address: staffPasskeys.chainAddress,
        deviceName: staffPasskeys.deviceName,
        revokedAt: staffPasskeys.revokedAt,
        username: staffUsers.username,
        staffRole: staffUsers.role,
      })
      .from(staffPasskeys)
      .innerJoin(staffUsers, eq(staffUsers.id, staffPasskeys.staffUserId))
      .where(and(eq(staffPasskeys.municipalityId, actor.municipalityId)))
      .orderBy(asc(staffPasskeys.createdAt), asc(staffPasskeys.id)),
  );
  const awaiting: AwaitingAdmins[] = [];
  for (const key of keys) {
    const address = getAddress(key.address);
    for (const role of chainRolesOfStaff(key.staffRole as Role)) {
      const holds = await holdsRole(chain, actor.municipalityId, role, address);
      const change = key.revokedAt ? (holds ? 'revoke' : undefined) : holds ? undefined : 'grant';
      if (!change) continue;
      awaiting.push({
        passkeyId: key.id,
        username: key.username,
        deviceName: key.deviceName,
        address,
        change,
        role: ROLE_NAMES[role] ?? role,
        call: {
          to: chain.addresses.hub,
          data: encodeFunctionData({
            abi: voucherHubAbi,
            functionName: change === 'grant' ? 'grantMunicipalRole' : 'revokeMunicipalRole',
            args: [actor.municipalityId, role, address],
          }),
        },
      });
    }
  }
  return awaiting;
}
