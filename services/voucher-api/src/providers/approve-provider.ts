import { appendAudit, providerAdmissions, providers } from '@voucher/db';
import { eq } from 'drizzle-orm';
import { auditActor } from '../audit/actor.ts';
import type { AccessClaims } from '../auth/claims.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import { derivePayoutKey } from '../keys/chain-keys.ts';
import { enqueueChainWrite } from '../outbox/enqueue.ts';
import { findVisibleProvider } from './find-provider.ts';
import { type ProviderView, toProviderView } from './provider-view.ts';

/**
 * Approves a pending provider: it becomes active, gets its payout address, is admitted by its
 * home municipality (the approver's), and the chain is told to register it there, in one
 * transaction.
 */
export async function approveProvider(
  deps: DomainDeps,
  params: { actor: AccessClaims; providerId: number },
): Promise<ProviderView> {
  return deps.db.transaction(async (tx) => {
    const provider = await findVisibleProvider(tx, params.actor, params.providerId, { forUpdate: true });
    if (provider.status !== 'pending') throw new AppError('PROVIDER_NOT_PENDING');
    const payout = derivePayoutKey(deps.config.masterKey, provider.id);
    const [approved] = await tx
      .update(providers)
      .set({
        status: 'active',
        payoutAddress: payout.address,
        payoutKeyWrapped: payout.wrapped,
        approvedBy: params.actor.sub,
        approvedAt: deps.now(),
      })
      .where(eq(providers.id, provider.id))
      .returning();
    if (!approved) throw new Error('provider update returned nothing');
    await enqueueChainWrite(tx, {
      kind: 'provider.register',
      contract: 'hub',
      functionName: 'registerProvider',
      args: [
        String(approved.municipalityId),
        String(approved.id),
        payout.address,
        String(approved.categories),
      ],
      idempotencyKey: `provider:${approved.id}:register`,
    });
    await tx.insert(providerAdmissions).values({
      municipalityId: approved.municipalityId,
      providerId: approved.id,
      categories: approved.categories,
      admittedBy: params.actor.sub,
      admittedAt: deps.now(),
    });
    await appendAudit(tx, {
      ...auditActor(params.actor),
      municipalityId: approved.municipalityId,
      action: 'provider.approved',
      subjectType: 'provider',
      subjectId: String(approved.id),
      details: { payoutAddress: payout.address },
    });
    return toProviderView(approved);
  });
}
