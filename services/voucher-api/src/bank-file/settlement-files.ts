import { municipalities, providers } from '@voucher/db';
import { eq, inArray } from 'drizzle-orm';
import type { AccessClaims } from '../auth/claims.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import { claimsByProvider } from '../periods/chain-ledger.ts';
import { reversalEntriesInPeriod, totalsByProvider } from '../periods/reversal-entries.ts';
import { payoutsOf } from '../settlement/find-settlement.ts';
import { getSettlement } from '../settlement/settlement-steps.ts';
import { formatKroner } from './kroner.ts';
import { buildPain001 } from './pain001.ts';
import { buildStatementCsv, type StatementCsvRow } from './statement-csv.ts';

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
  // Only a line with an amount is a payment: a claim wholly set off against the provider's
  // receivable moved no money. pain.001 needs at least one transaction; a period without
  // any settles on chain alone.
  const payouts = (await payoutsOf(deps.db, params.settlementId)).filter((payout) => payout.amountOre > 0n);
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
      remittance: remittance(view.periodId, payout),
    })),
  });
  return { filename: `${messageId.toLowerCase()}.xml`, xml };
}

/** What the provider reads on its bank statement: the period, and a set-off when there was one. */
function remittance(periodId: number, payout: { providerId: number; claimOre: bigint; offsetOre: bigint }) {
  const base = `Voucher settlement period ${periodId}, provider ${payout.providerId}`;
  if (payout.offsetOre === 0n) return base;
  return `${base}: claim DKK ${formatKroner(payout.claimOre)} less DKK ${formatKroner(payout.offsetOre)} set off against refunds owed`;
}

/**
 * The settlement as a spreadsheet, per provider: what it redeemed in the period, what was
 * voided or refunded there (and what of that the claim could not cover, carried to the
 * provider's receivable), its claim, what was set off against its receivable and what was
 * paid. A provider whose claim came to 0 (all of it given back) has a line with no payment.
 */
export async function settlementStatementCsv(
  deps: DomainDeps,
  params: { actor: AccessClaims; settlementId: bigint },
): Promise<{ filename: string; csv: string }> {
  const view = await getSettlement(deps, params);
  const payouts = await payoutsOf(deps.db, params.settlementId);
  const period = { municipalityId: params.actor.municipalityId, periodId: view.periodId };
  const claims = new Map((await claimsByProvider(deps.db, period)).map((claim) => [claim.providerId, claim]));
  const reversals = totalsByProvider(await reversalEntriesInPeriod(deps.db, period));
  const noReversal = { voidedOre: 0n, refundedOre: 0n, receivableOre: 0n };
  const rows: StatementCsvRow[] = payouts.map((payout) => {
    const claim = claims.get(payout.providerId);
    claims.delete(payout.providerId);
    return {
      periodId: view.periodId,
      providerId: payout.providerId,
      providerName: payout.providerName,
      iban: payout.iban,
      redemptionCount: payout.redemptionCount,
      redeemedOre: claim?.grossOre ?? payout.claimOre,
      ...(reversals.get(payout.providerId) ?? noReversal),
      claimOre: payout.claimOre,
      offsetOre: payout.offsetOre,
      amountOre: payout.amountOre,
      endToEndId: payout.amountOre > 0n ? payout.endToEndId : '',
      status: payout.status,
      paidTxHash: payout.paidTxHash,
    };
  });
  const names = await providerNames(deps, [...claims.keys()]);
  for (const claim of claims.values()) {
    rows.push({
      periodId: view.periodId,
      providerId: claim.providerId,
      providerName: names.get(claim.providerId) ?? '',
      iban: '',
      redemptionCount: claim.redemptionCount,
      redeemedOre: claim.grossOre,
      ...(reversals.get(claim.providerId) ?? noReversal),
      claimOre: claim.netOre,
      offsetOre: 0n,
      amountOre: 0n,
      endToEndId: '',
      status: 'no_claim',
      paidTxHash: null,
    });
  }
  rows.sort((a, b) => a.providerId - b.providerId);
  return { filename: `settlement-${view.id}-period-${view.periodId}.csv`, csv: buildStatementCsv(rows) };
}

async function providerNames(deps: DomainDeps, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await deps.db
    .select({ id: providers.id, name: providers.name })
    .from(providers)
    .where(inArray(providers.id, ids));
  return new Map(rows.map((row) => [row.id, row.name]));
}
