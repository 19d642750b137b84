import { chainEvents, type Executor, programs } from '@voucher/db';
import { and, asc, eq, sql } from 'drizzle-orm';

/**
 * What the indexed hub events say about periods: the chain read model, independent of
 * what the API itself recorded. Event arguments are JSON; uint64 and wider are decimal
 * strings, narrower ints plain numbers, so every read casts explicitly.
 */
const arg = (name: string) => sql`(${chainEvents.args}->>${name})`;
const hubEvent = (eventName: string) =>
  and(eq(chainEvents.contract, 'hub'), eq(chainEvents.eventName, eventName));

/** A period of one municipality: periods are numbered per municipality, so both are needed. */
export interface PeriodRef {
  municipalityId: number;
  periodId: number;
}

/** Hub events that concern a municipality name it; `Redeemed` names the program instead. */
const ofMunicipality = (municipalityId: number) => sql`${arg('municipality')}::int = ${municipalityId}`;
const inPeriod = (ref: PeriodRef) =>
  and(ofMunicipality(ref.municipalityId), sql`${arg('period')}::bigint = ${ref.periodId}`);
const redeemedInPeriod = (ref: PeriodRef) =>
  and(
    hubEvent('Redeemed'),
    sql`${arg('period')}::bigint = ${ref.periodId}`,
    sql`${arg('program')}::bigint IN (SELECT ${programs.id} FROM ${programs} WHERE ${programs.municipalityId} = ${ref.municipalityId})`,
  );

export interface ProviderAccrual {
  providerId: number;
  redemptionCount: number;
  amountOre: bigint;
}

export async function accrualsByProvider(db: Executor, ref: PeriodRef): Promise<ProviderAccrual[]> {
  const rows = await db
    .select({
      providerId: sql<number>`${arg('provider')}::int`.mapWith(Number),
      redemptionCount: sql<number>`count(*)::int`.mapWith(Number),
      amountOre: sql<string>`sum(${arg('amountOre')}::numeric)::text`,
    })
    .from(chainEvents)
    .where(redeemedInPeriod(ref))
    .groupBy(sql`1`)
    .orderBy(sql`1`);
  return rows.map((row) => ({ ...row, amountOre: BigInt(row.amountOre) }));
}

export interface ChainRedemption {
  terminal: string;
  redemptionId: string;
  providerId: number;
  programId: string;
  amountOre: bigint;
  periodId: number;
  txHash: string;
  blockNumber: bigint;
}

export async function redemptionsInPeriod(
  db: Executor,
  ref: PeriodRef,
  providerId?: number,
): Promise<ChainRedemption[]> {
  const rows = await db
    .select({ args: chainEvents.args, txHash: chainEvents.txHash, blockNumber: chainEvents.blockNumber })
    .from(chainEvents)
    .where(
      and(
        redeemedInPeriod(ref),
        providerId === undefined ? undefined : sql`${arg('provider')}::int = ${providerId}`,
      ),
    )
    .orderBy(asc(chainEvents.blockNumber), asc(chainEvents.logIndex));
  return rows.map(({ args, txHash, blockNumber }) => {
    const a = args as Record<string, string | number>;
    return {
      terminal: String(a.terminal).toLowerCase(),
      redemptionId: String(a.redemptionId),
      providerId: Number(a.provider),
      programId: String(a.program),
      amountOre: BigInt(a.amountOre as string),
      periodId: Number(a.period),
      txHash,
      blockNumber,
    };
  });
}

export interface ChainPayment {
  providerId: number;
  amountOre: bigint;
  payout: string;
  txHash: string;
}

/** Every ProviderPaid of a period; more than one per provider would be a broken invariant. */
export async function paymentsInPeriod(db: Executor, ref: PeriodRef): Promise<ChainPayment[]> {
  const rows = await db
    .select({ args: chainEvents.args, txHash: chainEvents.txHash })
    .from(chainEvents)
    .where(and(hubEvent('ProviderPaid'), inPeriod(ref)))
    .orderBy(asc(chainEvents.blockNumber), asc(chainEvents.logIndex));
  return rows.map(({ args, txHash }) => {
    const a = args as Record<string, string | number>;
    return {
      providerId: Number(a.provider),
      amountOre: BigInt(a.amountOre as string),
      payout: String(a.payout).toLowerCase(),
      txHash,
    };
  });
}

export interface ClosedPeriod {
  periodId: number;
  accruedOre: bigint;
  blockNumber: bigint;
  txHash: string;
}

export async function closedPeriods(db: Executor, municipalityId: number): Promise<ClosedPeriod[]> {
  const rows = await db
    .select({ args: chainEvents.args, txHash: chainEvents.txHash, blockNumber: chainEvents.blockNumber })
    .from(chainEvents)
    .where(and(hubEvent('PeriodClosed'), ofMunicipality(municipalityId)))
    .orderBy(asc(chainEvents.blockNumber));
  return rows.map(({ args, txHash, blockNumber }) => {
    const a = args as Record<string, string | number>;
    return { periodId: Number(a.period), accruedOre: BigInt(a.accruedOre as string), blockNumber, txHash };
  });
}

export async function findClosedPeriod(db: Executor, ref: PeriodRef): Promise<ClosedPeriod | undefined> {
  return (await closedPeriods(db, ref.municipalityId)).find((period) => period.periodId === ref.periodId);
}

/** The settlement milestones the chain announced for a period, latest per kind. */
export async function settlementMilestones(db: Executor, ref: PeriodRef) {
  const rows = await db
    .select({ eventName: chainEvents.eventName, args: chainEvents.args, txHash: chainEvents.txHash })
    .from(chainEvents)
    .where(
      and(
        eq(chainEvents.contract, 'hub'),
        sql`${chainEvents.eventName} IN ('SettlementProposed', 'SettlementCancelled', 'SettlementApproved', 'PeriodSettled')`,
        inPeriod(ref),
      ),
    )
    .orderBy(asc(chainEvents.blockNumber), asc(chainEvents.logIndex));
  const latest = new Map(rows.map((row) => [row.eventName, row]));
  return {
    proposed: latest.has('SettlementProposed'),
    approved: latest.has('SettlementApproved'),
    settled: latest.has('PeriodSettled'),
  };
}

/**
 * A reversal (void or refund) as the chain recorded it: it landed in `periodId` of the
 * municipality, took `fromClaimOre` off the provider's claim there, and the rest
 * (`amountOre − fromClaimOre`) became the provider's receivable. `terminal` and
 * `redemptionId` name the original redemption; `reversalId` is the signing terminal's id.
 */
export interface ChainReversal {
  providerId: number;
  programId: string;
  terminal: string;
  redemptionId: string;
  reversalId: string;
  amountOre: bigint;
  periodId: number;
  fromClaimOre: bigint;
  creditRestored: boolean;
  txHash: string;
  blockNumber: bigint;
}

export async function reversalsInPeriod(
  db: Executor,
  ref: PeriodRef,
  providerId?: number,
): Promise<ChainReversal[]> {
  const rows = await db
    .select({ args: chainEvents.args, txHash: chainEvents.txHash, blockNumber: chainEvents.blockNumber })
    .from(chainEvents)
    .where(
      and(
        hubEvent('RedemptionReversed'),
        inPeriod(ref),
        providerId === undefined ? undefined : sql`${arg('provider')}::int = ${providerId}`,
      ),
    )
    .orderBy(asc(chainEvents.blockNumber), asc(chainEvents.logIndex));
  return rows.map(({ args, txHash, blockNumber }) => {
    const a = args as Record<string, string | number | boolean>;
    return {
      providerId: Number(a.provider),
      programId: String(a.program),
      terminal: String(a.terminal).toLowerCase(),
      redemptionId: String(a.redemptionId),
      reversalId: String(a.reversalId),
      amountOre: BigInt(a.amountOre as string),
      periodId: Number(a.period),
      fromClaimOre: BigInt(a.fromClaimOre as string),
      creditRestored: a.creditRestored === true,
      txHash,
      blockNumber,
    };
  });
}

/** What a payout kept of a provider's claim to pay off its receivable (ReceivableOffset). */
export interface ChainOffset {
  providerId: number;
  amountOre: bigint;
  txHash: string;
}

export async function offsetsInPeriod(db: Executor, ref: PeriodRef): Promise<ChainOffset[]> {
  const rows = await db
    .select({ args: chainEvents.args, txHash: chainEvents.txHash })
    .from(chainEvents)
    .where(and(hubEvent('ReceivableOffset'), inPeriod(ref)))
    .orderBy(asc(chainEvents.blockNumber), asc(chainEvents.logIndex));
  return rows.map(({ args, txHash }) => {
    const a = args as Record<string, string | number>;
    return { providerId: Number(a.provider), amountOre: BigInt(a.amountOre as string), txHash };
  });
}

/**
 * A provider's claim for a period from the events: what it redeemed, what was given back in
 * the period (voids and refunds that landed there, whichever period their redemption was
 * in), the part of that taken off the claim, and the net claim the payout pays.
 */
export interface ProviderClaim {
  providerId: number;
  redemptionCount: number;
  grossOre: bigint;
  reversalCount: number;
  reversedOre: bigint;
  fromClaimOre: bigint;
  /** Given back beyond the claim: became the provider's receivable in this period. */
  receivableOre: bigint;
  /** gross − fromClaim: the chain's claim (claimOf) until it is paid. */
  netOre: bigint;
}

export async function claimsByProvider(db: Executor, ref: PeriodRef): Promise<ProviderClaim[]> {
  const [accruals, reversals] = await Promise.all([accrualsByProvider(db, ref), reversalsInPeriod(db, ref)]);
  const claims = new Map<number, ProviderClaim>();
  const claimOf = (providerId: number) => {
    let claim = claims.get(providerId);
    if (!claim) {
      claim = {
        providerId,
        redemptionCount: 0,
        grossOre: 0n,
        reversalCount: 0,
        reversedOre: 0n,
        fromClaimOre: 0n,
        receivableOre: 0n,
        netOre: 0n,
      };
      claims.set(providerId, claim);
    }
    return claim;
  };
  for (const accrual of accruals) {
    const claim = claimOf(accrual.providerId);
    claim.redemptionCount = accrual.redemptionCount;
    claim.grossOre = accrual.amountOre;
  }
  for (const reversal of reversals) {
    const claim = claimOf(reversal.providerId);
    claim.reversalCount += 1;
    claim.reversedOre += reversal.amountOre;
    claim.fromClaimOre += reversal.fromClaimOre;
    claim.receivableOre += reversal.amountOre - reversal.fromClaimOre;
  }
  for (const claim of claims.values()) claim.netOre = claim.grossOre - claim.fromClaimOre;
  return [...claims.values()].sort((a, b) => a.providerId - b.providerId);
}

/**
 * A provider's receivable in a municipality as the events tell it: created by reversals
 * beyond a claim, reduced by payouts' set-offs and by the treasury's ReceivableSettled.
 */
export interface ReceivableLedger {
  providerId: number;
  createdOre: bigint;
  offsetOre: bigint;
  settledOre: bigint;
  owedOre: bigint;
}

export async function receivableLedger(db: Executor, municipalityId: number): Promise<ReceivableLedger[]> {
  const rows = await db
    .select({ eventName: chainEvents.eventName, args: chainEvents.args })
    .from(chainEvents)
    .where(
      and(
        eq(chainEvents.contract, 'hub'),
        sql`${chainEvents.eventName} IN ('RedemptionReversed', 'ReceivableOffset', 'ReceivableSettled')`,
        ofMunicipality(municipalityId),
      ),
    );
  const ledgers = new Map<number, ReceivableLedger>();
  for (const { eventName, args } of rows) {
    const a = args as Record<string, string | number>;
    const providerId = Number(a.provider);
    const ledger = ledgers.get(providerId) ?? {
      providerId,
      createdOre: 0n,
      offsetOre: 0n,
      settledOre: 0n,
      owedOre: 0n,
    };
    ledgers.set(providerId, ledger);
    const amount = BigInt(a.amountOre as string);
    if (eventName === 'RedemptionReversed') ledger.createdOre += amount - BigInt(a.fromClaimOre as string);
    else if (eventName === 'ReceivableOffset') ledger.offsetOre += amount;
    else ledger.settledOre += amount;
  }
  for (const ledger of ledgers.values()) {
    ledger.owedOre = ledger.createdOre - ledger.offsetOre - ledger.settledOre;
  }
  return [...ledgers.values()].sort((a, b) => a.providerId - b.providerId);
}
