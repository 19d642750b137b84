import type { Redemption, Transaction } from '@voucher/db';
import type { Hex } from 'viem';
import { enqueueChainWrite } from '../outbox/enqueue.ts';
import { compactSignature } from '../redemptions/terminal-signature.ts';
import type { ReverseRequest } from './reverse.ts';

/** Keyed like the row: the signing terminal's id, which the chain also uses up exactly once. */
export function reversalIdempotencyKey(terminal: string, reversalId: bigint): string {
  return `reversal:${terminal}:${reversalId}`;
}

/**
 * The relayer's `hub.reverse(original, reversal, sigR, sigVs)`: the original redemption as its
 * terminal signed it, with that signature (the hub recovers the original's terminal from it),
 * and the reversal with the signing terminal's signature, both as EIP-2098 compact (r, vs).
 * Ids, amounts and the pseudonymous account only: nothing personal reaches the chain.
 */
export async function enqueueReversal(
  tx: Transaction,
  { request, original }: { request: ReverseRequest; original: Redemption },
): Promise<bigint> {
  const originalSignature = compactSignature(original.signature as Hex);
  const reversalSignature = compactSignature(request.signature);
  return enqueueChainWrite(tx, {
    kind: 'redemption.reverse',
    contract: 'hub',
    functionName: 'reverse',
    args: [
      {
        redemption: {
          id: original.redemptionId.toString(),
          account: original.account,
          program: original.programId.toString(),
          provider: String(original.providerId),
          amountOre: original.amountOre.toString(),
          deadline: original.deadline.toString(),
        },
        sigR: originalSignature.r,
        sigVs: originalSignature.vs,
      },
      {
        id: request.reversalId.toString(),
        amountOre: request.amountOre.toString(),
        period: String(request.period),
        deadline: String(request.deadline),
      },
      reversalSignature.r,
      reversalSignature.vs,
    ],
    signer: 'operator',
    idempotencyKey: reversalIdempotencyKey(request.terminal, request.reversalId),
  });
}
