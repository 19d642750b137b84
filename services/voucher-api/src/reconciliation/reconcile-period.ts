import { type Executor, programs, providers, redemptions, settlementPayouts, settlements } from '@voucher/db';
import { and, eq, inArray, ne } from 'drizzle-orm';
import type { ChainGateway } from '../chain/gateway.ts';
import { readOpenPeriod, readPeriodTotals } from '../periods/chain-access.ts';
import {
  accrualsByProvider,
  type ChainPayment,
  type ChainRedemption,
  findClosedPeriod,
  type PeriodRef,
  paymentsInPeriod,
  redemptionsInPeriod,
} from '../periods/chain-ledger.ts';

export type DifferenceKind =
  | 'redemption_missing_in_database'
  | 'redemption_unconfirmed_in_database'
  | 'redemption_missing_on_chain'
  | 'redemption_differs'
  | 'provider_unknown_in_database'
  | 'chain_index_incomplete'
  | 'provider_paid_twice'
  | 'payment_amount_differs'
  | 'payment_missing_in_database'
  | 'payment_missing_on_chain'
  | 'settlement_amount_differs';

/** One disagreement, in ids and amounts only (never an account or a person). */
export interface Difference {
  kind: DifferenceKind;
  periodId: number;
  providerId?: number;
  terminal?: string;
  redemptionId?: string;
  database?: string;
  chain?: string;
}

export interface ProviderLine {
  providerId: number;
  chainRedemptions: number;
  chainOre: string;
  databaseRedemptions: number;
  databaseOre: string;
  paidOre: string;
}

export interface ReconciliationReport {
  municipalityId: number;
  periodId: number;
  clean: boolean;
  closed: boolean;
  chain: { redemptions: number; totalOre: string; accruedOre: string; paidOre: string };
  database: { redemptions: number; totalOre: string };
  providers: ProviderLine[];
  differences: Difference[];
}

interface DbRedemption {
  terminal: string;
  redemptionId: bigint;
  providerId: number;
  programId: bigint;
  amountOre: bigint;
}

/**
 * Compares, for one period of one municipality, what the database recorded with what the chain says: every
 * confirmed redemption against the Redeemed events (by terminal and redemption id), the
 * indexed events against the contract's own totals, and settlement payouts against the
 * ProviderPaid events. The caller brings chain_events up to date first.
 */
export async function reconcilePeriod(
  db: Executor,
  chain: ChainGateway,
  ref: PeriodRef,
): Promise<ReconciliationReport> {
  const { periodId } = ref;
  const [chainRedemptions, dbRedemptions, accruals, payments, closed, totals] = await Promise.all([
    redemptionsInPeriod(db, ref),
    confirmedRedemptions(db, ref),
    accrualsByProvider(db, ref),
    paymentsInPeriod(db, ref),
    findClosedPeriod(db, ref),
    chainTotals(chain, ref),
  ]);
  const unconfirmed = await unconfirmedKeys(db, chainRedemptions);
  const differences: Difference[] = [
    ...compareRedemptions(periodId, chainRedemptions, dbRedemptions, unconfirmed),
    ...(await unknownProviders(
      db,
      periodId,
      accruals.map((a) => a.providerId),
    )),
  ];
  const chainTotal = sum(chainRedemptions.map((r) => r.amountOre));
  const paidTotal = sum(payments.map((p) => p.amountOre));
  // The contract's totals come from a live read, the open period's may still grow.
  const accruedOnChain = closed ? closed.accruedOre : totals.accruedOre;
  if (accruedOnChain !== chainTotal || (closed && totals.accruedOre !== chainTotal)) {
    differences.push({
      kind: 'chain_index_incomplete',
      periodId,
      database: chainTotal.toString(),
      chain: totals.accruedOre.toString(),
    });
  }
  if (totals.paidOre !== paidTotal) {
    differences.push({
      kind: 'chain_index_incomplete',
      periodId,
      database: paidTotal.toString(),
      chain: totals.paidOre.toString(),
    });
  }
  differences.push(...comparePayments(periodId, accruals, payments));
  differences.push(...(await compareSettlement(db, ref, accruals, payments)));
  return {
    municipalityId: ref.municipalityId,
    periodId,
    clean: differences.length === 0,
    closed: closed !== undefined,
    chain: {
      redemptions: chainRedemptions.length,
      totalOre: chainTotal.toString(),
      accruedOre: totals.accruedOre.toString(),
      paidOre: totals.paidOre.toString(),
    },
    database: {
      redemptions: dbRedemptions.length,
      totalOre: sum(dbRedemptions.map((r) => r.amountOre)).toString(),
    },
    providers: providerLines(accruals, dbRedemptions, payments),
    differences,
  };
}

/**
 * The contract's totals for the period. The open period's accrual lives in the
 * municipality's clock (`openPeriod`), not in `periodTotals`, until the period closes.
 */
async function chainTotals(chain: ChainGateway, ref: PeriodRef) {
  const totals = await readPeriodTotals(chain, ref.municipalityId, ref.periodId);
  const open = await readOpenPeriod(chain, ref.municipalityId);
  return open.periodId === ref.periodId ? { accruedOre: open.accruedOre, paidOre: 0n } : totals;
}

/** Redemptions of the municipality's programs confirmed in its period. */
async function confirmedRedemptions(db: Executor, ref: PeriodRef): Promise<DbRedemption[]> {
  return db
    .select({
      terminal: redemptions.terminal,
      redemptionId: redemptions.redemptionId,
      providerId: redemptions.providerId,
      programId: redemptions.programId,
      amountOre: redemptions.amountOre,
    })
    .from(redemptions)
    .innerJoin(programs, eq(programs.id, redemptions.programId))
    .where(
      and(
        eq(redemptions.status, 'confirmed'),
        eq(redemptions.periodId, BigInt(ref.periodId)),
        eq(programs.municipalityId, ref.municipalityId),
      ),
    );
}

const redemptionKey = (terminal: string, id: string | bigint) => `${terminal.toLowerCase()}#${id}`;

/**
 * Redemptions the chain accepted that the database still holds as pending or rejected: the
 * API stopped between the chain's answer and its own bookkeeping. Named apart from a
 * redemption the database never heard of, because the remedy differs.
 */
async function unconfirmedKeys(db: Executor, onChain: ChainRedemption[]): Promise<Map<string, string>> {
  if (onChain.length === 0) return new Map();
  const terminals = [...new Set(onChain.map((r) => r.terminal))];
  const rows = await db
    .select({
      terminal: redemptions.terminal,
      redemptionId: redemptions.redemptionId,
      status: redemptions.status,
    })
    .from(redemptions)
    .where(and(inArray(redemptions.terminal, terminals), ne(redemptions.status, 'confirmed')));
  return new Map(rows.map((row) => [redemptionKey(row.terminal, row.redemptionId), row.status]));
}

function compareRedemptions(
  periodId: number,
  onChain: ChainRedemption[],
  inDatabase: DbRedemption[],
  unconfirmed: Map<string, string>,
): Difference[] {
  const differences: Difference[] = [];
  const database = new Map(inDatabase.map((r) => [redemptionKey(r.terminal, r.redemptionId), r]));
  for (const chainRow of onChain) {
    const key = redemptionKey(chainRow.terminal, chainRow.redemptionId);
    const dbRow = database.get(key);
    database.delete(key);
    const ids = {
      periodId,
      providerId: chainRow.providerId,
      terminal: chainRow.terminal,
      redemptionId: chainRow.redemptionId,
    };
    if (!dbRow) {
      const status = unconfirmed.get(key);
      const amount = chainRow.amountOre.toString();
      differences.push(
        status
          ? { kind: 'redemption_unconfirmed_in_database', ...ids, database: status, chain: amount }
          : { kind: 'redemption_missing_in_database', ...ids, chain: amount },
      );
      continue;
    }
    const same =
      dbRow.amountOre === chainRow.amountOre &&
      dbRow.providerId === chainRow.providerId &&
      dbRow.programId.toString() === chainRow.programId;
    if (!same) {
      differences.push({
        kind: 'redemption_differs',
        ...ids,
        database: `provider ${dbRow.providerId}, program ${dbRow.programId}, ${dbRow.amountOre} øre`,
        chain: `provider ${chainRow.providerId}, program ${chainRow.programId}, ${chainRow.amountOre} øre`,
      });
    }
  }
  for (const dbRow of database.values()) {
    differences.push({
      kind: 'redemption_missing_on_chain',
      periodId,
      providerId: dbRow.providerId,
      terminal: dbRow.terminal,
      redemptionId: dbRow.redemptionId.toString(),
      database: dbRow.amountOre.toString(),
    });
  }
  return differences;
}

async function unknownProviders(
  db: Executor,
  periodId: number,
  providerIds: number[],
): Promise<Difference[]> {
  if (providerIds.length === 0) return [];
  const known = await db
    .select({ id: providers.id })
    .from(providers)
    .where(inArray(providers.id, providerIds));
  const knownIds = new Set(known.map((row) => row.id));
  return providerIds
    .filter((id) => !knownIds.has(id))
    .map((providerId) => ({ kind: 'provider_unknown_in_database' as const, periodId, providerId }));
}

function comparePayments(
  periodId: number,
  accruals: { providerId: number; amountOre: bigint }[],
  payments: ChainPayment[],
): Difference[] {
  const differences: Difference[] = [];
  const accrued = new Map(accruals.map((a) => [a.providerId, a.amountOre]));
  const seen = new Set<number>();
  for (const payment of payments) {
    if (seen.has(payment.providerId)) {
      differences.push({
        kind: 'provider_paid_twice',
        periodId,
        providerId: payment.providerId,
        chain: payment.txHash,
      });
    }
    seen.add(payment.providerId);
    const owed = accrued.get(payment.providerId) ?? 0n;
    if (owed !== payment.amountOre) {
      differences.push({
        kind: 'payment_amount_differs',
        periodId,
        providerId: payment.providerId,
        database: owed.toString(),
        chain: payment.amountOre.toString(),
      });
    }
  }
  return differences;
}

/** The live settlement's frozen amounts and paid marks against the chain. */
async function compareSettlement(
  db: Executor,
  ref: PeriodRef,
  accruals: { providerId: number; amountOre: bigint }[],
  payments: ChainPayment[],
): Promise<Difference[]> {
  const { periodId } = ref;
  const [settlement] = await db
    .select({ id: settlements.id })
    .from(settlements)
    .where(
      and(
        eq(settlements.municipalityId, ref.municipalityId),
        eq(settlements.periodId, periodId),
        ne(settlements.status, 'rejected'),
      ),
    );
  if (!settlement) return [];
  const payouts = await db
    .select()
    .from(settlementPayouts)
    .where(eq(settlementPayouts.settlementId, settlement.id));
  const differences: Difference[] = [];
  const accrued = new Map(accruals.map((a) => [a.providerId, a.amountOre]));
  const paid = new Map(payments.map((p) => [p.providerId, p]));
  const inBatch = new Set(payouts.map((p) => p.providerId));
  for (const payout of payouts) {
    const owed = accrued.get(payout.providerId) ?? 0n;
    if (owed !== payout.amountOre) {
      differences.push({
        kind: 'settlement_amount_differs',
        periodId,
        providerId: payout.providerId,
        database: payout.amountOre.toString(),
        chain: owed.toString(),
      });
    }
    const chainPayment = paid.get(payout.providerId);
    if (payout.status === 'paid' && !chainPayment) {
      differences.push({
        kind: 'payment_missing_on_chain',
        periodId,
        providerId: payout.providerId,
        database: payout.amountOre.toString(),
      });
    }
    if (payout.status !== 'paid' && chainPayment) {
      differences.push({
        kind: 'payment_missing_in_database',
        periodId,
        providerId: payout.providerId,
        chain: chainPayment.amountOre.toString(),
      });
    }
  }
  for (const accrual of accruals) {
    if (!inBatch.has(accrual.providerId)) {
      differences.push({
        kind: 'settlement_amount_differs',
        periodId,
        providerId: accrual.providerId,
        database: '0',
        chain: accrual.amountOre.toString(),
      });
    }
  }
  return differences;
}

function providerLines(
  accruals: { providerId: number; redemptionCount: number; amountOre: bigint }[],
  dbRedemptions: DbRedemption[],
  payments: ChainPayment[],
): ProviderLine[] {
  const ids = new Set([...accruals.map((a) => a.providerId), ...dbRedemptions.map((r) => r.providerId)]);
  return [...ids]
    .sort((a, b) => a - b)
    .map((providerId) => {
      const chainRow = accruals.find((a) => a.providerId === providerId);
      const dbRows = dbRedemptions.filter((r) => r.providerId === providerId);
      return {
        providerId,
        chainRedemptions: chainRow?.redemptionCount ?? 0,
        chainOre: (chainRow?.amountOre ?? 0n).toString(),
        databaseRedemptions: dbRows.length,
        databaseOre: sum(dbRows.map((r) => r.amountOre)).toString(),
        paidOre: sum(payments.filter((p) => p.providerId === providerId).map((p) => p.amountOre)).toString(),
      };
    });
}

function sum(values: bigint[]): bigint {
  return values.reduce((total, value) => total + value, 0n);
}
