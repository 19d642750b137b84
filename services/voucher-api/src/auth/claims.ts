import type { StaffRole, StaffUser } from '@voucher/db';

export type Role = StaffRole | 'citizen';

/** What an access token says about its holder. Ids only: never a name or CPR number. */
export interface AccessClaims {
  sub: string;
  role: Role;
  municipalityId: number;
  /** Set for provider_staff: the one provider they act for. */
  providerId?: number;
  /** Set for citizens: their pseudonymous account, hex. */
  accountId?: string;
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: AccessClaims;
    user: AccessClaims;
  }
}

/**
 * An operator's token names no municipality. 0 is no municipality's code (kommunekoder run 1–999),
 * so every check that compares municipalities refuses an operator, and no query finds rows.
 */
export const NO_MUNICIPALITY = 0;

/** The claims a staff member's access token carries. */
export function claimsOfStaff(
  user: Pick<StaffUser, 'id' | 'role' | 'municipalityId' | 'providerId'>,
): AccessClaims {
  return {
    sub: user.id,
    role: user.role,
    municipalityId: user.municipalityId ?? NO_MUNICIPALITY,
    ...(user.providerId !== null ? { providerId: user.providerId } : {}),
  };
}
