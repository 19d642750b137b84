import { useResource } from '../finance/use-resource.ts';
import { useT } from '../i18n/index.ts';
import { ErrorAlert, PageHeading, StatusMessage, useMessage } from '../ui/components.tsx';
import { type AwaitingAdmins, changeText, roleText, rowKey, shortAddress } from './awaiting-admins.ts';
import { listAwaitingAdmins } from './passkey-api.ts';

/**
 * "Nøgler der venter på administratorerne", for the role admin: on a real network the service
 * is admin of nothing on chain, so an officer's new passkey gets its role (and a revoked one
 * loses it) only when the municipality's named admins schedule the call in their timelock.
 * Each row is one such call, with the target and calldata to copy into their tools.
 */
export function AwaitingAdminsPage() {
  const t = useT();
  const list = useResource(listAwaitingAdmins, []);
  const [message, setMessage] = useMessage();
  const awaiting = list.value?.awaiting;

  async function copy(value: string, what: string, fallbackId?: string) {
    try {
      await navigator.clipboard.writeText(value);
      setMessage(() => t('awaitingAdmins.copied', { what }));
    } catch {
      // No clipboard (an insecure origin or a refused permission): select the text to copy by hand.
      const fallback = fallbackId ? document.getElementById(fallbackId) : null;
      if (fallback instanceof HTMLTextAreaElement) {
        fallback.focus();
        fallback.select();
      }
      setMessage(() => t('awaitingAdmins.copyFailed', { what }));
    }
  }

  return (
    <>
      <PageHeading>{t('awaitingAdmins.title')}</PageHeading>
      <p>{t('awaitingAdmins.intro')}</p>
      <p class="muted">{t('awaitingAdmins.delay')}</p>
      <div class="actions">
        <button type="button" class="button" onClick={() => void list.reload()}>
          {t('awaitingAdmins.reload')}
        </button>
      </div>
      <ErrorAlert error={list.error} />
      <StatusMessage>{message}</StatusMessage>
      <section aria-labelledby="awaiting-admins-list" data-testid="awaiting-admins">
        <h2 id="awaiting-admins-list">{t('awaitingAdmins.listTitle')}</h2>
        {awaiting === undefined && !list.error ? <p role="status">{t('app.loading')}</p> : null}
        {awaiting && awaiting.length === 0 ? (
          <p data-testid="awaiting-admins-empty">{t('awaitingAdmins.none')}</p>
        ) : null}
        {awaiting && awaiting.length > 0 ? (
          <div class="table-scroll">
            <table class="table card">
              <caption class="visually-hidden">{t('awaitingAdmins.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('awaitingAdmins.person')}</th>
                  <th scope="col">{t('awaitingAdmins.device')}</th>
                  <th scope="col">{t('awaitingAdmins.address')}</th>
                  <th scope="col">{t('awaitingAdmins.change')}</th>
                  <th scope="col">{t('awaitingAdmins.role')}</th>
                  <th scope="col">{t('awaitingAdmins.call')}</th>
                </tr>
              </thead>
              <tbody>
                {awaiting.map((entry) => (
                  <AwaitingRow key={rowKey(entry)} entry={entry} copy={copy} />
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
    </>
  );
}

function AwaitingRow({
  entry,
  copy,
}: {
  entry: AwaitingAdmins;
  copy: (value: string, what: string, fallbackId?: string) => Promise<void>;
}) {
  const t = useT();
  const id = `awaiting-${rowKey(entry)}`;
  const whose = t('awaitingAdmins.whose', { username: entry.username, device: entry.deviceName });
  return (
    <tr data-passkey-id={entry.passkeyId}>
      <th scope="row">{entry.username}</th>
      <td>{entry.deviceName}</td>
      <td>
        <code title={entry.address}>
          <span aria-hidden="true">{shortAddress(entry.address)}</span>
          <span class="visually-hidden">{entry.address}</span>
        </code>{' '}
        <CopyButton
          label={t('awaitingAdmins.copy')}
          context={t('awaitingAdmins.addressOf', { whose })}
          onCopy={(what) => copy(entry.address, what)}
        />
      </td>
      <td>
        <span class={`badge ${entry.change === 'grant' ? 'badge--wait' : 'badge--no'}`}>
          {changeText(t, entry.change)}
        </span>
      </td>
      <td>
        {roleText(t, entry.role)}
        {roleText(t, entry.role) === entry.role ? null : (
          <>
            <br />
            <code class="muted">{entry.role}</code>
          </>
        )}
      </td>
      <td>
        <dl class="details">
          <dt>{t('awaitingAdmins.target')}</dt>
          <dd>
            <code>{entry.call.to}</code>{' '}
            <CopyButton
              label={t('awaitingAdmins.copy')}
              context={t('awaitingAdmins.targetOf', { whose })}
              onCopy={(what) => copy(entry.call.to, what)}
            />
          </dd>
          <dt>
            <label for={`${id}-data`}>{t('awaitingAdmins.calldata')}</label>
          </dt>
          <dd>
            <textarea
              id={`${id}-data`}
              class="calldata"
              readOnly
              rows={3}
              spellcheck={false}
              value={entry.call.data}
            />
            <CopyButton
              label={t('awaitingAdmins.copy')}
              context={t('awaitingAdmins.calldataOf', { whose })}
              onCopy={(what) => copy(entry.call.data, what, `${id}-data`)}
            />
          </dd>
        </dl>
      </td>
    </tr>
  );
}

/**
 * "Kopiér", with what it copies for screen readers: the accessible name starts with the
 * visible label, so voice control ("click Kopiér") still finds it.
 */
function CopyButton({
  label,
  context,
  onCopy,
}: {
  label: string;
  context: string;
  onCopy: (what: string) => Promise<void>;
}) {
  return (
    <button type="button" class="button button--compact" onClick={() => void onCopy(context)}>
      {label}
      <span class="visually-hidden"> {context}</span>
    </button>
  );
}
