import type { AuditEntry } from '@voucher/db';
import type { AccessClaims } from '../auth/claims.ts';

/** The audit fields that say who acted, taken from the access token. */
export function auditActor(actor: AccessClaims): Pick<AuditEntry, 'actorId' | 'actorRole'> {
  return { actorId: actor.sub, actorRole: actor.role };
}

/** For changes made by the service itself (seeding, a terminal pairing with a code). */
export const SYSTEM_ACTOR = { actorId: 'system', actorRole: 'system' } as const;
