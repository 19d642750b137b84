import { appendAudit, staffPasskeys } from '@voucher/db';
import { and, eq, isNull } from 'drizzle-orm';
import { auditActor } from '../audit/actor.ts';
import type { AccessClaims } from '../auth/claims.ts';
import { adminsOnChainFor } from '../chain/config.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import { withTenant } from '../tenancy/with-tenant.ts';
import { enqueuePasskeyRevocationOnChain } from './passkey-on-chain.ts';
import { type PasskeyView, passkeyView } from './passkey-view.ts';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The owner revokes one of their keys (a lost or replaced device): the service no longer
 * relays its signatures. Revoking twice answers as the first time did; another person's key
 * answers 404. Taking the key's role away on chain is the admin's step there.
 */
export async function revokePasskey(
  deps: DomainDeps,
  params: { actor: AccessClaims; passkeyId: string },
): Promise<PasskeyView> {
  const { actor, passkeyId } = params;
  if (!UUID_PATTERN.test(passkeyId)) throw new AppError('NOT_FOUND');
  return withTenant(deps, actor, ({ db }) =>
    db.transaction(async (tx) => {
      const own = and(eq(staffPasskeys.id, passkeyId), eq(staffPasskeys.staffUserId, actor.sub));
      const [revoked] = await tx
        .update(staffPasskeys)
        .set({ revokedAt: deps.now() })
        .where(and(own, isNull(staffPasskeys.revokedAt)))
        .returning();
      if (revoked) {
        await enqueuePasskeyRevocationOnChain(
          tx,
          { ...revoked, staffRole: actor.role },
          adminsOnChainFor(deps.config),
        );
        await appendAudit(tx, {
          ...auditActor(actor),
          municipalityId: revoked.municipalityId,
          action: 'staff.passkey.revoked',
          subjectType: 'staff_passkey',
          subjectId: revoked.id,
          details: {
            staffUserId: revoked.staffUserId,
            kind: revoked.kind,
            chainAddress: revoked.chainAddress,
          },
        });
        return passkeyView(revoked);
      }
      const [earlier] = await tx.select().from(staffPasskeys).where(own);
      if (!earlier) throw new AppError('NOT_FOUND');
      return passkeyView(earlier);
    }),
  );
}
