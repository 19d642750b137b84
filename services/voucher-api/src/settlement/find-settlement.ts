import {
  bankNotificationEntries,
  type Executor,
  providers,
  type Settlement,
  settlementPayouts,
  settlements,
} from '@voucher/db';
import { asc, eq } from 'drizzle-orm';
import type { AccessClaims } from '../auth/claims.ts';
import { AppError } from '../errors/app-error.ts';

/** A settlement of the actor's municipality; another municipality's answers 404 like a missing one. */
export async function findSettlement(
  db: Executor,
  actor: AccessClaims,
  id: bigint,
  options: { forUpdate?: boolean } = {},
): Promise<Settlement> {
  const query = db.select().from(settlements).where(eq(settlements.id, id));
  const [settlement] = options.forUpdate ? await query.for('update') : await query;
  if (!settlement || settlement.municipalityId !== actor.municipalityId) throw new AppError('NOT_FOUND');
  return settlement;
}

/** The settlement's lines, each with the bank notification import that confirmed it, if any. */
export async function payoutsOf(db: Executor, settlementId: bigint) {
  const rows = await db
    .select({
      payout: settlementPayouts,
      providerName: providers.name,
      bankImportId: bankNotificationEntries.importId,
    })
    .from(settlementPayouts)
    .innerJoin(providers, eq(providers.id, settlementPayouts.providerId))
    .leftJoin(bankNotificationEntries, eq(bankNotificationEntries.id, settlementPayouts.bankConfirmedEntryId))
    .where(eq(settlementPayouts.settlementId, settlementId))
    .orderBy(asc(settlementPayouts.providerId));
  return rows.map((row) => ({
    ...row.payout,
    providerName: row.providerName,
    bankImportId: row.bankImportId,
  }));
}
