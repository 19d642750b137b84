import type { OfficerSignature } from '../api/types.ts';
import type { Translate } from '../i18n/index.ts';
import { formatOre, type MoneyLocale } from '../money/kroner.ts';
import type { SignedChallenge } from '../passkeys/sign-challenge.ts';
import { formatDateTime } from '../ui/dates.ts';

/**
 * Every step that moves money is signed by a finance officer's own passkey: the console asks
 * the API what is to be signed (`POST <step>/challenge`), shows it in plain words, has the
 * browser sign the digest, and relays the signature (`POST <step>` with the same fields, the
 * deadline and the assertion). See docs/officer-signing-api.md. What is pure about it lives here.
 */

/** What every challenge answers besides the step's own fields. */
export interface StepChallenge {
  /** Unix seconds: the chain refuses the signature after it. */
  deadline: number;
  /** The hub's digest, 0x-hex: the WebAuthn challenge. */
  digest: string;
}

/** POST /periods/close/challenge. */
export interface CloseChallenge extends StepChallenge {
  periodId: number;
}

/** POST /settlements/challenge: the reconciled total the officer states. */
export interface ProposeChallenge extends StepChallenge {
  periodId: number;
  totalOre: string;
  providerCount: number;
}

/** POST /settlements/:id/approve/challenge. */
export interface ApproveChallenge extends StepChallenge {
  settlementId: string;
  periodId: number;
  totalOre: string;
  /** The proposing officer's username. */
  proposedBy: string;
}

/** POST /programs/:id/funding/challenge. */
export interface FundingChallenge extends StepChallenge {
  programId: string;
  amountOre: string;
  requestId: string;
  /** This signature is the second, approving one. */
  secondOfficer: boolean;
  /** The amount is above what one officer may fund alone. */
  needsSecondOfficer: boolean;
  limitOre: string;
}

/** POST /programs/:id/reclaim/challenge. */
export interface ReclaimChallenge extends StepChallenge {
  programId: string;
  escrowOre: string;
  accountCount: number;
}

/** The relay's body: the step's fields, the challenge's deadline, and the four assertion fields. */
export type RelayBody<F extends object> = F & { deadline: number; assertion: SignedChallenge };

/**
 * The body that relays a signature: exactly the fields the challenge was asked with (the
 * service recomputes the digest from them), its deadline, and only the assertion's four fields.
 */
export function relayBody<F extends object>(
  fields: F,
  challenge: StepChallenge,
  assertion: SignedChallenge,
): RelayBody<F> {
  return {
    ...fields,
    deadline: challenge.deadline,
    assertion: {
      credentialId: assertion.credentialId,
      authenticatorData: assertion.authenticatorData,
      clientDataJSON: assertion.clientDataJSON,
      signature: assertion.signature,
    },
  };
}

/**
 * The codes after which the officer needs "Mine adgangsnøgler": no key here, not theirs, or a
 * demo key where only a real passkey will do.
 */
export const ENROLMENT_CODES: ReadonlySet<string> = new Set([
  'PASSKEY_REQUIRED',
  'PASSKEY_NOT_ENROLLED',
  'PASSKEY_DEVELOPMENT_KEY_REFUSED',
]);

/** Whether an error is one "Mine adgangsnøgler" fixes (an ApiError or anything with its code). */
export function needsEnrolment(error: unknown): boolean {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' && ENROLMENT_CODES.has(code);
}

/** Ends a sentence with a full stop unless it has one ("1.500,00 kr." already does). */
export function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** Sentences joined into one paragraph, each ending with its full stop. */
function paragraph(...parts: string[]): string {
  return parts.map(sentence).join(' ');
}

// --- what each step signs, in plain words ------------------------------------------------------

export function closeText(t: Translate, challenge: CloseChallenge): string {
  return paragraph(t('signing.close.text', { period: challenge.periodId }));
}

export function proposeText(t: Translate, challenge: ProposeChallenge, language: MoneyLocale): string {
  return paragraph(
    t('signing.propose.text', {
      count: challenge.providerCount,
      period: challenge.periodId,
      total: formatOre(challenge.totalOre, language),
    }),
    t('signing.propose.next'),
  );
}

export function approveText(t: Translate, challenge: ApproveChallenge, language: MoneyLocale): string {
  return paragraph(
    t('signing.approve.text', {
      proposer: challenge.proposedBy,
      period: challenge.periodId,
      total: formatOre(challenge.totalOre, language),
    }),
    t('signing.approve.next'),
  );
}

/**
 * Funding: one officer alone up to the limit; above it the first officer asks and a
 * different one approves, and only then is the money added.
 */
export function fundingText(
  t: Translate,
  challenge: FundingChallenge,
  program: string,
  language: MoneyLocale,
  proposer?: string,
): string {
  const amount = formatOre(challenge.amountOre, language);
  const limit = formatOre(challenge.limitOre, language);
  if (challenge.secondOfficer)
    return paragraph(
      t(proposer ? 'signing.fund.second' : 'signing.fund.secondAnonymous', { amount, program, proposer }),
      t('signing.fund.secondNext'),
    );
  if (challenge.needsSecondOfficer)
    return paragraph(t('signing.fund.text', { amount, program }), t('signing.fund.aboveLimit', { limit }));
  return paragraph(t('signing.fund.text', { amount, program }), t('signing.fund.alone'));
}

export function reclaimText(
  t: Translate,
  challenge: ReclaimChallenge,
  program: string,
  language: MoneyLocale,
): string {
  return paragraph(
    t('signing.reclaim.text', {
      amount: formatOre(challenge.escrowOre, language),
      count: challenge.accountCount,
      program,
    }),
    t('signing.reclaim.next'),
  );
}

// --- who signed what --------------------------------------------------------------------------

export type { OfficerSignature };

const STEP_ORDER: readonly string[] = ['close', 'propose', 'approve', 'bank-confirmation', 'fund', 'reclaim'];

/** The i18n key of a step's name: "bank-confirmation" → "bankConfirmation". */
function stepKey(step: string): string {
  return step.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase());
}

/** Signatures in the order the steps happen, then by time. */
export function orderedSignatures(signatures: readonly OfficerSignature[] | undefined): OfficerSignature[] {
  const rank = (step: string) => {
    const index = STEP_ORDER.indexOf(step);
    return index < 0 ? STEP_ORDER.length : index;
  };
  return [...(signatures ?? [])].sort(
    (a, b) => rank(a.step) - rank(b.step) || a.signedAt.localeCompare(b.signedAt),
  );
}

/** "Godkendt af demo.finance2 med adgangsnøglen "Kontorets bærbare", 3. mar. 2026 10.15". */
export function signatureText(t: Translate, signature: OfficerSignature, language: MoneyLocale): string {
  return t('signing.signedBy', {
    step: t(`signing.steps.${stepKey(signature.step)}`, { defaultValue: signature.step }),
    username: signature.username,
    device: signature.deviceName,
    date: formatDateTime(signature.signedAt, language),
  });
}

// --- funding by one or two officers -------------------------------------------------------------

export type FundingStatus = 'awaiting-second-officer' | 'pending' | 'funded' | 'rejected';

/** GET /programs/:id/fundings: one funding request. */
export interface FundingRequest {
  requestId: string;
  amountOre: string;
  status: FundingStatus | string;
  proposedBy: string;
  approvedBy: string | null;
  createdAt: string;
  signatures?: OfficerSignature[];
}

/** POST /programs/:id/funding's answer. */
export interface FundingResult {
  status: FundingStatus | string;
}

/** The funding requests (each with what it belongs to) a second officer must approve, oldest first. */
export function awaitingSecondOfficer<T extends { request: FundingRequest }>(items: readonly T[]): T[] {
  return items
    .filter((item) => item.request.status === 'awaiting-second-officer')
    .sort((a, b) => a.request.createdAt.localeCompare(b.request.createdAt));
}

/** Whether the signed-in officer asked for this funding (and so cannot approve it). */
export function isOwnRequest(
  request: Pick<FundingRequest, 'proposedBy'>,
  me: { username?: string; staffId?: string } | undefined,
): boolean {
  if (!me) return false;
  return request.proposedBy === me.username || request.proposedBy === me.staffId;
}

/** "demo.finance1 med adgangsnøglen "Kontorets bærbare"": who asked, with the device they signed on. */
export function requestedByText(t: Translate, request: FundingRequest): string {
  const signature = request.signatures?.find((candidate) => candidate.username === request.proposedBy);
  if (!signature) return request.proposedBy;
  return t('funding.requestedWith', { username: request.proposedBy, device: signature.deviceName });
}

/** What the officer reads once the funding signature was relayed. */
export function fundingOutcomeText(
  t: Translate,
  result: FundingResult,
  amountOre: string | bigint,
  program: string,
  language: MoneyLocale,
): string {
  const amount = formatOre(amountOre, language);
  if (result.status === 'awaiting-second-officer') return t('funding.awaitingSecond', { amount, program });
  if (result.status === 'pending') return t('funding.pending', { amount, program });
  if (result.status === 'rejected') return t('funding.rejected', { amount, program });
  return t('funding.done', { amount, program });
}
