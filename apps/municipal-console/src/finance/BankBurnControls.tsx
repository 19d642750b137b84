import { useState } from 'preact/hooks';
import type { Settlement } from '../api/types.ts';
import { useLanguage, useT } from '../i18n/index.ts';
import { StatusMessage } from '../ui/components.tsx';
import { errorCode } from '../ui/error-text.ts';
import {
  type BankConfirmationChallenge,
  type BankConfirmationResult,
  bankConfirmedProviderIds,
  burnDialogText,
  burnOutcomeText,
  mayCompleteOnChain,
  NOTHING_TO_BURN,
} from './bank-burn.ts';
import { SignedStepDialog, SignedStepProblem, useSignedStep, useSignedStepLabel } from './SignedStep.tsx';

interface Props {
  settlement: Settlement;
  /** Providers known to be completed on chain in this view. */
  completed: ReadonlySet<number>;
  onCompleted: (providerIds: number[]) => void;
}

/**
 * "Afslut på kæden med din adgangsnøgle": for a paid settlement whose payouts the bank has
 * confirmed, the finance officer fetches what to sign, reads it in plain words, signs with
 * their own passkey, and the service relays it so the hub burns the matching eKrone.
 */
export function BankBurnControls({ settlement, completed, onCompleted }: Props) {
  const t = useT();
  const language = useLanguage();
  const label = useSignedStepLabel();
  const step = useSignedStep<BankConfirmationChallenge, BankConfirmationResult>();
  const [message, setMessage] = useState<string>();
  const offered = mayCompleteOnChain(settlement, completed);
  if (!offered && !message && !step.error) return null;

  function start() {
    setMessage(undefined);
    void step.start({
      path: `/settlements/${settlement.id}/bank-confirmation`,
      relayFields: (challenge) => ({ providerIds: [...challenge.providerIds] }),
      onRefused: (caught) => {
        if (errorCode(caught) !== NOTHING_TO_BURN) return false;
        // The chain holds nothing in transit for the confirmed payouts: all are completed.
        onCompleted(bankConfirmedProviderIds(settlement));
        setMessage(t('settlement.burn.nothingWaits'));
        return true;
      },
      onSigned: (result) => {
        if (result.status === 'burned') onCompleted(result.providerIds);
        setMessage(burnOutcomeText(t, result, language));
      },
    });
  }

  return (
    <div class="bank-burn" data-testid="bank-burn">
      <h3>{t('settlement.burn.title')}</h3>
      {offered ? <p class="muted">{t('settlement.burn.intro')}</p> : null}
      <SignedStepProblem error={step.error} />
      <StatusMessage>{message}</StatusMessage>
      {offered ? (
        <div class="actions">
          <button
            type="button"
            class="button button--primary"
            disabled={step.busy !== undefined}
            onClick={start}
          >
            {label(step.busy, t('settlement.burn.start'))}
          </button>
        </div>
      ) : null}
      <SignedStepDialog
        step={step}
        title={t('settlement.burn.confirmTitle', { period: step.challenge?.periodId ?? settlement.periodId })}
        text={(challenge) => burnDialogText(t, challenge, language)}
      />
    </div>
  );
}
