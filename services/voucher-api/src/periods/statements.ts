import { municipalities, programs, providerAdmissions, providers } from '@voucher/db';
import { eq, inArray } from 'drizzle-orm';
import { assertCanSeeProvider } from '../auth/authorize.ts';
import type { AccessClaims } from '../auth/claims.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import { readOpenPeriod, requireChain } from './chain-access.ts';
import { accrualsByProvider, paymentsInPeriod, redemptionsInPeriod } from './chain-ledger.ts';

/** What a provider sees about a period: open (still accruing), awaiting settlement, paid. */
export type StatementStatus = 'open' | 'awaiting_settlement' | 'paid';

export interface StatementView {
  /** Periods are a municipality's own: a provider serving two has two statements a period. */
  municipalityId: number;
  municipalityName: string;
  periodId: number;
  providerId: number;
  providerName: string;
  status: StatementStatus;
  redemptionCount: number;
  totalOre: string;
  paidOre: string;
  paidTxHash: string | null;
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
): Promise<StatementView & { lines: StatementLine[] }> {
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
  const redemptions = await redemptionsInPeriod(
    deps.db,
    { municipalityId: municipality.id, periodId: params.periodId },
    provider.id,
  );
  const names = await programNames(deps, [...new Set(redemptions.map((r) => BigInt(r.programId)))]);
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
  };
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
  const accruals = new Map((await accrualsByProvider(deps.db, period)).map((a) => [a.providerId, a]));
  const payments = new Map((await paymentsInPeriod(deps.db, period)).map((p) => [p.providerId, p]));
  const { periodId, openPeriodId } = ref;
  return visible
    .filter((provider) => includeEmpty || accruals.has(provider.id))
    .map((provider) => {
      const accrual = accruals.get(provider.id);
      const payment = payments.get(provider.id);
      if (!accrual) return emptyStatement(ref, provider);
      return {
        municipalityId: ref.municipality.id,
        municipalityName: ref.municipality.name,
        periodId,
        providerId: provider.id,
        providerName: provider.name,
        status: periodId === openPeriodId ? 'open' : payment ? 'paid' : 'awaiting_settlement',
        redemptionCount: accrual.redemptionCount,
        totalOre: accrual.amountOre.toString(),
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
    totalOre: '0',
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
