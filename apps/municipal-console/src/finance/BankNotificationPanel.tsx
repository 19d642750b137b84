import { useState } from 'preact/hooks';
import { apiJson, apiPostFile } from '../api/client.ts';
import type {
  BankNotification,
  BankNotificationEntry,
  BankNotificationOutcome,
  BankNotificationSummary,
} from '../api/types.ts';
import { currentSession } from '../auth/session.ts';
import { useLanguage, useT } from '../i18n/index.ts';
import { formatOre } from '../money/kroner.ts';
import { ErrorAlert, StatusMessage, useMessage } from '../ui/components.tsx';
import { formatDate, formatDateTime } from '../ui/dates.ts';
import { differences, fileProblem, outcomeCounts } from './bank-notifications.ts';
import { useResource } from './use-resource.ts';

const BADGE: Record<BankNotificationOutcome, string> = {
  confirmed: 'badge--ok',
  pending: 'badge--wait',
  duplicate: 'badge--wait',
  differs: 'badge--no',
  unmatched: 'badge--no',
};

/**
 * "Bankens kvittering": finance uploads the bank's camt.054 (or camt.053) as it came from
 * online banking and sees what each debit matched. Earlier imports stay listed, so a file
 * read last week can be looked at again; reading the same file twice changes nothing.
 */
export function BankNotificationPanel({ onImported }: { onImported: () => Promise<void> }) {
  const t = useT();
  const language = useLanguage();
  const isFinance = currentSession()?.role === 'finance';
  const history = useResource(() => apiJson<BankNotificationSummary[]>('GET', '/bank-notifications'), []);
  const [file, setFile] = useState<File>();
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [message, setMessage] = useMessage();
  const [shown, setShown] = useState<BankNotification>();

  async function upload(event: Event) {
    event.preventDefault();
    setError(undefined);
    setMessage(undefined);
    const found = file ? fileProblem(file) : 'bankNotification.notXml';
    setProblem(found);
    if (!file || found) return;
    setBusy(true);
    try {
      // Sent as the bank wrote it; the API recognises a file it has seen by its bytes.
      const result = await apiPostFile<BankNotification>(
        '/bank-notifications',
        new Blob([file], { type: 'application/xml' }),
      );
      const seenBefore = history.value?.some((earlier) => earlier.id === result.id) ?? false;
      setShown(result);
      setMessage(() =>
        seenBefore
          ? t('bankNotification.importedBefore')
          : t('bankNotification.imported', { confirmed: result.counts.confirmed }),
      );
      await history.reload();
      await onImported();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  async function show(id: string) {
    setError(undefined);
    try {
      setShown(await apiJson<BankNotification>('GET', `/bank-notifications/${id}`));
    } catch (caught) {
      setError(caught);
    }
  }

  return (
    <section class="card" aria-labelledby="bank-notification-title" data-testid="bank-notification">
      <h2 id="bank-notification-title">{t('bankNotification.title')}</h2>
      <p class="muted">{t('bankNotification.intro')}</p>
      <ErrorAlert error={error ?? history.error} />
      <StatusMessage>{message}</StatusMessage>
      {isFinance ? (
        <form onSubmit={upload} noValidate>
          <div class={`field${problem ? ' field--invalid' : ''}`}>
            <label for="bank-notification-file">{t('bankNotification.file')}</label>
            <input
              id="bank-notification-file"
              type="file"
              accept=".xml,application/xml,text/xml"
              aria-invalid={problem ? 'true' : undefined}
              aria-describedby={problem ? 'bank-notification-problem' : undefined}
              onChange={(event) => {
                setFile((event.target as HTMLInputElement).files?.[0]);
                setProblem(undefined);
              }}
            />
            {problem ? (
              <p id="bank-notification-problem" class="field__error">
                {t(problem)}
              </p>
            ) : null}
          </div>
          <div class="actions">
            <button type="submit" class="button button--primary" disabled={busy}>
              {busy ? t('bankNotification.uploading') : t('bankNotification.upload')}
            </button>
          </div>
        </form>
      ) : null}
      {shown ? <NotificationResult notification={shown} /> : null}
      <h3>{t('bankNotification.history')}</h3>
      {history.value && history.value.length === 0 ? <p>{t('bankNotification.none')}</p> : null}
      {history.value && history.value.length > 0 ? (
        <ul class="plain-list" data-testid="bank-notification-history">
          {history.value.map((summary) => (
            <li key={summary.id}>
              {t('bankNotification.message', { id: summary.messageId })} (
              {formatDateTime(summary.importedAt, language)}):{' '}
              {outcomeCounts(summary.counts)
                .map(({ outcome, count }) => `${count} ${t(`bankNotification.outcomes.${outcome}`)}`)
                .join(', ') || t('bankNotification.entries', { count: 0 })}{' '}
              <button
                type="button"
                class="button"
                aria-pressed={shown?.id === summary.id}
                onClick={() => show(summary.id)}
              >
                {t('bankNotification.show')}{' '}
                <span class="visually-hidden">
                  {t('bankNotification.message', { id: summary.messageId })}
                </span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function NotificationResult({ notification }: { notification: BankNotification }) {
  const t = useT();
  const language = useLanguage();
  return (
    <div data-testid="bank-notification-result" data-import-id={notification.id}>
      <h3>{t('bankNotification.message', { id: notification.messageId })}</h3>
      <p>
        {t('bankNotification.importedAt', { date: formatDateTime(notification.importedAt, language) })}.{' '}
        {t('bankNotification.entries', { count: notification.counts.entries })}:{' '}
        {outcomeCounts(notification.counts)
          .map(({ outcome, count }) => `${count} ${t(`bankNotification.outcomes.${outcome}`)}`)
          .join(', ')}
        .
      </p>
      {notification.counts.ignoredCredit > 0 ? (
        <p class="muted">
          {t('bankNotification.ignoredCredit', { count: notification.counts.ignoredCredit })}
        </p>
      ) : null}
      {notification.entries.length > 0 ? (
        <table class="table" data-testid="bank-notification-entries">
          <thead>
            <tr>
              <th scope="col">{t('bankNotification.outcome')}</th>
              <th scope="col">{t('bankNotification.provider')}</th>
              <th scope="col">{t('bankNotification.period')}</th>
              <th scope="col">{t('bankNotification.endToEndId')}</th>
              <th scope="col" class="number">
                {t('bankNotification.bankAmount')}
              </th>
              <th scope="col" class="number">
                {t('bankNotification.expectedAmount')}
              </th>
              <th scope="col">{t('bankNotification.account')}</th>
              <th scope="col">{t('bankNotification.bookingDate')}</th>
            </tr>
          </thead>
          <tbody>
            {notification.entries.map((entry) => (
              <EntryRow key={entry.position} entry={entry} />
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}

function EntryRow({ entry }: { entry: BankNotificationEntry }) {
  const t = useT();
  const language = useLanguage();
  const differs = differences(entry);
  return (
    <tr data-outcome={entry.outcome}>
      <td>
        <span class={`badge ${BADGE[entry.outcome]}`}>{t(`bankNotification.outcomes.${entry.outcome}`)}</span>
        {differs.length > 0 ? (
          <span class="muted">
            {' '}
            ({differs.map((kind) => t(`bankNotification.differences.${kind}`)).join(', ')})
          </span>
        ) : null}
      </td>
      <th scope="row">{entry.providerName ?? t('bankNotification.unknownProvider')}</th>
      <td>{entry.periodId ?? '–'}</td>
      <td>
        <code>{entry.endToEndId ?? '–'}</code>
      </td>
      <td class="number">{formatOre(entry.amountOre, language)}</td>
      <td class="number">{entry.expectedAmountOre ? formatOre(entry.expectedAmountOre, language) : '–'}</td>
      <td>
        <code>{entry.creditorIban ?? '–'}</code>
        {entry.expectedIban && entry.expectedIban !== entry.creditorIban ? (
          <>
            {' ≠ '}
            <code>{entry.expectedIban}</code>
          </>
        ) : null}
      </td>
      <td>{entry.bookingDate ? formatDate(entry.bookingDate, language) : '–'}</td>
    </tr>
  );
}
