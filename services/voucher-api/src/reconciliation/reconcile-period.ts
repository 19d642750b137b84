import {
  chainOutbox,
  type Executor,
  programs,
  providers,
  redemptionReversals,
  redemptions,
  settlementPayouts,
  settlements,
} from '@voucher/db';
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import type { ChainGateway } from '../chain/gateway.ts';
import { readClaimPaid, readOpenPeriod, readPeriodTotals, readReceivable } from '../periods/chain-access.ts';
import {
  type ChainOffset,
  type ChainPayment,
  type ChainRedemption,
  type ChainReversal,
  claimsByProvider,
  findClosedPeriod,
  offsetsInPeriod,
  type PeriodRef,
  type ProviderClaim,
  paymentsInPeriod,
  receivableLedger,
  redemptionsInPeriod,
  reversalsInPeriod,
} from '../periods/chain-ledger.ts';

export type DifferenceKind =
  | 'redemption_missing_in_database'
  | 'redemption_unconfirmed_in_database'
  | 'redemption_missing_on_chain'
  | 'redemption_differs'
  | 'reversal_missing_in_database'
  | 'reversal_unconfirmed_in_database'
  | 'reversal_missing_on_chain'
  | 'reversal_differs'
  | 'provider_unknown_in_database'
  | 'chain_index_incomplete'
  | 'claim_differs'
  | 'receivable_differs'
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
  reversalId?: string;
  database?: string;
  chain?: string;
}

/**
 * One provider in the period. `chainOre`/`databaseOre` are what it redeemed (gross); the
 * claim is that less what voids and refunds landing in the period took off it
 * (`…FromClaimOre`); `paidOre` is what the chain transferred and `offsetOre` what it kept
 * against the provider's receivable.
 */
export interface ProviderLine {
  providerId: number;
  chainRedemptions: number;
  chainOre: string;
  chainReversals: number;
  chainReversedOre: string;
  chainFromClaimOre: string;
  chainClaimOre: string;
  databaseRedemptions: number;
  databaseOre: string;
  databaseReversals: number;
  databaseFromClaimOre: string;
  databaseClaimOre: string;
  paidOre: string;
  offsetOre: string;
}

/** A provider's receivable (municipality-wide) as the contract, the indexed events and the database see it. */
export interface ReceivableLine {
  providerId: number;
  chainOre: string;
  eventsOre: string;
  databaseOre: string;
}

export interface ReconciliationReport {
  municipalityId: number;
  periodId: number;
  clean: boolean;
  closed: boolean;
  /** `totalOre` is the net of the period (gross less reversals taken off claims), what is settled. */
  chain: {
    redemptions: number;
    grossOre: string;
    reversals: number;
    reversedOre: string;
    totalOre: string;
    accruedOre: string;
    paidOre: string;
    offsetOre: string;
  };
  database: { redemptions: number; grossOre: string; reversals: number; totalOre: string };
  providers: ProviderLine[];
  receivables: ReceivableLine[];
  differences: Difference[];
}

interface DbRedemption {
  terminal: string;
  redemptionId: bigint;
  providerId: number;
  programId: bigint;
  amountOre: bigint;
}

interface DbReversal {
  originalTerminal: string;
  originalRedemptionId: bigint;
  reversalId: bigint;
  providerId: number;
  amountOre: bigint;
  fromClaimOre: bigint;
}

/**
 * Compares, for one period of one municipality, what the database recorded with what the
 * chain says: every confirmed redemption against the Redeemed events (by terminal and
 * redemption id), every confirmed reversal landing in the period against the
 * RedemptionReversed events, the indexed events against the contract's own totals, claims
 * and receivables, and settlement payouts (paid and set off) against the ProviderPaid and
 * ReceivableOffset events. The caller brings chain_events up to date first.
 */
export async function reconcilePeriod(
  db: Executor,
  chain: ChainGateway,
  ref: PeriodRef,
): Promise<ReconciliationReport> {
  const { periodId } = ref;
  const [chainRedemptions, dbRedemptions, chainReversals, dbReversals, claims, payments, offsets, closed] =
    await Promise.all([
      redemptionsInPeriod(db, ref),
      confirmedRedemptions(db, ref),
      reversalsInPeriod(db, ref),
      confirmedReversals(db, ref),
      claimsByProvider(db, ref),
      paymentsInPeriod(db, ref),
      offsetsInPeriod(db, ref),
      findClosedPeriod(db, ref),
    ]);
  const totals = await chainTotals(chain, ref);
  const unconfirmed = await unconfirmedKeys(db, chainRedemptions);
  const unconfirmedReversalKeys = await unconfirmedReversals(db, chainReversals);
  const differences: Difference[] = [
    ...compareRedemptions(periodId, chainRedemptions, dbRedemptions, unconfirmed),
    ...compareReversals(periodId, chainReversals, dbReversals, unconfirmedReversalKeys),
    ...(await unknownProviders(
      db,
      periodId,
      claims.map((c) => c.providerId),
    )),
  ];
  const netTotal = sum(claims.map((c) => c.netOre));
  const paidTotal = sum(payments.map((p) => p.amountOre));
  const offsetTotal = sum(offsets.map((o) => o.amountOre));
  // The contract's totals come from a live read, the open period's may still grow.
  const accruedOnChain = closed ? closed.accruedOre : totals.accruedOre;
  if (accruedOnChain !== netTotal || (closed && totals.accruedOre !== netTotal)) {
    differences.push({
      kind: 'chain_index_incomplete',
      periodId,
      database: netTotal.toString(),
      chain: totals.accruedOre.toString(),
    });
  }
  if (totals.paidOre !== paidTotal + offsetTotal) {
    differences.push({
      kind: 'chain_index_incomplete',
      periodId,
      database: (paidTotal + offsetTotal).toString(),
      chain: totals.paidOre.toString(),
    });
  }
  differences.push(...(await compareLiveClaims(chain, ref, claims, payments)));
  differences.push(...comparePayments(periodId, claims, payments, offsets));
  differences.push(...(await compareSettlement(db, ref, claims, payments, offsets)));
  const receivables = await compareReceivables(db, chain, ref, chainReversals, dbReversals, offsets);
  differences.push(...receivables.differences);
  const dbGross = sum(dbRedemptions.map((r) => r.amountOre));
  const dbFromClaim = sum(dbReversals.map((r) => r.fromClaimOre));
  return {
    municipalityId: ref.municipalityId,
    periodId,
    clean: differences.length === 0,
    closed: closed !== undefined,
    chain: {
      redemptions: chainRedemptions.length,
      grossOre: sum(chainRedemptions.map((r) => r.amountOre)).toString(),
      reversals: chainReversals.length,
      reversedOre: sum(chainReversals.map((r) => r.amountOre)).toString(),
      totalOre: netTotal.toString(),
      accruedOre: totals.accruedOre.toString(),
      paidOre: totals.paidOre.toString(),
      offsetOre: offsetTotal.toString(),
    },
    database: {
      redemptions: dbRedemptions.length,
      grossOre: dbGross.toString(),
      reversals: dbReversals.length,
      totalOre: (dbGross - dbFromClaim).toString(),
    },
    providers: providerLines(claims, dbRedemptions, dbReversals, payments, offsets),
    receivables: receivables.lines,
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

/** Voids and refunds the database holds as confirmed in the municipality's period. */
async function confirmedReversals(db: Executor, ref: PeriodRef): Promise<DbReversal[]> {
  const rows = await db
    .select({
      originalTerminal: redemptionReversals.originalTerminal,
      originalRedemptionId: redemptionReversals.originalRedemptionId,
      reversalId: redemptionReversals.reversalId,
      providerId: redemptionReversals.providerId,
      amountOre: redemptionReversals.amountOre,
      fromClaimOre: redemptionReversals.fromClaimOre,
    })
    .from(redemptionReversals)
    .where(
      and(
        eq(redemptionReversals.status, 'confirmed'),
        eq(redemptionReversals.municipalityId, ref.municipalityId),
        eq(redemptionReversals.periodId, BigInt(ref.periodId)),
      ),
    );
  return rows.map((row) => ({ ...row, fromClaimOre: row.fromClaimOre ?? 0n }));
}

const redemptionKey = (terminal: string, id: string | bigint) => `${terminal.toLowerCase()}#${id}`;
const reversalKey = (terminal: string, id: string | bigint, reversalId: string | bigint) =>
  `${terminal.toLowerCase()}#${id}#${reversalId}`;

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

/** Reversals on chain that the database holds as pending or rejected (or confirmed elsewhere). */
async function unconfirmedReversals(db: Executor, onChain: ChainReversal[]): Promise<Map<string, string>> {
  if (onChain.length === 0) return new Map();
  const terminals = [...new Set(onChain.map((r) => r.terminal))];
  const rows = await db
    .select({
      originalTerminal: redemptionReversals.originalTerminal,
      originalRedemptionId: redemptionReversals.originalRedemptionId,
      reversalId: redemptionReversals.reversalId,
      status: redemptionReversals.status,
      periodId: redemptionReversals.periodId,
    })
    .from(redemptionReversals)
    .where(inArray(redemptionReversals.originalTerminal, terminals));
  return new Map(
    rows.map((row) => [
      reversalKey(row.originalTerminal, row.originalRedemptionId, row.reversalId),
      row.status === 'confirmed' ? `confirmed in period ${row.periodId}` : row.status,
    ]),
  );
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

/** Each void and refund that landed in the period, by its original redemption and reversal id. */
function compareReversals(
  periodId: number,
  onChain: ChainReversal[],
  inDatabase: DbReversal[],
  unconfirmed: Map<string, string>,
): Difference[] {
  const differences: Difference[] = [];
  const database = new Map(
    inDatabase.map((r) => [reversalKey(r.originalTerminal, r.originalRedemptionId, r.reversalId), r]),
  );
  for (const chainRow of onChain) {
    const key = reversalKey(chainRow.terminal, chainRow.redemptionId, chainRow.reversalId);
    const dbRow = database.get(key);
    database.delete(key);
    const ids = {
      periodId,
      providerId: chainRow.providerId,
      terminal: chainRow.terminal,
      redemptionId: chainRow.redemptionId,
      reversalId: chainRow.reversalId,
    };
    const chainText = `${chainRow.amountOre} øre, ${chainRow.fromClaimOre} off the claim`;
    if (!dbRow) {
      const status = unconfirmed.get(key);
      differences.push(
        status
          ? { kind: 'reversal_unconfirmed_in_database', ...ids, database: status, chain: chainText }
          : { kind: 'reversal_missing_in_database', ...ids, chain: chainText },
      );
      continue;
    }
    const same =
      dbRow.amountOre === chainRow.amountOre &&
      dbRow.fromClaimOre === chainRow.fromClaimOre &&
      dbRow.providerId === chainRow.providerId;
    if (!same) {
      differences.push({
        kind: 'reversal_differs',
        ...ids,
        database: `provider ${dbRow.providerId}, ${dbRow.amountOre} øre, ${dbRow.fromClaimOre} off the claim`,
        chain: `provider ${chainRow.providerId}, ${chainText}`,
      });
    }
  }
  for (const dbRow of database.values()) {
    differences.push({
      kind: 'reversal_missing_on_chain',
      periodId,
      providerId: dbRow.providerId,
      terminal: dbRow.originalTerminal,
      redemptionId: dbRow.originalRedemptionId.toString(),
      reversalId: dbRow.reversalId.toString(),
      database: `${dbRow.amountOre} øre, ${dbRow.fromClaimOre} off the claim`,
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

/**
 * The contract's own claim (`claimOf`) of every provider not yet paid, against the net the
 * events add up to: a claim reads 0 once paid, so paid ones are checked through their events.
 */
async function compareLiveClaims(
  chain: ChainGateway,
  ref: PeriodRef,
  claims: ProviderClaim[],
  payments: ChainPayment[],
): Promise<Difference[]> {
  const paid = new Set(payments.map((p) => p.providerId));
  const differences: Difference[] = [];
  for (const claim of claims) {
    if (paid.has(claim.providerId)) continue;
    const live = await readClaimPaid(chain, ref.municipalityId, ref.periodId, claim.providerId);
    if (live.paid || live.accruedOre !== claim.netOre) {
      differences.push({
        kind: 'claim_differs',
        periodId: ref.periodId,
        providerId: claim.providerId,
        database: claim.netOre.toString(),
        chain: live.paid ? 'paid' : live.accruedOre.toString(),
      });
    }
  }
  return differences;
}

/** What each payout settled (transferred plus set off) must be the provider's net claim. */
function comparePayments(
  periodId: number,
  claims: ProviderClaim[],
  payments: ChainPayment[],
  offsets: ChainOffset[],
): Difference[] {
  const differences: Difference[] = [];
  const owed = new Map(claims.map((c) => [c.providerId, c.netOre]));
  const offsetOf = offsetsByProvider(offsets);
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
    const settled = payment.amountOre + (offsetOf.get(payment.providerId) ?? 0n);
    const claim = owed.get(payment.providerId) ?? 0n;
    if (claim !== settled) {
      differences.push({
        kind: 'payment_amount_differs',
        periodId,
        providerId: payment.providerId,
        database: claim.toString(),
        chain: settled.toString(),
      });
    }
  }
  return differences;
}

function offsetsByProvider(offsets: ChainOffset[]): Map<number, bigint> {
  const byProvider = new Map<number, bigint>();
  for (const offset of offsets) {
    byProvider.set(offset.providerId, (byProvider.get(offset.providerId) ?? 0n) + offset.amountOre);
  }
  return byProvider;
}

/**
 * The live settlement's frozen claims and, once paid, its paid and set-off amounts against
 * the chain. A provider whose claim is 0 (all of it voided) has no line and needs none.
 */
async function compareSettlement(
  db: Executor,
  ref: PeriodRef,
  claims: ProviderClaim[],
  payments: ChainPayment[],
  offsets: ChainOffset[],
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
  const owed = new Map(claims.map((c) => [c.providerId, c.netOre]));
  const paid = new Map(payments.map((p) => [p.providerId, p]));
  const offsetOf = offsetsByProvider(offsets);
  const inBatch = new Set(payouts.map((p) => p.providerId));
  for (const payout of payouts) {
    const claim = owed.get(payout.providerId) ?? 0n;
    if (claim !== payout.claimOre) {
      differences.push({
        kind: 'settlement_amount_differs',
        periodId,
        providerId: payout.providerId,
        database: payout.claimOre.toString(),
        chain: claim.toString(),
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
    if (payout.status === 'paid' && chainPayment) {
      const keptOnChain = offsetOf.get(payout.providerId) ?? 0n;
      if (payout.amountOre !== chainPayment.amountOre || payout.offsetOre !== keptOnChain) {
        differences.push({
          kind: 'payment_amount_differs',
          periodId,
          providerId: payout.providerId,
          database: `paid ${payout.amountOre}, set off ${payout.offsetOre}`,
          chain: `paid ${chainPayment.amountOre}, set off ${keptOnChain}`,
        });
      }
    }
  }
  for (const claim of claims) {
    if (claim.netOre > 0n && !inBatch.has(claim.providerId)) {
      differences.push({
        kind: 'settlement_amount_differs',
        periodId,
        providerId: claim.providerId,
        database: '0',
        chain: claim.netOre.toString(),
      });
    }
  }
  return differences;
}

/**
 * The receivable of every provider the period touched (a reversal landing in it, or a
 * set-off at its payout): the contract's `receivableOf`, the events' ledger and the database
 * (confirmed reversals beyond the claim, less set-offs of paid payout lines, less the
 * treasury's confirmed settlements) must agree.
 */
async function compareReceivables(
  db: Executor,
  chain: ChainGateway,
  ref: PeriodRef,
  chainReversals: ChainReversal[],
  dbReversals: DbReversal[],
  offsets: ChainOffset[],
): Promise<{ lines: ReceivableLine[]; differences: Difference[] }> {
  const touched = [
    ...new Set([
      ...chainReversals.filter((r) => r.amountOre > r.fromClaimOre).map((r) => r.providerId),
      ...dbReversals.filter((r) => r.amountOre > r.fromClaimOre).map((r) => r.providerId),
      ...offsets.map((o) => o.providerId),
    ]),
  ].sort((a, b) => a - b);
  if (touched.length === 0) return { lines: [], differences: [] };
  const ledger = new Map((await receivableLedger(db, ref.municipalityId)).map((l) => [l.providerId, l]));
  const lines: ReceivableLine[] = [];
  const differences: Difference[] = [];
  for (const providerId of touched) {
    const [live, database] = await Promise.all([
      readReceivable(chain, ref.municipalityId, providerId),
      databaseReceivable(db, ref.municipalityId, providerId),
    ]);
    const events = ledger.get(providerId)?.owedOre ?? 0n;
    lines.push({
      providerId,
      chainOre: live.toString(),
      eventsOre: events.toString(),
      databaseOre: database.toString(),
    });
    if (events !== live) {
      differences.push({
        kind: 'chain_index_incomplete',
        periodId: ref.periodId,
        providerId,
        database: events.toString(),
        chain: live.toString(),
      });
    }
    if (database !== live) {
      differences.push({
        kind: 'receivable_differs',
        periodId: ref.periodId,
        providerId,
        database: database.toString(),
        chain: live.toString(),
      });
    }
  }
  return { lines, differences };
}

/** What the database says a provider owes the municipality. */
export async function databaseReceivable(
  db: Executor,
  municipalityId: number,
  providerId: number,
): Promise<bigint> {
  const [created] = await db
    .select({
      ore: sql<string>`coalesce(sum(${redemptionReversals.amountOre} - ${redemptionReversals.fromClaimOre}), 0)::text`,
    })
    .from(redemptionReversals)
    .where(
      and(
        eq(redemptionReversals.status, 'confirmed'),
        eq(redemptionReversals.municipalityId, municipalityId),
        eq(redemptionReversals.providerId, providerId),
      ),
    );
  const [offset] = await db
    .select({ ore: sql<string>`coalesce(sum(${settlementPayouts.offsetOre}), 0)::text` })
    .from(settlementPayouts)
    .innerJoin(settlements, eq(settlements.id, settlementPayouts.settlementId))
    .where(
      and(
        eq(settlements.municipalityId, municipalityId),
        eq(settlementPayouts.providerId, providerId),
        eq(settlementPayouts.status, 'paid'),
      ),
    );
  const [settled] = await db
    .select({ ore: sql<string>`coalesce(sum((${chainOutbox.args}->>2)::numeric), 0)::text` })
    .from(chainOutbox)
    .where(
      and(
        inArray(chainOutbox.functionName, ['settleReceivable', 'settleReceivableSigned']),
        eq(chainOutbox.status, 'confirmed'),
        sql`${chainOutbox.args}->>0 = ${String(municipalityId)}`,
        sql`${chainOutbox.args}->>1 = ${String(providerId)}`,
      ),
    );
  return BigInt(created?.ore ?? '0') - BigInt(offset?.ore ?? '0') - BigInt(settled?.ore ?? '0');
}

function providerLines(
  claims: ProviderClaim[],
  dbRedemptions: DbRedemption[],
  dbReversals: DbReversal[],
  payments: ChainPayment[],
  offsets: ChainOffset[],
): ProviderLine[] {
  const ids = new Set([
    ...claims.map((c) => c.providerId),
    ...dbRedemptions.map((r) => r.providerId),
    ...dbReversals.map((r) => r.providerId),
  ]);
  const offsetOf = offsetsByProvider(offsets);
  return [...ids]
    .sort((a, b) => a - b)
    .map((providerId) => {
      const claim = claims.find((c) => c.providerId === providerId);
      const dbRows = dbRedemptions.filter((r) => r.providerId === providerId);
      const dbBack = dbReversals.filter((r) => r.providerId === providerId);
      const dbGross = sum(dbRows.map((r) => r.amountOre));
      const dbFromClaim = sum(dbBack.map((r) => r.fromClaimOre));
      return {
        providerId,
        chainRedemptions: claim?.redemptionCount ?? 0,
        chainOre: (claim?.grossOre ?? 0n).toString(),
        chainReversals: claim?.reversalCount ?? 0,
        chainReversedOre: (claim?.reversedOre ?? 0n).toString(),
        chainFromClaimOre: (claim?.fromClaimOre ?? 0n).toString(),
        chainClaimOre: (claim?.netOre ?? 0n).toString(),
        databaseRedemptions: dbRows.length,
        databaseOre: dbGross.toString(),
        databaseReversals: dbBack.length,
        databaseFromClaimOre: dbFromClaim.toString(),
        databaseClaimOre: (dbGross - dbFromClaim).toString(),
        paidOre: sum(payments.filter((p) => p.providerId === providerId).map((p) => p.amountOre)).toString(),
        offsetOre: (offsetOf.get(providerId) ?? 0n).toString(),
      };
    });
}

function sum(values: bigint[]): bigint {
  return values.reduce((total, value) => total + value, 0n);
}
