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
