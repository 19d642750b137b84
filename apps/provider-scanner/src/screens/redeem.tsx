import { useState } from 'preact/hooks';
import { language, useT } from '../i18n.ts';
import { formatDate, formatOre, parseKroner } from '../money.ts';

export interface ScanVoucher {
  programId: string;
  programName: string;
  /** Whose voucher it is: a provider admitted by several municipalities is paid by each for its own. */
  municipalityId?: number;
  municipalityName?: string;
  kind: 'credit' | 'uses';
  remainingOre?: string | null;
  remainingUses?: number | null;
  maxPerUseOre: string;
  /** What one redemption may take right now (cap per use, limited by what is left). */
  maxAmountNowOre?: string;
  usesLeftInWindow?: number | null;
  redeemable: boolean;
  reason?: { code: string; message: string } | null;
  nextPossibleAt?: string | null;
}

export interface ScanResult {
  scanId: string;
  account: `0x${string}`;
  passKind: 'static' | 'rotating';
  expiresAt?: string;
  vouchers: ScanVoucher[];
}

export interface RedemptionChoice {
  voucher: ScanVoucher;
  amountOre: bigint;
}

type Step = { name: 'choose' } | { name: 'confirm'; choice: RedemptionChoice };

/** Choose the voucher and the amount, then confirm. The amount is parsed exactly to øre. */
export function RedeemScreen({
  scan,
  sending,
  onConfirm,
  onCancel,
}: {
  scan: ScanResult;
  sending: boolean;
  onConfirm: (choice: RedemptionChoice) => void;
  onCancel: () => void;
}) {
  const t = useT();
  const lang = language();
  const redeemable = scan.vouchers.filter((voucher) => voucher.redeemable);
  const [programId, setProgramId] = useState(redeemable.length === 1 ? redeemable[0]?.programId : undefined);
  const [amount, setAmount] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [step, setStep] = useState<Step>({ name: 'choose' });

  function next(event: Event) {
    event.preventDefault();
    const voucher = scan.vouchers.find(
      (candidate) => candidate.programId === programId && candidate.redeemable,
    );
    if (!voucher) return setError(t('redeem.chooseVoucher'));
    const parsed = parseKroner(amount);
    if (!parsed.ok) {
      return setError(parsed.reason === 'zero' ? t('redeem.amountZero') : t('redeem.amountFormat'));
    }
    const limit = maxAmount(voucher);
    if (parsed.ore > limit) return setError(t('redeem.amountTooLarge', { amount: formatOre(limit, lang) }));
    setError(undefined);
    setStep({ name: 'confirm', choice: { voucher, amountOre: parsed.ore } });
  }

  if (step.name === 'confirm') {
    const { voucher, amountOre } = step.choice;
    return (
      <section aria-labelledby="confirm-heading">
        <h1 id="confirm-heading" tabIndex={-1}>
          {t('redeem.confirmHeading')}
        </h1>
        <p class="big">
          {t('redeem.confirmText', { amount: formatOre(amountOre, lang), program: voucher.programName })}
        </p>
        <MunicipalityLine name={voucher.municipalityName} />
        <button type="button" disabled={sending} onClick={() => onConfirm(step.choice)}>
          {sending ? t('redeem.sending') : t('redeem.confirm')}
        </button>
        <button
          type="button"
          class="secondary"
          disabled={sending}
          onClick={() => setStep({ name: 'choose' })}
        >
          {t('redeem.back')}
        </button>
      </section>
    );
  }

  const selected = scan.vouchers.find((voucher) => voucher.programId === programId);
  return (
    <section aria-labelledby="redeem-heading">
      <h1 id="redeem-heading" tabIndex={-1}>
        {t('redeem.heading')}
      </h1>
      <p class="hint">{t(`redeem.passKind_${scan.passKind}`)}</p>
      {redeemable.length === 0 ? <p class="notice">{t('redeem.none')}</p> : null}
      <form onSubmit={next} noValidate>
        <fieldset class="vouchers">
          <legend>{t('redeem.voucherLegend')}</legend>
          {scan.vouchers.map((voucher) => (
            <label key={voucher.programId} class={voucher.redeemable ? 'voucher' : 'voucher unavailable'}>
              <input
                type="radio"
                name="voucher"
                value={voucher.programId}
                disabled={!voucher.redeemable}
                checked={programId === voucher.programId}
                onChange={() => setProgramId(voucher.programId)}
              />
              <span>
                <strong>{voucher.programName}</strong>
                <MunicipalityLine name={voucher.municipalityName} />
                <span class="hint">{describe(voucher, t, lang)}</span>
                {!voucher.redeemable && voucher.reason ? (
                  <span class="reason">{voucher.reason.message}</span>
                ) : null}
                {!voucher.redeemable && voucher.nextPossibleAt ? (
                  <span class="reason">
                    {t('redeem.nextPossible', { date: formatDate(voucher.nextPossibleAt, lang) })}
                  </span>
                ) : null}
              </span>
            </label>
          ))}
        </fieldset>
        {redeemable.length > 0 ? (
          <>
            <label for="amount">{t('redeem.amount')}</label>
            <p id="amount-hint" class="hint">
              {t('redeem.amountHint', {
                amount: formatOre(selected ? maxAmount(selected) : maxOfAll(redeemable), lang),
              })}
            </p>
            <input
              id="amount"
              inputMode="decimal"
              autoComplete="off"
              aria-describedby={error ? 'amount-hint amount-error' : 'amount-hint'}
              aria-invalid={error ? 'true' : undefined}
              value={amount}
              onInput={(event) => setAmount((event.target as HTMLInputElement).value)}
            />
            {error ? (
              <p id="amount-error" class="error" role="alert">
                {error}
              </p>
            ) : null}
            <button type="submit">{t('redeem.next')}</button>
          </>
        ) : null}
        <button type="button" class="secondary" onClick={onCancel}>
          {redeemable.length > 0 ? t('redeem.cancel') : t('result.again')}
        </button>
      </form>
    </section>
  );
}

/** "Tilskud fra Nabo Kommune": which municipality's voucher it is, and so who pays for it. */
export function MunicipalityLine({ name }: { name: string | undefined }) {
  const t = useT();
  if (!name) return null;
  return (
    <span class="municipality" data-municipality={name}>
      {t('redeem.from', { municipality: name })}
    </span>
  );
}

/** Bigint has no Math.max: the highest single amount any of the vouchers allows now. */
function maxOfAll(vouchers: ScanVoucher[]): bigint {
  let highest = 0n;
  for (const voucher of vouchers) {
    const amount = maxAmount(voucher);
    if (amount > highest) highest = amount;
  }
  return highest;
}

/** The most one use can take: the cap per use, and for credit also what is left. */
function maxAmount(voucher: ScanVoucher): bigint {
  if (voucher.maxAmountNowOre) return BigInt(voucher.maxAmountNowOre);
  const cap = BigInt(voucher.maxPerUseOre);
  if (voucher.kind === 'credit' && voucher.remainingOre != null) {
    const remaining = BigInt(voucher.remainingOre);
    return remaining < cap ? remaining : cap;
  }
  return cap;
}

function describe(voucher: ScanVoucher, t: ReturnType<typeof useT>, lang: 'da' | 'en'): string {
  const parts: string[] = [];
  if (voucher.kind === 'credit' && voucher.remainingOre != null) {
    parts.push(t('redeem.remainingOre', { amount: formatOre(voucher.remainingOre, lang) }));
  }
  if (voucher.kind === 'uses' && voucher.remainingUses != null) {
    parts.push(t('redeem.remainingUses', { count: voucher.remainingUses }));
  }
  parts.push(t('redeem.maxPerUse', { amount: formatOre(voucher.maxPerUseOre, lang) }));
  return parts.join(', ');
}
