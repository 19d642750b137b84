import { appendAudit, type StaffRole, staffUsers } from '@voucher/db';
import { keccak256, toHex } from 'viem';
import { auditActor } from '../audit/actor.ts';
import type { AccessClaims } from '../auth/claims.ts';
import { hashPassword } from '../auth/passwords.ts';
import { isUniqueViolation } from '../db-errors.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import { createWrappedChainKey } from '../keys/chain-keys.ts';
import { enqueueChainWrite } from '../outbox/enqueue.ts';

const FINANCE_OFFICER_ROLE = keccak256(toHex('FINANCE_OFFICER_ROLE'));

export interface CreateStaffParams {
  actor: AccessClaims;
  municipalityId: number;
  username: string;
  password: string;
  role: StaffRole;
  providerId?: number;
}

export interface CreatedStaff {
  id: string;
  username: string;
  role: StaffRole;
  municipalityId: number;
  providerId: number | null;
  chainAddress: string | null;
}

/**
 * Creates a staff account. A finance officer also gets an own on-chain key, and the chain
 * is told to give that address the finance-officer role of the officer's municipality only
 * (the operator relays as that municipality's admin), so settlement approval needs two real,
 * different signatures and an officer of one municipality can do nothing in another.
 */
export async function createStaff(deps: DomainDeps, params: CreateStaffParams): Promise<CreatedStaff> {
  const passwordHash = await hashPassword(params.password);
  const chainKey = params.role === 'finance' ? createWrappedChainKey(deps.config.masterKey) : undefined;
  try {
    return await deps.db.transaction(async (tx) => {
      const [created] = await tx
        .insert(staffUsers)
        .values({
          municipalityId: params.municipalityId,
          username: params.username,
          role: params.role,
          providerId: params.providerId ?? null,
          passwordHash,
          chainAddress: chainKey?.address ?? null,
          chainKeyWrapped: chainKey?.wrapped ?? null,
        })
        .returning();
      if (!created) throw new Error('staff insert returned nothing');
      if (chainKey) {
        await enqueueChainWrite(tx, {
          kind: 'staff.finance-officer',
          contract: 'hub',
          functionName: 'grantMunicipalRole',
          args: [String(params.municipalityId), FINANCE_OFFICER_ROLE, chainKey.address],
          idempotencyKey: `staff:${created.id}:grant-finance-role`,
        });
      }
      await appendAudit(tx, {
        ...auditActor(params.actor),
        municipalityId: params.municipalityId,
        action: 'staff.created',
        subjectType: 'staff_user',
        subjectId: created.id,
        details: { role: created.role, providerId: created.providerId, chainAddress: created.chainAddress },
      });
      return {
        id: created.id,
        username: created.username,
        role: created.role,
        municipalityId: params.municipalityId,
        providerId: created.providerId,
        chainAddress: created.chainAddress,
      };
    });
  } catch (error) {
    if (isUniqueViolation(error, 'staff_users_username_unique')) throw new AppError('USERNAME_TAKEN');
    throw error;
  }
}
