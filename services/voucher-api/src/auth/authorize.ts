import { AppError } from '../errors/app-error.ts';
import type { AccessClaims } from './claims.ts';

/**
 * Object-level authorization. Someone else's object answers 404, exactly like a missing one,
 * so ids cannot be probed to learn what exists.
 */
export function assertSameMunicipality(user: AccessClaims, municipalityId: number): void {
  if (user.municipalityId !== municipalityId) throw new AppError('NOT_FOUND');
}

/** Provider staff see only their own provider; municipal staff only their municipality's. */
export function assertCanSeeProvider(
  user: AccessClaims,
  provider: { id: number; municipalityId: number },
): void {
  if (user.role === 'provider_staff') {
    if (user.providerId !== provider.id) throw new AppError('NOT_FOUND');
    return;
  }
  if (user.role === 'citizen') throw new AppError('NOT_FOUND');
  assertSameMunicipality(user, provider.municipalityId);
}

/** Citizens see only their own account. */
export function assertOwnAccount(user: AccessClaims, accountIdHex: string): void {
  if (user.role === 'citizen' && user.accountId !== accountIdHex) throw new AppError('NOT_FOUND');
}
