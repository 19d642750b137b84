import type { Settlement } from '../api/types.ts';
import type { Translate } from '../i18n/index.ts';
import { formatOre, type MoneyLocale } from '../money/kroner.ts';
import type { SignedChallenge } from '../passkeys/sign-challenge.ts';
import { type RelayBody, relayBody, type StepChallenge, sentence } from './officer-signing.ts';

export { ENROLMENT_CODES, needsEnrolment, sentence } from './officer-signing.ts';

/**
 * Completing a settlement on chain once the bank has confirmed its payouts: the officer's
 * passkey signs the hub's digest, and the hub burns the eKrone the payouts still hold in
 * transit, so the supply again equals the kroner in the bank. What is pure about it lives here.
 */

/** POST /settlements/:id/bank-confirmation/challenge: what the officer is about to sign. */
export interface BankConfirmationChallenge extends StepChallenge {
  settlementId: string;
  periodId: number;
  providerIds: number[];
  totalOre: string;
}

/** POST /settlements/:id/bank-confirmation's body. */
export type BankConfirmationBody = RelayBody<{ providerIds: number[] }>;

/** Its answer: 200 burned, or 202 pending while the chain has not confirmed yet. */
export interface BankConfirmationResult {
  status: 'burned' | 'pending';
  providerIds: number[];
  burnedOre: string;
  txHash: string | null;
}

/** The 409 meaning no bank-confirmed payout waits: all of them are completed on chain. */
export const NOTHING_TO_BURN = 'BANK_CONFIRMATION_NOTHING_TO_BURN';

/**
 * The body that relays the signature: exactly the providers and deadline the challenge named
 * (the service recomputes the digest from them), and only the assertion's four fields.
 */
export function bankConfirmationBody(
  challenge: BankConfirmationChallenge,
  assertion: SignedChallenge,
): BankConfirmationBody {
  return relayBody({ providerIds: [...challenge.providerIds] }, challenge, assertion);
}

/** Providers whose payout (with an amount) the bank has confirmed. */
export function bankConfirmedProviderIds(settlement: Settlement): number[] {
  return settlement.payouts
    .filter((payout) => payout.bankConfirmedAt !== null && BigInt(payout.amountOre) > 0n)
    .map((payout) => payout.providerId);
}

/**
 * Whether to offer the button: a paid settlement with a bank-confirmed payout not yet known
 * to be completed on chain. Whether the chain still holds it is only known by asking (the
 * challenge answers 409 when nothing waits).
 */
export function mayCompleteOnChain(settlement: Settlement, completed: ReadonlySet<number>): boolean {
  if (settlement.status !== 'paid') return false;
  return bankConfirmedProviderIds(settlement).some((id) => !completed.has(id));
}

/** The confirmation dialog's plain words: what the bank confirmed, and what signing does. */
export function burnDialogText(
  t: Translate,
  challenge: BankConfirmationChallenge,
  language: MoneyLocale,
): string {
  const facts = t('settlement.burn.confirmFacts', {
    count: challenge.providerIds.length,
    period: challenge.periodId,
    total: formatOre(challenge.totalOre, language),
  });
  return `${sentence(facts)} ${t('settlement.burn.confirmEffect')}`;
}

/** What the officer reads once the service answered. */
export function burnOutcomeText(t: Translate, result: BankConfirmationResult, language: MoneyLocale): string {
  if (result.status === 'burned')
    return sentence(t('settlement.burn.burned', { total: formatOre(result.burnedOre, language) }));
  return t('settlement.burn.pending');
}
