import { type Citizen, citizens } from '@voucher/db';
import { and, eq, isNull } from 'drizzle-orm';
import { assertSameMunicipality } from '../auth/authorize.ts';
import type { AccessClaims } from '../auth/claims.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import { cprBlindIndex } from './blind-index.ts';
import { vaultKeyring } from './citizen-record.ts';
import { parseCpr } from './cpr.ts';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A live (not erased) citizen of the actor's municipality. Missing, erased and another
 * municipality's citizens all answer 404 alike, so ids cannot be probed.
 */
export async function findCitizen(
  deps: DomainDeps,
  actor: AccessClaims,
  citizenId: string,
): Promise<Citizen> {
  if (!UUID_PATTERN.test(citizenId)) throw new AppError('NOT_FOUND');
  const citizen = await deps.db.query.citizens.findFirst({
    where: and(eq(citizens.id, citizenId), isNull(citizens.erasedAt)),
  });
  if (!citizen) throw new AppError('NOT_FOUND');
  assertSameMunicipality(actor, citizen.municipalityId);
  return citizen;
}

/** CPR → citizen id, through the blind index only; the CPR itself is never queried or stored. */
export async function findCitizenIdByCpr(
  deps: DomainDeps,
  actor: AccessClaims,
  cprText: string,
): Promise<string> {
  const cpr = parseCpr(cprText);
  const blindIndex = cprBlindIndex(vaultKeyring(deps.config).current, cpr.normalised);
  // Only the actor's own municipality is searched: whether the person is enrolled elsewhere
  // is not this municipality's business, so it answers 404 like an unknown CPR.
  const citizen = await deps.db.query.citizens.findFirst({
    columns: { id: true },
    where: and(
      eq(citizens.cprBlindIndex, blindIndex),
      eq(citizens.municipalityId, actor.municipalityId),
      isNull(citizens.movedOutAt),
    ),
  });
  if (!citizen) throw new AppError('NOT_FOUND');
  return citizen.id;
}
