import { disputes } from '@voucher/db';
import { and, eq } from 'drizzle-orm';
import type { AccessClaims } from '../auth/claims.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import { type DisputeView, effectivelyOpen, loadDisputeViews } from './dispute-view.ts';

export type DisputeFilter = 'open' | 'all';

/** The municipality's queue (caseworkers, finance): its own disputes only. */
export function listMunicipalDisputes(
  deps: DomainDeps,
  params: { actor: AccessClaims; status: DisputeFilter },
): Promise<DisputeView[]> {
  return loadDisputeViews(
    deps.db,
    and(
      eq(disputes.municipalityId, params.actor.municipalityId),
      params.status === 'open' ? effectivelyOpen(deps.db) : undefined,
    ),
  );
}

/** The citizen's own disputes, by their pseudonymous account. */
export function listOwnDisputes(deps: DomainDeps, account: string): Promise<DisputeView[]> {
  return loadDisputeViews(deps.db, eq(disputes.account, account.toLowerCase()));
}

/**
 * Disputes of a provider's redemptions, for its own staff (in every municipality it serves):
 * the redemption, amount, time, reason and status, nothing about who the citizen is.
 */
export function listProviderDisputes(
  deps: DomainDeps,
  params: { actor: AccessClaims; providerId: number; status: DisputeFilter },
): Promise<DisputeView[]> {
  if (params.actor.role !== 'provider_staff' || params.actor.providerId !== params.providerId) {
    throw new AppError('NOT_FOUND');
  }
  return loadDisputeViews(
    deps.db,
    and(
      eq(disputes.providerId, params.providerId),
      params.status === 'open' ? effectivelyOpen(deps.db) : undefined,
    ),
  );
}
