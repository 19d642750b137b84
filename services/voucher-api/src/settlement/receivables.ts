import { appendAudit, chainOutbox, providerAdmissions, providers } from '@voucher/db';
import { and, eq, inArray } from 'drizzle-orm';
import { auditActor } from '../audit/actor.ts';
import type { AccessClaims } from '../auth/claims.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import { enqueueChainWrite } from '../outbox/enqueue.ts';
import { catchUpIndex, readReceivable, requireChain } from '../periods/chain-access.ts';
import { receivableLedger } from '../periods/chain-ledger.ts';

const UINT128_MAX = 2n ** 128n - 1n;

export interface ReceivableView {
  providerId: number;
  providerName: string;
  /** What the provider owes the municipality from refunds beyond its claims, now (chain). */
  owedOre: string;
}

/**
 * What providers owe the municipality from refunds larger than their open claim, read from
 * the contract (`receivableOf`) for every provider the chain has seen a reversal, set-off or
 * settlement of in this municipality. Only providers who owe something are listed.
 */
export async function listReceivables(deps: DomainDeps, actor: AccessClaims): Promise<ReceivableView[]> {
  const chain = requireChain(deps);
  const candidates = (await receivableLedger(deps.db, actor.municipalityId)).map((l) => l.providerId);
  if (candidates.length === 0) return [];
  const names = await admittedProviderNames(deps, actor.municipalityId, candidates);
  const views: ReceivableView[] = [];
  for (const providerId of candidates) {
    const owed = await readReceivable(chain, actor.municipalityId, providerId);
    if (owed === 0n) continue;
    views.push({ providerId, providerName: names.get(providerId) ?? '', owedOre: owed.toString() });
  }
  return views;
}

async function admittedProviderNames(
  deps: DomainDeps,
  municipalityId: number,
  ids: number[],
): Promise<Map<number, string>> {
  const rows = await deps.db
    .select({ id: providers.id, name: providers.name })
    .from(providers)
    .innerJoin(providerAdmissions, eq(providerAdmissions.providerId, providers.id))
    .where(and(eq(providerAdmissions.municipalityId, municipalityId), inArray(providers.id, ids)));
  return new Map(rows.map((row) => [row.id, row.name]));
}

export interface SettleReceivableResult {
  providerId: number;
  providerName: string;
  settledOre: string;
  /** What the provider still owes after this settlement (as far as the chain has got). */
  owedOre: string;
  status: 'settled' | 'pending';
}

/**
 * The provider paid (part of) its receivable back by bank: the treasury mints the eKrone
 * against those kroner and brings them into the municipality's escrow on chain
 * (`settleReceivable`), and the receivable shrinks by the amount. The same request id
 * changes nothing a second time. More than the provider owes is refused before anything is
 * sent (and by the contract).
 */
export async function settleReceivable(
  deps: DomainDeps,
  params: { actor: AccessClaims; providerId: number; amountOre: bigint; requestId: string },
): Promise<SettleReceivableResult> {
  const chain = requireChain(deps);
  const { actor, providerId, amountOre } = params;
  if (amountOre <= 0n || amountOre > UINT128_MAX) throw new AppError('AMOUNT_INVALID');
  const names = await admittedProviderNames(deps, actor.municipalityId, [providerId]);
  const providerName = names.get(providerId);
  if (providerName === undefined) throw new AppError('NOT_FOUND');
  const keyPrefix = `receivable-settle:${actor.municipalityId}:${params.requestId}`;
  const settleKey = `${keyPrefix}:settle`;
  const earlier = await deps.db.query.chainOutbox.findFirst({
    columns: { id: true },
    where: eq(chainOutbox.idempotencyKey, settleKey),
  });
  const outboxId = earlier?.id ?? (await enqueueSettlement(deps, params, settleKey));
  const outcome = await chain.outbox.waitFor(outboxId, deps.config.settlement.waitMs);
  if (outcome.status === 'failed') throw new AppError('RECEIVABLE_SETTLE_FAILED');
  if (outcome.status === 'confirmed') await catchUpIndex(chain);
  return {
    providerId,
    providerName,
    settledOre: amountOre.toString(),
    owedOre: (await readReceivable(chain, actor.municipalityId, providerId)).toString(),
    status: outcome.status === 'confirmed' ? 'settled' : 'pending',
  };
}

async function enqueueSettlement(
  deps: DomainDeps,
  params: { actor: AccessClaims; providerId: number; amountOre: bigint; requestId: string },
  settleKey: string,
): Promise<bigint> {
  const chain = requireChain(deps);
  const { actor, providerId } = params;
  const amount = params.amountOre.toString();
  const owed = await readReceivable(chain, actor.municipalityId, providerId);
  if (params.amountOre > owed) throw new AppError('RECEIVABLE_EXCEEDED', { owedOre: owed.toString() });
  return deps.db.transaction(async (tx) => {
    // The provider paid the kroner into the scheme's bank account; the hub mints the eKrone.
    const outboxId = await enqueueChainWrite(tx, {
      kind: 'receivable.settle',
      contract: 'hub',
      functionName: 'settleReceivable',
      args: [String(actor.municipalityId), String(providerId), amount],
      idempotencyKey: settleKey,
    });
    await appendAudit(tx, {
      ...auditActor(actor),
      municipalityId: actor.municipalityId,
      action: 'provider.receivable.settle.requested',
      subjectType: 'provider',
      subjectId: String(providerId),
      details: { amountOre: amount, owedOre: owed.toString(), requestId: params.requestId },
    });
    return outboxId;
  });
}
