import { chainEvents, municipalities, programs, providerAdmissions, providers } from '@voucher/db';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { assertCanSeeProvider } from '../auth/authorize.ts';
import type { AccessClaims } from '../auth/claims.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import { readOpenPeriod, requireChain } from './chain-access.ts';
import {
  claimsByProvider,
  offsetsInPeriod,
  paymentsInPeriod,
  redemptionsInPeriod,
  reversalsInPeriod,
  settlementMilestones,
} from './chain-ledger.ts';
import { reversalEntriesInPeriod } from './reversal-entries.ts';

/** What a provider sees about a period: open (still accruing), awaiting settlement, paid. */
export type StatementStatus = 'open' | 'awaiting_settlement' | 'paid';

/**
 * A provider's period: gross redeemed − reversed (voids and refunds that landed in it) +
 * what of that the claim could not cover (it became a receivable) = the net claim; of the
 * claim, `offsetOre` was kept against what the provider owed from earlier refunds and
 * `paidOre` transferred. `totalOre` is the net claim (what the period owes the provider).
 */
export interface StatementView {
  /** Periods are a municipality's own: a provider serving two has two statements a period. */
  municipalityId: number;
  municipalityName: string;
  periodId: number;
  providerId: number;
  providerName: string;
  status: StatementStatus;
  redemptionCount: number;
  grossOre: string;
  reversalCount: number;
  reversedOre: string;
  receivableOre: string;
  netOre: string;
  totalOre: string;
  offsetOre: string;
  paidOre: string;
  paidTxHash: string | null;
}

/**
 * A negative entry: (part of) a redemption given back, landing in this period. The amount
 * is what was given back (shown as a deduction); `fromClaimOre` came off this period's claim
 * and `receivableOre` did not fit and is owed by the provider. Kind and time come from the
 * service's record of it, null while it has not caught up with the chain.
 */
export interface StatementReversalLine {
  kind: 'void' | 'refund' | null;
  reversalId: string;
  originalTerminal: string;
  originalRedemptionId: string;
  originalPeriodId: number | null;
  programId: string;
  programName: string;
  amountOre: string;
  fromClaimOre: string;
  receivableOre: string;
  reversedAt: string | null;
  txHash: string;
  blockNumber: string;
}

export interface StatementLine {
  redemptionId: string;
  terminal: string;
  programId: string;
  programName: string;
  amountOre: string;
  txHash: string;
  blockNumber: string;
}

/**
 * All periods in which a provider had redemptions, from the chain's events, newest first:
 * for the provider's own staff in every municipality that admits it, for municipal staff in
 * their own municipality only.
 */
export async function providerStatements(
  deps: DomainDeps,
  params: { actor: AccessClaims; providerId: number },
): Promise<StatementView[]> {
  const provider = await visibleProvider(deps, params.actor, params.providerId);
  const chain = requireChain(deps);
  const views: StatementView[] = [];
  for (const municipality of await statementMunicipalities(deps, params.actor, provider.id)) {
    const open = await readOpenPeriod(chain, municipality.id);
    for (let periodId = open.periodId; periodId >= 1; periodId--) {
      const ref = { municipality, periodId, openPeriodId: open.periodId };
      views.push(...(await periodStatementRows(deps, ref, [provider])));
    }
  }
  return views;
}

/** One provider's statement for one period, with its redemption lines. */
export async function providerStatement(
  deps: DomainDeps,
  params: { actor: AccessClaims; providerId: number; periodId: number; municipalityId?: number },
): Promise<StatementView & { lines: StatementLine[]; reversals: StatementReversalLine[] }> {
  const provider = await visibleProvider(deps, params.actor, params.providerId);
  const wanted = params.municipalityId ?? defaultMunicipality(params.actor, provider);
  const municipality = (await statementMunicipalities(deps, params.actor, provider.id)).find(
    (m) => m.id === wanted,
  );
  if (!municipality) throw new AppError('NOT_FOUND');
  const chain = requireChain(deps);
  const open = await readOpenPeriod(chain, municipality.id);
  if (params.periodId > open.periodId) throw new AppError('NOT_FOUND');
  const ref = { municipality, periodId: params.periodId, openPeriodId: open.periodId };
  const [statement] = await periodStatementRows(deps, ref, [provider], true);
  const period = { municipalityId: municipality.id, periodId: params.periodId };
  const redemptions = await redemptionsInPeriod(deps.db, period, provider.id);
  const reversals = await reversalsInPeriod(deps.db, period, provider.id);
  const recorded = new Map(
    (await reversalEntriesInPeriod(deps.db, period, provider.id)).map((entry) => [
      `${entry.originalTerminal}#${entry.originalRedemptionId}#${entry.reversalId}`,
      entry,
    ]),
  );
  const originalPeriods = await redemptionPeriods(deps, reversals);
  const names = await programNames(deps, [
    ...new Set([...redemptions, ...reversals].map((r) => BigInt(r.programId))),
  ]);
  return {
    ...(statement ?? emptyStatement(ref, provider)),
    lines: redemptions.map((r) => ({
      redemptionId: r.redemptionId,
      terminal: r.terminal,
      programId: r.programId,
      programName: names.get(r.programId) ?? '',
      amountOre: r.amountOre.toString(),
      txHash: r.txHash,
      blockNumber: r.blockNumber.toString(),
    })),
    reversals: reversals.map((r) => {
      const entry = recorded.get(`${r.terminal}#${r.redemptionId}#${r.reversalId}`);
      return {
        kind: entry?.kind ?? null,
        reversalId: r.reversalId,
        originalTerminal: r.terminal,
        originalRedemptionId: r.redemptionId,
        originalPeriodId: originalPeriods.get(`${r.terminal}#${r.redemptionId}`) ?? null,
        programId: r.programId,
        programName: names.get(r.programId) ?? '',
        amountOre: r.amountOre.toString(),
        fromClaimOre: r.fromClaimOre.toString(),
        receivableOre: (r.amountOre - r.fromClaimOre).toString(),
        reversedAt: entry?.confirmedAt?.toISOString() ?? null,
        txHash: r.txHash,
        blockNumber: r.blockNumber.toString(),
      };
    }),
  };
}

/** The period each original redemption was in, from the chain's Redeemed events. */
async function redemptionPeriods(
  deps: DomainDeps,
  reversals: { terminal: string; redemptionId: string }[],
): Promise<Map<string, number>> {
  if (reversals.length === 0) return new Map();
  const rows = await deps.db
    .select({
      terminal: sql<string>`lower(${chainEvents.args}->>'terminal')`,
      redemptionId: sql<string>`${chainEvents.args}->>'redemptionId'`,
      periodId: sql<number>`(${chainEvents.args}->>'period')::int`.mapWith(Number),
    })
    .from(chainEvents)
    .where(
      and(
        eq(chainEvents.contract, 'hub'),
        eq(chainEvents.eventName, 'Redeemed'),
        inArray(sql`lower(${chainEvents.args}->>'terminal')`, [...new Set(reversals.map((r) => r.terminal))]),
      ),
    );
  return new Map(rows.map((row) => [`${row.terminal}#${row.redemptionId}`, row.periodId]));
}

/** Every provider's statement for one period (finance, auditors). */
export async function periodStatements(
  deps: DomainDeps,
  params: { actor: AccessClaims; periodId: number },
): Promise<StatementView[]> {
  const chain = requireChain(deps);
  const { municipalityId } = params.actor;
  const open = await readOpenPeriod(chain, municipalityId);
  if (params.periodId > open.periodId) throw new AppError('NOT_FOUND');
  // Every provider this municipality admits, its own and those registered by a neighbour.
  const visible = await deps.db
    .select({ id: providers.id, name: providers.name, municipalityId: providers.municipalityId })
    .from(providers)
    .innerJoin(providerAdmissions, eq(providerAdmissions.providerId, providers.id))
    .where(eq(providerAdmissions.municipalityId, municipalityId));
  const [municipality] = await deps.db
    .select({ id: municipalities.id, name: municipalities.name })
    .from(municipalities)
    .where(eq(municipalities.id, municipalityId));
  if (!municipality) throw new AppError('NOT_FOUND');
  return periodStatementRows(
    deps,
    { municipality, periodId: params.periodId, openPeriodId: open.periodId },
    visible,
  );
}

type ProviderRef = { id: number; name: string; municipalityId: number };
type MunicipalityRef = { id: number; name: string };
type StatementPeriod = { municipality: MunicipalityRef; periodId: number; openPeriodId: number };

async function periodStatementRows(
  deps: DomainDeps,
  ref: StatementPeriod,
  visible: ProviderRef[],
  includeEmpty = false,
): Promise<StatementView[]> {
  const period = { municipalityId: ref.municipality.id, periodId: ref.periodId };
  const claims = new Map((await claimsByProvider(deps.db, period)).map((c) => [c.providerId, c]));
  const payments = new Map((await paymentsInPeriod(deps.db, period)).map((p) => [p.providerId, p]));
  const offsets = new Map<number, bigint>();
  for (const offset of await offsetsInPeriod(deps.db, period)) {
    offsets.set(offset.providerId, (offsets.get(offset.providerId) ?? 0n) + offset.amountOre);
  }
  const { periodId, openPeriodId } = ref;
  const open = periodId === openPeriodId;
  // A claim that came to 0 is never paid: its statement is final when the period is settled.
  const settled = !open && (await settlementMilestones(deps.db, period)).settled;
  return visible
    .filter((provider) => includeEmpty || claims.has(provider.id))
    .map((provider) => {
      const claim = claims.get(provider.id);
      const payment = payments.get(provider.id);
      if (!claim) return emptyStatement(ref, provider);
      const status: StatementStatus = open
        ? 'open'
        : payment || (claim.netOre === 0n && settled)
          ? 'paid'
          : 'awaiting_settlement';
      return {
        municipalityId: ref.municipality.id,
        municipalityName: ref.municipality.name,
        periodId,
        providerId: provider.id,
        providerName: provider.name,
        status,
        redemptionCount: claim.redemptionCount,
        grossOre: claim.grossOre.toString(),
        reversalCount: claim.reversalCount,
        reversedOre: claim.reversedOre.toString(),
        receivableOre: claim.receivableOre.toString(),
        netOre: claim.netOre.toString(),
        totalOre: claim.netOre.toString(),
        offsetOre: (offsets.get(provider.id) ?? 0n).toString(),
        paidOre: (payment?.amountOre ?? 0n).toString(),
        paidTxHash: payment?.txHash ?? null,
      } satisfies StatementView;
    });
}

function emptyStatement(ref: StatementPeriod, provider: ProviderRef): StatementView {
  return {
    municipalityId: ref.municipality.id,
    municipalityName: ref.municipality.name,
    periodId: ref.periodId,
    providerId: provider.id,
    providerName: provider.name,
    status: ref.periodId === ref.openPeriodId ? 'open' : 'paid',
    redemptionCount: 0,
    grossOre: '0',
    reversalCount: 0,
    reversedOre: '0',
    receivableOre: '0',
    netOre: '0',
    totalOre: '0',
    offsetOre: '0',
    paidOre: '0',
    paidTxHash: null,
  };
}

async function visibleProvider(
  deps: DomainDeps,
  actor: AccessClaims,
  providerId: number,
): Promise<ProviderRef> {
  const [provider] = await deps.db
    .select({ id: providers.id, name: providers.name, municipalityId: providers.municipalityId })
    .from(providers)
    .where(eq(providers.id, providerId));
  if (!provider) throw new AppError('NOT_FOUND');
  if (actor.role === 'provider_staff') {
    assertCanSeeProvider(actor, provider);
    return provider;
  }
  const admitted = await admittedIn(deps, provider.id);
  if (!admitted.some((m) => m.id === actor.municipalityId)) throw new AppError('NOT_FOUND');
  return provider;
}

/** The municipalities whose statements the actor may see for this provider. */
async function statementMunicipalities(
  deps: DomainDeps,
  actor: AccessClaims,
  providerId: number,
): Promise<MunicipalityRef[]> {
  const admitted = await admittedIn(deps, providerId);
  if (actor.role === 'provider_staff') return admitted;
  return admitted.filter((m) => m.id === actor.municipalityId);
}

function defaultMunicipality(actor: AccessClaims, provider: ProviderRef): number {
  return actor.role === 'provider_staff' ? provider.municipalityId : actor.municipalityId;
}

async function admittedIn(deps: DomainDeps, providerId: number): Promise<MunicipalityRef[]> {
  return deps.db
    .select({ id: municipalities.id, name: municipalities.name })
    .from(providerAdmissions)
    .innerJoin(municipalities, eq(municipalities.id, providerAdmissions.municipalityId))
    .where(eq(providerAdmissions.providerId, providerId))
    .orderBy(municipalities.id);
}

async function programNames(deps: DomainDeps, ids: bigint[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await deps.db
    .select({ id: programs.id, name: programs.name })
    .from(programs)
    .where(inArray(programs.id, ids));
  return new Map(rows.map((row) => [row.id.toString(), row.name]));
}
