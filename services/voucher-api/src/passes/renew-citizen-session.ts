import { accounts } from '@voucher/db';
import { eq } from 'drizzle-orm';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import type { ActivatedAccount } from './activate-account.ts';
import { PRESENTATION_PREFIX } from './presentation.ts';
import { verifyPass } from './verify-pass.ts';

/**
 * A new citizen session for a phone that proves it still holds its registered key: the same
 * signed, fresh, never-before-seen presentation the scanner reads. The letter's code works
 * only once, and a parent opening the app weeks later must not need a new letter to see the
 * balance. A revoked device, an erased or closed account, or a replay gets nothing.
 */
export async function renewCitizenSession(deps: DomainDeps, presentation: string): Promise<ActivatedAccount> {
  if (!presentation.startsWith(`${PRESENTATION_PREFIX}.`)) throw new AppError('PASS_MALFORMED');
  const verified = await verifyPass(deps, presentation);
  if (verified.accountStatus !== 'active') throw new AppError('ACCOUNT_NOT_ACTIVE');
  const accountId = Buffer.from(verified.accountId.slice(2), 'hex');
  const [account] = await deps.db
    .select({ municipalityId: accounts.municipalityId })
    .from(accounts)
    .where(eq(accounts.accountId, accountId));
  if (!account) throw new AppError('ACCOUNT_NOT_ACTIVE');
  return { accountId, municipalityId: account.municipalityId };
}
