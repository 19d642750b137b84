import { municipalities } from '@voucher/db';
import { eq } from 'drizzle-orm';
import type { AccessClaims } from '../auth/claims.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';

export interface MunicipalityView {
  id: number;
  name: string;
}

/** The caller's own municipality, by the token's claim: the console names whose it is. */
export async function getMunicipality(deps: DomainDeps, actor: AccessClaims): Promise<MunicipalityView> {
  const [row] = await deps.db
    .select({ id: municipalities.id, name: municipalities.name })
    .from(municipalities)
    .where(eq(municipalities.id, actor.municipalityId));
  if (!row) throw new AppError('NOT_FOUND');
  return row;
}
