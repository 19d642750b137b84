import { voucherHubAbi } from '@voucher/contracts';
import { chainOutbox, providerAdmissions, providers } from '@voucher/db';
import { and, asc, eq, inArray, like } from 'drizzle-orm';
import type { Hex } from 'viem';
import type { AccessClaims } from '../auth/claims.ts';
import type { ChainGateway } from '../chain/gateway.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import {
  fundingKeyOf,
  type OfficerAction,
  officerChallenge,
  receivableSubject,
  relaySigned,
  verifyOfficerSignature,
} from '../officer-signing/officer-signing.ts';
import type { StaffAssertion } from '../passkeys/verify-staff-assertion.ts';
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

export interface SettleReceivableParams {
  actor: AccessClaims;
  providerId: number;
  amountOre: bigint;
  /** Client-generated: its keccak256 is the request key the hub uses once. */
  requestId: string;
}

export interface SettleReceivableChallenge {
  providerId: number;
  providerName: string;
  amountOre: string;
  requestId: string;
  /** What the provider owes now (chain), before this settlement. */
  owedOre: string;
  deadline: number;
  digest: Hex;
}

export interface SettleReceivableResult {
  providerId: number;
  providerName: string;
  settledOre: string;
  /** What the provider still owes after this settlement (as far as the chain has got). */
  owedOre: string;
  status: 'settled' | 'pending';
}

interface ReceivableContext {
  chain: ChainGateway;
  providerName: string;
  action: OfficerAction;
  /** An earlier relay of the same request that did not fail: it is answered, never relayed again. */
  earlier: { id: bigint; status: string } | undefined;
  /** The hub has used the request key: this request settled already. */
  used: boolean;
}

const keyPrefixOf = (municipalityId: number, requestId: string) =>
  `receivable-settle:${municipalityId}:${requestId}:`;

/**
 * The checks a receivable settlement must pass before anyone signs, and again before it is
 * relayed: a valid amount, a provider the municipality admitted, a request id not already used
 * for another provider or amount.
 */
async function receivableContext(
  deps: DomainDeps,
  params: SettleReceivableParams,
): Promise<ReceivableContext> {
  const chain = requireChain(deps);
  const { actor, providerId, amountOre, requestId } = params;
  if (amountOre <= 0n || amountOre > UINT128_MAX) throw new AppError('AMOUNT_INVALID');
  const names = await admittedProviderNames(deps, actor.municipalityId, [providerId]);
  const providerName = names.get(providerId);
  if (providerName === undefined) throw new AppError('NOT_FOUND');
  const relays = await deps.db
    .select({ id: chainOutbox.id, status: chainOutbox.status, args: chainOutbox.args })
    .from(chainOutbox)
    .where(like(chainOutbox.idempotencyKey, `${keyPrefixOf(actor.municipalityId, requestId)}%`))
    .orderBy(asc(chainOutbox.id));
  const live = relays.filter((relay) => relay.status !== 'failed');
  for (const relay of live) {
    const [, provider, amount] = relay.args as string[];
    if (provider !== String(providerId) || amount !== amountOre.toString()) {
      throw new AppError('RECEIVABLE_REQUEST_CONFLICT', { requestId });
    }
  }
  const used = await chain.publicClient.readContract({
    address: chain.addresses.hub,
    abi: voucherHubAbi,
    functionName: 'isReceivableRequestUsed',
    args: [actor.municipalityId, fundingKeyOf(requestId)],
  });
  // Used on chain without a relay of this service's under this municipality: not ours to answer.
  if (used && live.length === 0) throw new AppError('RECEIVABLE_REQUEST_CONFLICT', { requestId });
  return {
    chain,
    providerName,
    earlier: live.at(-1),
    used,
    action: {
      action: 'SETTLE_RECEIVABLE',
      municipalityId: actor.municipalityId,
      subject: receivableSubject(providerId, requestId),
      amountOre,
    },
  };
}

async function assertOwed(chain: ChainGateway, params: SettleReceivableParams): Promise<bigint> {
  const owed = await readReceivable(chain, params.actor.municipalityId, params.providerId);
  if (params.amountOre > owed) throw new AppError('RECEIVABLE_EXCEEDED', { owedOre: owed.toString() });
  return owed;
}

/**
 * What the treasury officer signs to take in what a provider paid back by bank: the provider,
 * the amount, the request, a deadline and the digest. Changes nothing. A request already
 * settled answers 409 RECEIVABLE_ALREADY_SETTLED; more than the provider owes, RECEIVABLE_EXCEEDED.
 */
export async function settleReceivableChallenge(
  deps: DomainDeps,
  params: SettleReceivableParams,
): Promise<SettleReceivableChallenge> {
  const context = await receivableContext(deps, params);
  if (context.earlier) throw new AppError('RECEIVABLE_ALREADY_SETTLED', { requestId: params.requestId });
  const owed = await assertOwed(context.chain, params);
  return {
    providerId: params.providerId,
    providerName: context.providerName,
    amountOre: params.amountOre.toString(),
    requestId: params.requestId,
    owedOre: owed.toString(),
    ...(await officerChallenge(deps, context.chain, context.action)),
  };
}

/**
 * The provider paid (part of) its receivable back by bank: relays the treasury officer's
 * passkey signature (`settleReceivableSigned`), and the hub mints the eKrone against those
 * kroner into the municipality's escrow and the receivable shrinks by the amount. The hub uses
 * each request key once; the same request id again (a retry, a double click, a replay of the
 * same body) answers the earlier relay and settles nothing a second time. More than the
 * provider owes is refused before anything is sent (and by the contract).
 */
export async function settleReceivable(
  deps: DomainDeps,
  params: SettleReceivableParams & { deadline: number; assertion: StaffAssertion },
): Promise<SettleReceivableResult> {
  const context = await receivableContext(deps, params);
  const { chain } = context;
  const { actor, providerId, amountOre, requestId } = params;
  let outboxId = context.earlier?.id;
  if (outboxId === undefined) {
    const signed = await verifyOfficerSignature(deps, chain, { ...params, action: context.action });
    const owed = await assertOwed(chain, params);
    outboxId = await deps.db.transaction((tx) =>
      relaySigned(tx, {
        actor,
        signed,
        step: 'receivable',
        kind: 'receivable.settle',
        functionName: 'settleReceivableSigned',
        args: [
          String(actor.municipalityId),
          String(providerId),
          amountOre.toString(),
          fundingKeyOf(requestId),
        ],
        idempotencyKey: `${keyPrefixOf(actor.municipalityId, requestId)}${signed.digest}`,
        audit: {
          municipalityId: actor.municipalityId,
          action: 'provider.receivable.settle.signed',
          subjectType: 'provider',
          subjectId: String(providerId),
        },
        details: { amountOre: amountOre.toString(), owedOre: owed.toString(), requestId },
      }),
    );
  }
  const outcome = await chain.outbox.waitFor(outboxId, deps.config.settlement.waitMs);
  if (outcome.status === 'failed') {
    // Two relays of one request raced: the hub took the other one, which settled it.
    const settledByAnother = (await receivableContext(deps, params)).earlier;
    if (!settledByAnother) throw new AppError('RECEIVABLE_SETTLE_FAILED', { reason: outcome.error });
    return settleReceivable(deps, params);
  }
  if (outcome.status === 'confirmed') await catchUpIndex(chain);
  return {
    providerId,
    providerName: context.providerName,
    settledOre: amountOre.toString(),
    owedOre: (await readReceivable(chain, actor.municipalityId, providerId)).toString(),
    status: outcome.status === 'confirmed' ? 'settled' : 'pending',
  };
}
