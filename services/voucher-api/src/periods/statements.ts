import { programs, providers } from '@voucher/db';
import { eq, inArray } from 'drizzle-orm';
import { assertCanSeeProvider } from '../auth/authorize.ts';
import type { AccessClaims } from '../auth/claims.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import { catchUpIndex, readOpenPeriod, requireChain } from './chain-access.ts';
import { accrualsByProvider, paymentsInPeriod, redemptionsInPeriod } from './chain-ledger.ts';

/** What a provider sees about a period: open (still accruing), awaiting settlement, paid. */
export type StatementStatus = 'open' | 'awaiting_settlement' | 'paid';

export interface StatementView {
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

/** All periods in which a provider had redemptions, from the chain's events, newest first. */
export async function providerStatements(
  deps: DomainDeps,
  params: { actor: AccessClaims; providerId: number },
): Promise<StatementView[]> {
  const provider = await visibleProvider(deps, params.actor, params.providerId);
  const chain = requireChain(deps);
  await catchUpIndex(chain);
  const open = await readOpenPeriod(chain);
  const views: StatementView[] = [];
  for (let periodId = open.periodId; periodId >= 1; periodId--) {
    const statements = await periodStatementRows(deps, periodId, open.periodId, [provider]);
    views.push(...statements);
  }
  return views;
}

/** One provider's statement for one period, with its redemption lines. */
export async function providerStatement(
  deps: DomainDeps,
  params: { actor: AccessClaims; providerId: number; periodId: number },
): Promise<StatementView & { lines: StatementLine[] }> {
  const provider = await visibleProvider(deps, params.actor, params.providerId);
  const chain = requireChain(deps);
  await catchUpIndex(chain);
  const open = await readOpenPeriod(chain);
  if (params.periodId > open.periodId) throw new AppError('NOT_FOUND');
  const [statement] = await periodStatementRows(deps, params.periodId, open.periodId, [provider], true);
  const redemptions = await redemptionsInPeriod(deps.db, params.periodId, provider.id);
  const names = await programNames(deps, [...new Set(redemptions.map((r) => BigInt(r.programId)))]);
  return {
    ...(statement ?? emptyStatement(params.periodId, provider, params.periodId === open.periodId)),
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
  await catchUpIndex(chain);
  const open = await readOpenPeriod(chain);
  if (params.periodId > open.periodId) throw new AppError('NOT_FOUND');
  const visible = await deps.db
    .select({ id: providers.id, name: providers.name, municipalityId: providers.municipalityId })
    .from(providers)
    .where(eq(providers.municipalityId, params.actor.municipalityId));
  return periodStatementRows(deps, params.periodId, open.periodId, visible);
}

type ProviderRef = { id: number; name: string; municipalityId: number };

async function periodStatementRows(
  deps: DomainDeps,
  periodId: number,
  openPeriodId: number,
  visible: ProviderRef[],
  includeEmpty = false,
): Promise<StatementView[]> {
  const accruals = new Map((await accrualsByProvider(deps.db, periodId)).map((a) => [a.providerId, a]));
  const payments = new Map((await paymentsInPeriod(deps.db, periodId)).map((p) => [p.providerId, p]));
  return visible
    .filter((provider) => includeEmpty || accruals.has(provider.id))
    .map((provider) => {
      const accrual = accruals.get(provider.id);
      const payment = payments.get(provider.id);
      if (!accrual) return emptyStatement(periodId, provider, periodId === openPeriodId);
      return {
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

function emptyStatement(periodId: number, provider: ProviderRef, open: boolean): StatementView {
  return {
    periodId,
    providerId: provider.id,
    providerName: provider.name,
    status: open ? 'open' : 'paid',
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
  assertCanSeeProvider(actor, provider);
  return provider;
}

async function programNames(deps: DomainDeps, ids: bigint[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await deps.db
    .select({ id: programs.id, name: programs.name })
    .from(programs)
    .where(inArray(programs.id, ids));
  return new Map(rows.map((row) => [row.id.toString(), row.name]));
}
