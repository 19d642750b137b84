import type { SignedRedemption } from './signing.ts';
import type { ReversalKind } from './store.ts';

// What the day's list says about giving a redemption back, and the reversal message a
// terminal signs for it: pure functions, tested in corrections.test.ts.

/** One line of GET /providers/:id/redemptions (the day's list). */
export interface RedemptionLine {
  redemptionId: string;
  terminal: string;
  programId?: string;
  programName: string;
  amountOre: string;
  status: string;
  periodId?: string | null;
  createdAt: string;
  /** Given back so far (voided or refunded); absent from an API without corrections. */
  reversedOre?: string;
  /** What may still be given back. */
  reversibleOre?: string;
  /** Confirmed, in the open period, nothing given back yet: it can be voided. */
  voidable?: boolean;
  /** The redemption as the terminal signed it; a reversal signs it again inside its own message. */
  signed?: {
    id: string;
    account: `0x${string}`;
    program: string;
    provider: number | string;
    amountOre: string;
    deadline: number | string;
  };
  /** When the API says which kind each give-back was. */
  reversals?: { kind: ReversalKind; amountOre: string; status?: string }[];
}

/** Øre given back so far and what may still be, from a line of an API with or without corrections. */
export function reversalState(line: RedemptionLine): {
  reversedOre: bigint;
  reversibleOre: bigint;
  netOre: bigint;
} {
  const amount = BigInt(line.amountOre);
  const reversedOre = BigInt(line.reversedOre ?? '0');
  const reversibleOre = line.reversibleOre !== undefined ? BigInt(line.reversibleOre) : 0n;
  return { reversedOre, reversibleOre, netOre: amount - reversedOre };
}

/** What the cashier may do with a line: void it now, refund (part of) it, or nothing. */
export function correctionFor(line: RedemptionLine): 'void' | 'refund' | undefined {
  if (line.status !== 'confirmed' || !line.signed) return undefined;
  if (line.voidable && line.periodId) return 'void';
  return reversalState(line).reversibleOre > 0n ? 'refund' : undefined;
}

/** The original as the hub hashes it: the list's decimal strings as integers. */
export function signedRedemption(signed: NonNullable<RedemptionLine['signed']>): SignedRedemption {
  return {
    id: BigInt(signed.id),
    account: signed.account,
    program: BigInt(signed.program),
    provider: Number(signed.provider),
    amountOre: BigInt(signed.amountOre),
    deadline: Number(signed.deadline),
  };
}

/** The EIP-712 "Reversal" message: a void names the line's period, a refund 0 (whichever is open). */
export function reversalMessage(
  line: RedemptionLine,
  reversal: { id: bigint; kind: ReversalKind; amountOre: bigint; deadline: number },
) {
  if (!line.signed) throw new Error('the line carries no signed redemption');
  if (reversal.kind === 'void' && !line.periodId) throw new Error('a void needs the redemption period');
  return {
    id: reversal.id,
    redemption: signedRedemption(line.signed),
    amountOre: reversal.amountOre,
    period: reversal.kind === 'void' ? Number(line.periodId) : 0,
    deadline: reversal.deadline,
  };
}

/**
 * "Annulleret" or "Refunderet": a line wholly given back may have been voided or refunded, and
 * only its reversals tell which. Until they are known, a line given back whole reads as voided
 * (what a counter does far more often) and one given back in part as refunded.
 */
export function reversedKind(
  line: RedemptionLine,
  reversals: readonly { kind: ReversalKind; status?: string }[] | undefined,
): ReversalKind | undefined {
  const { reversedOre } = reversalState(line);
  if (reversedOre === 0n) return undefined;
  const known = reversals ?? line.reversals;
  if (!known) return reversedOre === BigInt(line.amountOre) ? 'void' : 'refund';
  const confirmed = known.filter(
    (reversal) => reversal.status === undefined || reversal.status === 'confirmed',
  );
  return confirmed.some((reversal) => reversal.kind === 'void') ? 'void' : 'refund';
}
