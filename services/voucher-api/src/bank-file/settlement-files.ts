import { municipalities } from '@voucher/db';
import { eq } from 'drizzle-orm';
import type { AccessClaims } from '../auth/claims.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import { payoutsOf } from '../settlement/find-settlement.ts';
import { getSettlement } from '../settlement/settlement-steps.ts';
import { buildPain001 } from './pain001.ts';
import { buildStatementCsv } from './statement-csv.ts';

/**
 * The bank file of a paid settlement: what the chain paid in eKrone, as DKK transfers from
 * the municipality's account to each provider's IBAN as frozen at proposal. Only for a
 * fully paid batch, so the file and the chain never tell different stories. The same
 * settlement always gives the same file (times come from the settlement, not the clock).
 */
export async function settlementBankFile(
  deps: DomainDeps,
  params: { actor: AccessClaims; settlementId: bigint },
): Promise<{ filename: string; xml: string }> {
  const view = await getSettlement(deps, params);
  if (view.status !== 'paid' || view.paidAt === null)
    throw new AppError('SETTLEMENT_NOT_PAID', { status: view.status });
  // Each municipality pays from its own account: the debtor is the settlement's municipality.
  const [municipality] = await deps.db
    .select()
    .from(municipalities)
    .where(eq(municipalities.id, params.actor.municipalityId));
  const debtorIban = municipality?.debtorIban;
  const debtorBic = municipality?.debtorBic;
  if (!municipality || !debtorIban || !debtorBic) throw new AppError('BANK_ACCOUNT_NOT_CONFIGURED');
  const payouts = await payoutsOf(deps.db, params.settlementId);
  // pain.001 needs at least one transaction; an empty period settles on chain alone.
  if (payouts.length === 0) throw new AppError('SETTLEMENT_NOTHING_TO_PAY');
  const paidAt = new Date(view.paidAt);
  const messageId = `VOUCHER-M${municipality.id}-S${view.id}-P${view.periodId}`;
  const xml = buildPain001({
    messageId,
    createdAt: paidAt,
    executionDate: paidAt,
    debtor: {
      name: municipality.name,
      iban: debtorIban,
      bic: debtorBic,
    },
    transfers: payouts.map((payout) => ({
      endToEndId: payout.endToEndId,
      amountOre: payout.amountOre,
      creditorName: payout.providerName,
      creditorIban: payout.iban,
      remittance: `Voucher settlement period ${view.periodId}, provider ${payout.providerId}`,
    })),
  });
  return { filename: `${messageId.toLowerCase()}.xml`, xml };
}

export async function settlementStatementCsv(
  deps: DomainDeps,
  params: { actor: AccessClaims; settlementId: bigint },
): Promise<{ filename: string; csv: string }> {
  const view = await getSettlement(deps, params);
  const payouts = await payoutsOf(deps.db, params.settlementId);
  const csv = buildStatementCsv(
    payouts.map((payout) => ({
      periodId: view.periodId,
      providerId: payout.providerId,
      providerName: payout.providerName,
      iban: payout.iban,
      redemptionCount: payout.redemptionCount,
      amountOre: payout.amountOre,
      endToEndId: payout.endToEndId,
      status: payout.status,
      paidTxHash: payout.paidTxHash,
    })),
  );
  return { filename: `settlement-${view.id}-period-${view.periodId}.csv`, csv };
}
