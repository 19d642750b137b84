import { appendAudit, type StaffRole, staffUsers } from '@voucher/db';
import { auditActor } from '../audit/actor.ts';
import type { AccessClaims } from '../auth/claims.ts';
import { hashPassword } from '../auth/passwords.ts';
import { isUniqueViolation } from '../db-errors.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';

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
 * Creates a staff account. The service holds no chain key for anyone: a finance officer signs
 * money steps with their own passkey, whose account gets the officer's roles in their own
 * municipality when they enrol it (passkeys/passkey-on-chain.ts).
 */
export async function createStaff(deps: DomainDeps, params: CreateStaffParams): Promise<CreatedStaff> {
  const passwordHash = await hashPassword(params.password);
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
        })
        .returning();
      if (!created) throw new Error('staff insert returned nothing');
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
