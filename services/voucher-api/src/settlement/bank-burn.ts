import { voucherHubAbi } from '@voucher/contracts';
import type { Settlement } from '@voucher/db';
import { encodeAbiParameters, type Hex, keccak256 } from 'viem';
import type { AccessClaims } from '../auth/claims.ts';
import type { ChainGateway } from '../chain/gateway.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import {
  type OfficerAction,
  officerChallenge,
  relaySigned,
  verifyOfficerSignature,
} from '../officer-signing/officer-signing.ts';
import type { StaffAssertion } from '../passkeys/verify-staff-assertion.ts';
import { requireChain } from '../periods/chain-access.ts';
import { withTenant } from '../tenancy/with-tenant.ts';
import { findSettlement, payoutsOf } from './find-settlement.ts';

/** What the officer's passkey signs to have the bank-confirmed payouts' eKrone burned. */
export interface BankConfirmationChallenge {
  settlementId: string;
  periodId: number;
  providerIds: number[];
  totalOre: string;
  deadline: number;
  /** The EIP-712 digest of the hub's OfficerAction: the WebAuthn challenge. */
  digest: Hex;
}

export interface BankConfirmationOutcome {
  status: 'burned' | 'pending' | 'rejected';
  providerIds: number[];
  burnedOre: string;
  txHash: string | null;
  /** The contract's refusal, when it refused. */
  chainError?: string | null;
}

interface AwaitingBurn {
  settlement: Settlement;
  providerIds: number[];
  totalOre: bigint;
}

/**
 * The settlement's payouts the bank has confirmed (camt.054 import) whose eKrone the chain
 * still holds in transit: the chain, not the database, says what is still to burn.
 */
async function awaitingBurn(deps: DomainDeps, chain: ChainGateway, actor: AccessClaims, id: bigint) {
  const { settlement, lines } = await withTenant(deps, actor, async ({ db }) => {
    const found = await findSettlement(db, actor, id);
    return { settlement: found, lines: await payoutsOf(db, found.id) };
  });
  if (settlement.status !== 'paid') throw new AppError('BANK_CONFIRMATION_NOTHING_TO_BURN');
  const confirmed = lines.filter((line) => line.bankConfirmedAt && line.amountOre > 0n);
  const providerIds: number[] = [];
  let totalOre = 0n;
  for (const payout of confirmed) {
    const inTransit = await chain.publicClient.readContract({
      address: chain.addresses.hub,
      abi: voucherHubAbi,
      functionName: 'inTransitOf',
      args: [settlement.municipalityId, Number(settlement.periodId), payout.providerId],
    });
    if (inTransit === 0n) continue;
    providerIds.push(payout.providerId);
    totalOre += inTransit;
  }
  if (providerIds.length === 0) throw new AppError('BANK_CONFIRMATION_NOTHING_TO_BURN');
  return { settlement, providerIds, totalOre } satisfies AwaitingBurn;
}

function burnAction(awaiting: AwaitingBurn): OfficerAction {
  const { settlement, providerIds, totalOre } = awaiting;
  return {
    action: 'CONFIRM_BANK_TRANSFERS',
    municipalityId: settlement.municipalityId,
    // The hub's subject: keccak256(abi.encode(period, providers)).
    subject: keccak256(
      encodeAbiParameters(
        [{ type: 'uint32' }, { type: 'uint32[]' }],
        [Number(settlement.periodId), providerIds],
      ),
    ),
    amountOre: totalOre,
  };
}

/** Names what the officer is about to sign: the payouts, their total and the digest. */
export async function bankConfirmationChallenge(
  deps: DomainDeps,
  params: { actor: AccessClaims; settlementId: bigint },
): Promise<BankConfirmationChallenge> {
  const chain = requireChain(deps);
  const awaiting = await awaitingBurn(deps, chain, params.actor, params.settlementId);
  return {
    settlementId: awaiting.settlement.id.toString(),
    periodId: Number(awaiting.settlement.periodId),
    providerIds: awaiting.providerIds,
    totalOre: awaiting.totalOre.toString(),
    ...(await officerChallenge(deps, chain, burnAction(awaiting))),
  };
}

/**
 * Relays the officer's signed confirmation that the bank paid these payouts: the hub burns
 * their eKrone, so the supply again equals the kroner the scheme holds in the bank. The
 * service only relays: it recomputes the digest from the chain and the bank's confirmations,
 * checks the assertion is the caller's own passkey over exactly that, and the contract checks
 * it again with the officer's public key and role.
 */
export async function confirmBankTransfers(
  deps: DomainDeps,
  params: {
    actor: AccessClaims;
    settlementId: bigint;
    providerIds: number[];
    deadline: number;
    assertion: StaffAssertion;
  },
): Promise<BankConfirmationOutcome> {
  const chain = requireChain(deps);
  const awaiting = await awaitingBurn(deps, chain, params.actor, params.settlementId);
  const same =
    awaiting.providerIds.length === params.providerIds.length &&
    awaiting.providerIds.every((id, index) => id === params.providerIds[index]);
  if (!same) throw new AppError('BANK_CONFIRMATION_STALE');
  const signed = await verifyOfficerSignature(deps, chain, { ...params, action: burnAction(awaiting) });
  const { settlement } = awaiting;
  const outboxId = await deps.db.transaction((tx) =>
    relaySigned(tx, {
      actor: params.actor,
      signed,
      step: 'bank-confirmation',
      kind: 'settlement.bank-confirmation',
      functionName: 'confirmBankTransfers',
      args: [
        String(settlement.municipalityId),
        String(settlement.periodId),
        awaiting.providerIds.map(String),
        awaiting.totalOre.toString(),
      ],
      idempotencyKey: `settlement:${settlement.id}:bank-confirmation:${signed.digest}`,
      audit: {
        municipalityId: settlement.municipalityId,
        action: 'settlement.bank-confirmation.signed',
        subjectType: 'settlement',
        subjectId: settlement.id.toString(),
      },
      details: { providerIds: awaiting.providerIds, totalOre: awaiting.totalOre.toString() },
    }),
  );
  const outcome = await chain.outbox.waitFor(outboxId, deps.config.settlement.waitMs);
  const status =
    outcome.status === 'confirmed' ? 'burned' : outcome.status === 'failed' ? 'rejected' : 'pending';
  return {
    status,
    providerIds: awaiting.providerIds,
    burnedOre: status === 'burned' ? awaiting.totalOre.toString() : '0',
    txHash: outcome.txHash ?? null,
    chainError: outcome.error,
  };
}
