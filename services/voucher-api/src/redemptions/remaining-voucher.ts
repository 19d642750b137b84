import { providers, type Redemption } from '@voucher/db';
import { eq } from 'drizzle-orm';
import type { Hex } from 'viem';
import type { DomainDeps } from '../deps.ts';
import { type AssessedVoucher, assessAll, loadAccountVouchers } from './account-vouchers.ts';
import { loadAdmissions } from './provider-admissions.ts';

/** The voucher a redemption used, as it stands now: what the counter tells the citizen is left. */
export async function remainingVoucher(
  deps: DomainDeps,
  row: Redemption,
): Promise<AssessedVoucher | undefined> {
  const found = await deps.db.query.providers.findFirst({
    columns: { id: true, status: true },
    where: eq(providers.id, row.providerId),
  });
  const provider = found && { ...found, admissions: await loadAdmissions(deps.db, found.id) };
  const now = deps.now();
  const vouchers = await loadAccountVouchers(deps.db, row.account as Hex, row.programId, now);
  return assessAll(vouchers, provider, now)[0];
}
