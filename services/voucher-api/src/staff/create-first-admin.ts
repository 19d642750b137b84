import { municipalities, staffUsers } from '@voucher/db';
import { and, eq } from 'drizzle-orm';
import type { AccessClaims } from '../auth/claims.ts';
import { adminsOnChainFor } from '../chain/config.ts';
import { missingOnChainSetUp } from '../chain/operator-roles.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import { createMunicipality } from '../municipalities/create-municipality.ts';
import { type CreatedStaff, createStaff } from './create-staff.ts';

export interface FirstAdminParams {
  municipalityId: number;
  /** Needed only when the municipality is not in the database yet. */
  municipalityName?: string;
  username: string;
  password: string;
  /** Who asked: a platform operator through the API; the command line when absent. */
  actor?: AccessClaims;
}

/**
 * The bootstrap of a new municipality: its row (and its scope on chain) and its first admin,
 * who then creates everyone else through the API. A platform operator does this through
 * POST /platform/municipalities; `npm run admin:create` does it from the command line. Refused once the municipality has an admin,
 * so the command cannot be used to slip in a second one past the audit trail of the API.
 */
export async function createFirstAdmin(deps: DomainDeps, params: FirstAdminParams): Promise<CreatedStaff> {
  await ensureMunicipality(deps, params);
  const [existing] = await deps.db
    .select({ id: staffUsers.id })
    .from(staffUsers)
    .where(and(eq(staffUsers.municipalityId, params.municipalityId), eq(staffUsers.role, 'admin')))
    .limit(1);
  if (existing) throw new AppError('ADMIN_ALREADY_EXISTS');
  return createStaff(deps, {
    actor: params.actor ?? { sub: 'bootstrap', role: 'admin', municipalityId: params.municipalityId },
    municipalityId: params.municipalityId,
    username: params.username,
    password: params.password,
    role: 'admin',
  });
}

async function ensureMunicipality(deps: DomainDeps, params: FirstAdminParams): Promise<void> {
  const [known] = await deps.db
    .select({ id: municipalities.id })
    .from(municipalities)
    .where(eq(municipalities.id, params.municipalityId));
  if (known) return;
  const name = params.municipalityName?.trim();
  if (!name) throw new AppError('MUNICIPALITY_NAME_REQUIRED');
  const admins = adminsOnChainFor(deps.config);
  if (admins === 'named-admins') await assertSetUpOnChain(deps, params.municipalityId);
  await deps.db.transaction((tx) => createMunicipality(tx, { id: params.municipalityId, name }, admins));
}

/**
 * On a real network the platform's named admins create the municipality on chain and give the
 * operator its operational roles (contracts/deploy/cli.ts); the service cannot, so it refuses
 * to serve a municipality that is not set up yet (MUNICIPALITY_NOT_ON_CHAIN names what is missing).
 */
async function assertSetUpOnChain(deps: DomainDeps, municipalityId: number): Promise<void> {
  if (!deps.chain) throw new AppError('CHAIN_UNAVAILABLE');
  const missing = await missingOnChainSetUp(deps.chain, municipalityId);
  if (missing.length > 0) throw new AppError('MUNICIPALITY_NOT_ON_CHAIN', { missing: missing.join('; ') });
}
