import { useState } from 'preact/hooks';
import { apiJson } from '../api/client.ts';
import type { Settlement } from '../api/types.ts';
import { useLanguage, useT } from '../i18n/index.ts';
import { browserRefusal } from '../passkeys/browser-refusal.ts';
import { signChallenge } from '../passkeys/sign-challenge.ts';
import { Dialog, ErrorAlert, StatusMessage } from '../ui/components.tsx';
import { errorCode } from '../ui/error-text.ts';
import {
  type BankConfirmationChallenge,
  type BankConfirmationResult,
  bankConfirmationBody,
  bankConfirmedProviderIds,
  burnDialogText,
  burnOutcomeText,
  mayCompleteOnChain,
  NOTHING_TO_BURN,
  needsEnrolment,
} from './bank-burn.ts';

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
  const [busy, setBusy] = useState<'fetching' | 'signing'>();
  const [challenge, setChallenge] = useState<BankConfirmationChallenge>();
  const [error, setError] = useState<unknown>();
  const [message, setMessage] = useState<string>();
  const offered = mayCompleteOnChain(settlement, completed);
  if (!offered && !message && !error) return null;
  const base = `/settlements/${settlement.id}/bank-confirmation`;

  async function fetchChallenge() {
    setBusy('fetching');
    setError(undefined);
    setMessage(undefined);
    try {
      setChallenge(await apiJson<BankConfirmationChallenge>('POST', `${base}/challenge`));
    } catch (caught) {
      if (errorCode(caught) === NOTHING_TO_BURN) {
        // The chain holds nothing in transit for the confirmed payouts: all are completed.
        onCompleted(bankConfirmedProviderIds(settlement));
        setMessage(t('settlement.burn.nothingWaits'));
      } else {
        setError(caught);
      }
    } finally {
      setBusy(undefined);
    }
  }

  async function sign() {
    const named = challenge;
    setChallenge(undefined);
    if (!named) return;
    setBusy('signing');
    try {
      const assertion = await signChallenge(named.digest);
      const result = await apiJson<BankConfirmationResult>(
        'POST',
        base,
        bankConfirmationBody(named, assertion),
      );
      if (result.status === 'burned') onCompleted(result.providerIds);
      setMessage(burnOutcomeText(t, result, language));
    } catch (caught) {
      setError(browserRefusal(caught));
    } finally {
      setBusy(undefined);
    }
  }

  return (
    <div class="bank-burn" data-testid="bank-burn">
      <h3>{t('settlement.burn.title')}</h3>
      {offered ? <p class="muted">{t('settlement.burn.intro')}</p> : null}
      <ErrorAlert error={error} />
      {needsEnrolment(error) ? (
        <p data-testid="bank-burn-enrol">
          {t('settlement.burn.enrol')} <a href="#/passkeys">{t('nav.passkeys')}</a>
        </p>
      ) : null}
      <StatusMessage>{message}</StatusMessage>
      {offered ? (
        <div class="actions">
          <button
            type="button"
            class="button button--primary"
            disabled={busy !== undefined}
            onClick={fetchChallenge}
          >
            {busy === 'fetching'
              ? t('settlement.burn.fetching')
              : busy === 'signing'
                ? t('settlement.burn.signing')
                : t('settlement.burn.start')}
          </button>
        </div>
      ) : null}
      <Dialog
        title={t('settlement.burn.confirmTitle', { period: challenge?.periodId ?? settlement.periodId })}
        open={challenge !== undefined}
        onClose={() => setChallenge(undefined)}
      >
        {challenge ? (
          <p data-testid="bank-burn-confirm-text">{burnDialogText(t, challenge, language)}</p>
        ) : null}
        <div class="actions">
          <button type="button" class="button button--primary" onClick={sign}>
            {t('settlement.burn.sign')}
          </button>
          <button type="button" class="button" onClick={() => setChallenge(undefined)}>
            {t('common.cancel')}
          </button>
        </div>
      </Dialog>
    </div>
  );
}
