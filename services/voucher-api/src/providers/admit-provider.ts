import { appendAudit, providerAdmissions, providers } from '@voucher/db';
import { and, eq } from 'drizzle-orm';
import { auditActor } from '../audit/actor.ts';
import type { AccessClaims } from '../auth/claims.ts';
import { type Category, categoriesToMask } from '../categories.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import { enqueueChainWrite } from '../outbox/enqueue.ts';
import { type ProviderView, toProviderView } from './provider-view.ts';
import { parseCvr } from './validation.ts';

/**
 * A municipality admits a provider another municipality registered (a club that serves
 * both, one across the border): the same organisation, payout account and terminals, now
 * accepted for this municipality's vouchers in the categories it names. Found by CVR, which
 * is public business data; a provider that is not active anywhere answers 404 like an
 * unknown one. On chain: `admitProvider(m, provider, categories, true)` by the municipality's
 * registrar.
 */
export async function admitProvider(
  deps: DomainDeps,
  params: { actor: AccessClaims; cvr: string; categories: Category[] },
): Promise<ProviderView> {
  const cvr = parseCvr(params.cvr);
  const categories = categoriesToMask(params.categories);
  const { municipalityId } = params.actor;
  return deps.db.transaction(async (tx) => {
    const [provider] = await tx.select().from(providers).where(eq(providers.cvr, cvr));
    if (provider?.status !== 'active') throw new AppError('NOT_FOUND');
    const [existing] = await tx
      .select({ status: providerAdmissions.status })
      .from(providerAdmissions)
      .where(
        and(
          eq(providerAdmissions.municipalityId, municipalityId),
          eq(providerAdmissions.providerId, provider.id),
        ),
      );
    if (existing) throw new AppError('PROVIDER_ALREADY_ADMITTED');
    await tx.insert(providerAdmissions).values({
      municipalityId,
      providerId: provider.id,
      categories,
      admittedBy: params.actor.sub,
      admittedAt: deps.now(),
    });
    await enqueueChainWrite(tx, {
      kind: 'provider.admit',
      contract: 'hub',
      functionName: 'admitProvider',
      args: [String(municipalityId), String(provider.id), String(categories), true],
      idempotencyKey: `municipality:${municipalityId}:provider:${provider.id}:admit`,
    });
    await appendAudit(tx, {
      ...auditActor(params.actor),
      municipalityId,
      action: 'provider.admitted',
      subjectType: 'provider',
      subjectId: String(provider.id),
      details: { categories },
    });
    return toProviderView(provider);
  });
}
