import { appendAudit, providers } from '@voucher/db';
import { auditActor } from '../audit/actor.ts';
import type { AccessClaims } from '../auth/claims.ts';
import { type Category, categoriesToMask } from '../categories.ts';
import { isUniqueViolation } from '../db-errors.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import { type ProviderView, toProviderView } from './provider-view.ts';
import { parseCvr, parseDanishIban } from './validation.ts';

export interface OnboardProviderParams {
  actor: AccessClaims;
  cvr: string;
  name: string;
  iban: string;
  categories: Category[];
  address: string;
  contactEmail: string;
  contactPhone?: string;
}

/** Registers a provider as pending; nothing reaches the chain until an admin approves it. */
export async function onboardProvider(
  deps: DomainDeps,
  params: OnboardProviderParams,
): Promise<ProviderView> {
  const cvr = parseCvr(params.cvr);
  const iban = parseDanishIban(params.iban).electronic;
  try {
    return await deps.db.transaction(async (tx) => {
      const [created] = await tx
        .insert(providers)
        .values({
          municipalityId: params.actor.municipalityId,
          cvr,
          name: params.name.trim(),
          iban,
          categories: categoriesToMask(params.categories),
          address: params.address.trim(),
          contactEmail: params.contactEmail.trim(),
          contactPhone: params.contactPhone?.trim() || null,
        })
        .returning();
      if (!created) throw new Error('provider insert returned nothing');
      await appendAudit(tx, {
        ...auditActor(params.actor),
        municipalityId: created.municipalityId,
        action: 'provider.onboarded',
        subjectType: 'provider',
        subjectId: String(created.id),
        details: { cvr: created.cvr, categories: created.categories },
      });
      return toProviderView(created);
    });
  } catch (error) {
    if (isUniqueViolation(error, 'providers_cvr_unique')) throw new AppError('PROVIDER_CVR_TAKEN');
    throw error;
  }
}
