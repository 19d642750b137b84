import type { StaffRole } from '@voucher/db';

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
