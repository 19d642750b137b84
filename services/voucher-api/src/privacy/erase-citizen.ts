import { accounts, activationCodes, appendAudit, citizens, devices, grants, passes } from '@voucher/db';
import { and, eq } from 'drizzle-orm';
import { toHex } from 'viem';
import { auditActor } from '../audit/actor.ts';
import type { AccessClaims } from '../auth/claims.ts';
import type { DomainDeps } from '../deps.ts';
import { enqueueAccountClose } from './close-account-on-chain.ts';
import { findCitizen } from './find-citizen.ts';
import { accountOfCitizen } from './read-citizen.ts';

/**
 * GDPR art. 17 by crypto-shredding. The wrapped data key goes, so the sealed record (and
 * every backup of it) is noise; the blind index and the per-program person keys go, so the
 * CPR can no longer find or dedupe anything; the account loses its link to the citizen. The
 * account itself stays as a pseudonym (the chain history cannot change), but it is closed and
 * its passes stop working and its devices and codes are deleted: no person stands behind it.
 */
export async function eraseCitizen(deps: DomainDeps, actor: AccessClaims, citizenId: string): Promise<void> {
  const citizen = await findCitizen(deps, actor, citizenId);
  const account = await accountOfCitizen(deps, citizen);
  const now = deps.now();
  const accountHex = toHex(account.accountId);
  await deps.db.transaction(async (tx) => {
    await tx
      .update(citizens)
      .set({ cprBlindIndex: null, wrappedDataKey: null, sealedRecord: null, erasedAt: now })
      .where(eq(citizens.id, citizen.id));
    await tx.update(grants).set({ personKey: null }).where(eq(grants.accountId, account.accountId));
    await tx
      .update(accounts)
      .set({ citizenId: null, status: 'closed' })
      .where(eq(accounts.accountId, account.accountId));
    await tx
      .update(passes)
      .set({ status: 'revoked', revokedAt: now })
      .where(and(eq(passes.accountId, account.accountId), eq(passes.status, 'active')));
    // A phone's public key could be matched against the phone itself: delete, not just revoke.
    await tx.delete(devices).where(eq(devices.accountId, account.accountId));
    await tx.delete(activationCodes).where(eq(activationCodes.accountId, account.accountId));
    await enqueueAccountClose(tx, accountHex);
    await appendAudit(tx, {
      ...auditActor(actor),
      municipalityId: citizen.municipalityId,
      action: 'citizen.erased',
      subjectType: 'citizen',
      subjectId: citizen.id,
      details: { legalBasis: 'GDPR art. 17' },
    });
  });
}
